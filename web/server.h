// The one entry point from the command line into the HTTP layer: serve the JSON API and the page.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "engine.h"

namespace imr::web {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                   // 0 = pick a free port
    std::filesystem::path static_dir;  // empty = the compiled-in IMR_DEFAULT_WEB_DIR (web/static)
    unsigned threads = 0;              // 0 = default_worker_count()
    // A search or stats request not answered this long after a worker took it up gets 503 with
    // the reason (SearchDeadline), instead of holding its client and a worker for longer.
    std::chrono::milliseconds request_deadline{10000};
    std::function<void(int port)> on_listening;  // called once bound (tests, "make run" URL line)
};

// Workers for this machine: a worker holds one whole request at a time (one poller thread holds
// the connections, partial requests and idle keep-alives), so 4 per core, at least 8, at most 64.
unsigned default_worker_count();

// Serves the JSON API and the page until SIGINT/SIGTERM; returns the process exit code (0 after a
// signal, 1 when the address cannot be bound or the page's folder is missing). Writes one line to
// stderr when listening ("imr-search: serving http://HOST:PORT/ ...") and one access-log line per
// request. Reopens the database at most once a second when the indexer has committed.
int serve(imr::Engine& engine, const ServeOptions& options);

}  // namespace imr::web
