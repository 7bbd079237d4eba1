// The one entry point from the command line into the HTTP layer: serve the JSON API and the page.
#pragma once

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
    std::function<void(int port)> on_listening;  // called once bound (tests, "make run" URL line)
};

// Workers for this machine. httplib gives a keep-alive connection one worker for its whole life, so
// the pool bounds the connections served at once, not the CPU in use: with fewer workers than
// clients, the extra connections wait whole keep-alive lifetimes (seconds) for a turn. Searches are
// CPU-bound and short, so idle threads are cheap: 32 per core, at least 32, at most 512.
unsigned default_worker_count();

// Serves the JSON API and the page until SIGINT/SIGTERM; returns the process exit code (0 after a
// signal, 1 when the address cannot be bound or the page's folder is missing). Writes one line to
// stderr when listening ("imr-search: serving http://HOST:PORT/ ...") and one access-log line per
// request. Reopens the database at most once a second when the indexer has committed.
int serve(imr::Engine& engine, const ServeOptions& options);

}  // namespace imr::web
