// imr-search: searches an IMR determinations index from the command line, or serves it over HTTP.
#include "cli.h"
#include "huge_pages.h"
#include "server.h"

#include <chrono>
#include <cstdlib>

int main(int argc, char** argv) {
    imr::rerun_with_huge_pages(argv);
    return imr::run_search_cli(argc, argv, [](imr::Engine& engine, const std::string& host, int port) {
        imr::web::ServeOptions options;
        options.host = host;
        options.port = port;
        // The per-request deadline of searches, for operators and tests (milliseconds).
        if (const char* deadline = std::getenv("IMR_REQUEST_DEADLINE_MS"); deadline && *deadline)
            options.request_deadline = std::chrono::milliseconds(std::strtoll(deadline, nullptr, 10));
        return imr::web::serve(engine, options);
    });
}
