// imr-search: searches an IMR determinations index from the command line, or serves it over HTTP.
#include "cli.h"
#include "huge_pages.h"
#include "server.h"

int main(int argc, char** argv) {
    imr::rerun_with_huge_pages(argv);
    return imr::run_search_cli(argc, argv, [](imr::Engine& engine, const std::string& host, int port) {
        imr::web::ServeOptions options;
        options.host = host;
        options.port = port;
        return imr::web::serve(engine, options);
    });
}
