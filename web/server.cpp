// The cpp-httplib server: routes, limits, access log, database refresh and signal-driven graceful shutdown.
#include "server.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <httplib.h>

#include "access_log.h"
#include "api.h"
#include "errors.h"
#include "static_files.h"

#ifndef IMR_DEFAULT_WEB_DIR
#define IMR_DEFAULT_WEB_DIR "web/static"
#endif

namespace imr::web {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr const char* kCsv = "text/csv; charset=utf-8";
// GET requests carry no body; anything beyond this is refused with 413 before it is read.
constexpr std::size_t kMaxPayloadBytes = 64 * 1024;
constexpr auto kRefreshInterval = std::chrono::milliseconds(1000);

// ---- Access log --------------------------------------------------------------------------------
// httplib runs routing, the body's content provider and the logger of one request on one worker
// thread, so the request's start time and streamed byte count can live in thread-locals.
thread_local std::optional<std::chrono::steady_clock::time_point> t_request_start;
thread_local std::size_t t_streamed_bytes = 0;

std::mutex g_log_mutex;

void log_line(const std::string& line) {
    const std::string with_newline = line + "\n";
    std::lock_guard lock(g_log_mutex);
    std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);
}

// ---- Signals -----------------------------------------------------------------------------------
// The handler only writes one byte to a pipe (async-signal-safe); the watcher thread does the rest.
std::atomic<int> g_signal_pipe_write{-1};

extern "C" void on_stop_signal(int) {
    const int saved_errno = errno;
    const int fd = g_signal_pipe_write.load();
    if (fd >= 0) {
        const char byte = 's';
        [[maybe_unused]] const auto ignored = ::write(fd, &byte, 1);
    }
    errno = saved_errno;
}

class SignalGuard {
public:
    explicit SignalGuard(int pipe_write) {
        g_signal_pipe_write = pipe_write;
        struct sigaction action {};
        action.sa_handler = on_stop_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &old_int_);
        sigaction(SIGTERM, &action, &old_term_);
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGPIPE, &ignore, &old_pipe_);
    }
    ~SignalGuard() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
        sigaction(SIGPIPE, &old_pipe_, nullptr);
        g_signal_pipe_write = -1;
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;

private:
    struct sigaction old_int_ {}, old_term_ {}, old_pipe_ {};
};

class Pipe {
public:
    Pipe() {
        if (::pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) fds_[0] = fds_[1] = -1;
    }
    ~Pipe() {
        for (int fd : fds_)
            if (fd >= 0) ::close(fd);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    bool ok() const { return fds_[0] >= 0; }
    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }

private:
    int fds_[2] = {-1, -1};
};

// ---- Replies -----------------------------------------------------------------------------------
void reply_error(httplib::Response& res, std::exception_ptr error) {
    std::string detail;
    const auto reply = error_reply(error, &detail);
    res.status = reply.status;
    res.set_content(reply.body, kJson);
    if (reply.is_server_fault()) log_line("imr-search: error: " + detail);
}

std::string read_whole_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string url_host(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

unsigned default_worker_count() {
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return std::clamp(cores * 32, 32u, 512u);
}

int serve(imr::Engine& engine, const ServeOptions& options) {
    const std::filesystem::path static_dir =
        options.static_dir.empty() ? std::filesystem::path(IMR_DEFAULT_WEB_DIR) : options.static_dir;
    if (!resolve_static_file(static_dir, "/")) {
        log_line("imr-search: the page's folder " + static_dir.string() + " has no index.html");
        return 1;
    }
    const unsigned workers = options.threads ? options.threads : default_worker_count();

    httplib::Server server;
    server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    server.set_payload_max_length(kMaxPayloadBytes);
    // Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK hold every response back about 40 ms.
    server.set_tcp_nodelay(true);
    server.set_read_timeout(5, 0);
    server.set_write_timeout(10, 0);
    server.set_keep_alive_timeout(2);
    server.set_keep_alive_max_count(20);  // then the worker goes back to the queue, for fairness
    server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                                {"Referrer-Policy", "no-referrer"},
                                {"X-Frame-Options", "DENY"}});

    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        t_request_start = std::chrono::steady_clock::now();
        t_streamed_bytes = 0;
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        double ms = 0;
        if (t_request_start)
            ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - *t_request_start)
                     .count();
        const std::size_t bytes = res.body.empty() ? t_streamed_bytes : res.body.size();
        log_line(access_log_line(req.method, req.target, res.status, bytes, ms));
        t_request_start.reset();
        t_streamed_bytes = 0;
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        reply_error(res, error);
    });
    // Errors httplib produces itself (unknown route, malformed request, over-long URI or body) get a
    // body in the same shape as ours.
    server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                     httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404 && req.method != "GET" && req.method != "HEAD") {
            res.status = 405;  // every route exists for GET only
            res.set_header("Allow", "GET, HEAD");
        }
        std::string message;
        switch (res.status) {
        case 404: message = "no such page: " + req.path; break;
        case 413: message = "request too large"; break;
        case 414: message = "request URI too long"; break;
        case 400: message = "malformed request"; break;
        case 405: message = "method " + req.method + " not allowed (only GET)"; break;
        default: message = "HTTP error " + std::to_string(res.status); break;
        }
        res.set_content(error_body(message), kJson);
        return httplib::Server::HandlerResponse::Handled;
    }));

    // Every JSON endpoint: the handler's answer, or the error's status and {"error": ...}.
    auto json_route = [](auto handler) {
        return [handler](const httplib::Request& req, httplib::Response& res) {
            try {
                res.set_content(json_text(handler(req)), kJson);
                res.set_header("Cache-Control", "no-store");
            } catch (...) {
                reply_error(res, std::current_exception());
            }
        };
    };
    const Engine& reader = engine;
    server.Get("/api/search", json_route([&reader](const httplib::Request& req) {
        return api_search(reader, req.params);
    }));
    server.Get(R"(/api/letters/(.+))", json_route([&reader](const httplib::Request& req) {
        return api_letter(reader, req.matches[1].str(), req.params);
    }));
    server.Get(R"(/api/similar/(.+))", json_route([&reader](const httplib::Request& req) {
        return api_similar(reader, req.matches[1].str(), req.params);
    }));
    server.Get("/api/stats", json_route([&reader](const httplib::Request& req) {
        return api_stats(reader, req.params);
    }));
    server.Get("/api/suggest", json_route([&reader](const httplib::Request& req) {
        return api_suggest(reader, req.params);
    }));
    server.Get("/api/health", json_route([&reader](const httplib::Request& req) {
        return api_health(reader, req.params);
    }));
    server.Get("/api/schema", json_route([](const httplib::Request& req) { return api_schema(req.params); }));
    server.Get(R"(/api/search\.csv)", [&reader](const httplib::Request& req, httplib::Response& res) {
        try {
            auto csv = std::make_shared<CsvExport>(reader, csv_request_from(req.params));
            // The header and first page are made before any byte is sent, so a bad query is still a 400.
            auto pending = std::make_shared<std::optional<std::string>>(csv->next());
            if (auto first_page = csv->next()) **pending += *first_page;
            res.set_header("Content-Disposition", "attachment; filename=\"imr-determinations.csv\"");
            res.set_header("Cache-Control", "no-store");
            res.set_chunked_content_provider(kCsv, [csv, pending](std::size_t, httplib::DataSink& sink) {
                try {
                    std::optional<std::string> chunk = std::move(*pending);
                    pending->reset();
                    if (!chunk) chunk = csv->next();
                    if (!chunk) {
                        sink.done();
                        return true;
                    }
                    t_streamed_bytes += chunk->size();
                    return sink.write(chunk->data(), chunk->size());
                } catch (const std::exception& e) {
                    // Headers are gone already: all that is left is to cut the stream and say why in the log.
                    log_line(std::string("imr-search: CSV export stopped: ") + e.what());
                    return false;
                }
            });
        } catch (...) {
            reply_error(res, std::current_exception());
        }
    });
    server.Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
        res.status = 404;
        res.set_content(error_body("unknown API endpoint '" + req.path + "'"), kJson);
    });
    server.Get(R"(/.*)", [static_dir](const httplib::Request& req, httplib::Response& res) {
        const auto file = resolve_static_file(static_dir, req.path);
        if (!file) {
            res.status = 404;
            res.set_content(error_body("no such page: " + req.path), kJson);
            return;
        }
        res.set_content(read_whole_file(*file), std::string(content_type_for(*file)));
        res.set_header("Cache-Control", "no-cache");
        if (file->extension() == ".html")
            res.set_header("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    });

    const int port = options.port == 0 ? server.bind_to_any_port(options.host)
                                       : (server.bind_to_port(options.host, options.port) ? options.port : -1);
    if (port <= 0) {
        log_line("imr-search: cannot listen on " + url_host(options.host) + ":" + std::to_string(options.port) +
                 ": " + std::strerror(errno));
        return 1;
    }

    Pipe wake;
    if (!wake.ok()) {
        log_line(std::string("imr-search: cannot create the signal pipe: ") + std::strerror(errno));
        return 1;
    }
    const SignalGuard signals(wake.write_end());
    std::atomic<bool> listen_returned{false};
    std::atomic<bool> stopped_by_signal{false};

    // Waits for a signal (or the end of serving) and refreshes the database about once a second.
    std::thread watcher([&] {
        pollfd poll_fd{wake.read_end(), POLLIN, 0};
        while (true) {
            const int ready = ::poll(&poll_fd, 1, static_cast<int>(kRefreshInterval.count()));
            if (ready > 0) {
                char byte = 0;
                while (::read(wake.read_end(), &byte, 1) == 1) {
                }
                if (listen_returned) return;
                stopped_by_signal = true;
                log_line("imr-search: stopping, finishing the requests in flight");
                // stop() only takes effect once listening has begun; a very early signal waits for it.
                while (!listen_returned) {
                    if (server.is_running()) {
                        server.stop();
                        return;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                }
                return;
            }
            try {
                if (engine.refresh())
                    log_line("imr-search: database reopened at revision " + std::to_string(engine.health().revision));
            } catch (const std::exception& e) {
                log_line(std::string("imr-search: database refresh failed: ") + e.what());
            }
        }
    });

    log_line("imr-search: serving http://" + url_host(options.host) + ":" + std::to_string(port) + "/ with " +
             std::to_string(workers) + " workers (Ctrl-C stops)");
    if (options.on_listening) options.on_listening(port);
    const bool listened = server.listen_after_bind();
    listen_returned = true;
    const char byte = 'q';
    [[maybe_unused]] const auto ignored = ::write(wake.write_end(), &byte, 1);
    watcher.join();
    if (stopped_by_signal) {
        log_line("imr-search: stopped");
        return 0;
    }
    return listened ? 0 : 1;
}

}  // namespace imr::web
