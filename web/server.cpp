// The cpp-httplib server: routes, limits, access log, database refresh and signal-driven graceful shutdown.
#include "server.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
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
// When the worker took the request up: its deadline counts from here.
thread_local std::chrono::steady_clock::time_point t_request_arrival{};

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

// SIGINT and SIGTERM are blocked in the thread that makes it (and so in every thread started after
// it) and taken by the watcher thread alone (accept_stop_signals). The kernel hands a process's
// signal to its main thread first, which sits in httplib's accept(): ThreadSanitizer holds a
// signal that arrives in a call it does not count as blocking (accept) until the call returns, so
// a stopped server waited for its next connection; and a worker's poll() would fail with EINTR.
class SignalGuard {
public:
    explicit SignalGuard(int pipe_write) {
        g_signal_pipe_write = pipe_write;
        sigset_t stops;
        sigemptyset(&stops);
        sigaddset(&stops, SIGINT);
        sigaddset(&stops, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stops, &old_mask_);
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
        // Unblocked while the handler is still ours, so a signal that came after the watcher left is
        // a byte in the pipe, not the default action.
        pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
        sigaction(SIGPIPE, &old_pipe_, nullptr);
        g_signal_pipe_write = -1;
    }
    SignalGuard(const SignalGuard&) = delete;
    SignalGuard& operator=(const SignalGuard&) = delete;

private:
    struct sigaction old_int_ {}, old_term_ {}, old_pipe_ {};
    sigset_t old_mask_{};
};

// Called by the watcher thread: the one thread that takes SIGINT and SIGTERM.
void accept_stop_signals() {
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &stops, nullptr);
}

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


// ---- Connections -------------------------------------------------------------------------------
// httplib 0.11 gives each connection a worker thread for its whole life and reads each request
// through a fresh buffered stream. So 200 slow clients (slowloris) held every worker, a request
// header had no size bound (four 128 MB headers: RSS 36 -> 1,068 MB), and the bytes of pipelined
// requests read ahead with the first were dropped (issue 19, items 5, 6, 12). Here one poller
// thread holds every connection until a whole request has arrived, under a size and a time
// bound, and only then hands it to a worker; an idle keep-alive connection costs no thread.
constexpr std::size_t kMaxHeaderBytes = 32 * 1024;  // request line and headers together
constexpr auto kHeaderDeadline = std::chrono::seconds(10);   // first byte to whole request
constexpr auto kKeepAliveIdle = std::chrono::seconds(60);    // between requests
constexpr std::size_t kMaxRequestsPerConnection = 1000;
constexpr std::size_t kMaxConnections = 2000;

struct Connection {
    int fd = -1;
    std::string buffer;  // bytes received and not yet consumed
    std::size_t served = 0;
    std::chrono::steady_clock::time_point request_started{}, last_activity{};
};

std::string canned_response(int status, const char* reason, const std::string& message) {
    const std::string body = error_body(message);
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + kJson +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// How many bytes of `buffer` the first request takes (header and declared body), 0 while it is
// incomplete; sets `refusal` to a response when the request must be refused without routing.
std::size_t complete_request(const std::string& buffer, std::string& refusal) {
    const std::size_t header_end = buffer.find("\r\n\r\n");
    if (header_end == std::string::npos) {
        if (buffer.size() > kMaxHeaderBytes)
            refusal = canned_response(431, "Request Header Fields Too Large", "request header too large (more than " +
                                                                                  std::to_string(kMaxHeaderBytes) + " bytes)");
        return 0;
    }
    if (header_end + 4 > kMaxHeaderBytes) {
        refusal = canned_response(431, "Request Header Fields Too Large",
                                  "request header too large (more than " + std::to_string(kMaxHeaderBytes) + " bytes)");
        return 0;
    }
    std::string header = buffer.substr(0, header_end + 2);
    for (char& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (header.find("\r\ntransfer-encoding:") != std::string::npos) {
        refusal = canned_response(411, "Length Required", "request bodies must have a Content-Length");
        return 0;
    }
    std::size_t body = 0;
    if (const auto at = header.find("\r\ncontent-length:"); at != std::string::npos) {
        std::size_t i = at + 17;
        while (i < header.size() && header[i] == ' ') ++i;
        std::size_t digits = 0;
        while (i < header.size() && std::isdigit(static_cast<unsigned char>(header[i])) && digits < 12) {
            body = body * 10 + static_cast<std::size_t>(header[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits >= 12 || body > kMaxPayloadBytes) {
            refusal = canned_response(413, "Payload Too Large", "request too large");
            return 0;
        }
    }
    const std::size_t total = header_end + 4 + body;
    return buffer.size() >= total ? total : 0;
}

// The stream httplib reads a request from and writes its response to: bytes the poller buffered
// first, then the socket. It lives as long as the request, and what it leaves unread stays in the
// connection's buffer for the next (pipelined) request.
class BufferedStream : public httplib::Stream {
public:
    explicit BufferedStream(Connection& c) : c_(c) {}
    std::size_t consumed() const { return pos_; }

    bool is_readable() const override { return pos_ < c_.buffer.size(); }
    bool is_writable() const override {
        pollfd p{c_.fd, POLLOUT, 0};
        return ::poll(&p, 1, 10000) > 0 && (p.revents & POLLOUT);
    }
    ssize_t read(char* ptr, size_t size) override {
        if (pos_ < c_.buffer.size()) {
            const std::size_t n = std::min(size, c_.buffer.size() - pos_);
            std::memcpy(ptr, c_.buffer.data() + pos_, n);
            pos_ += n;
            return static_cast<ssize_t>(n);
        }
        // Only a body longer than declared gets here; the socket's receive timeout bounds it.
        const ssize_t n = ::recv(c_.fd, ptr, size, 0);
        return n;
    }
    ssize_t write(const char* ptr, size_t size) override {
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::send(c_.fd, ptr + done, size - done, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return done ? static_cast<ssize_t>(done) : -1;  // SO_SNDTIMEO bounds a stalled reader
            done += static_cast<std::size_t>(n);
        }
        return static_cast<ssize_t>(done);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(false, ip, port); }
    socket_t socket() const override { return c_.fd; }

private:
    Connection& c_;
    std::size_t pos_ = 0;

    void address_of(bool peer, std::string& ip, int& port) const {
        sockaddr_storage addr{};
        socklen_t length = sizeof addr;
        const int rc = peer ? ::getpeername(c_.fd, reinterpret_cast<sockaddr*>(&addr), &length)
                            : ::getsockname(c_.fd, reinterpret_cast<sockaddr*>(&addr), &length);
        if (rc != 0) return;
        char host[NI_MAXHOST];
        char service[NI_MAXSERV];
        if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), length, host, sizeof host, service, sizeof service,
                          NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
            ip = host;
            port = std::atoi(service);
        }
    }
};

// The server with connection handling of our own (above); routing, parsing and responses stay
// httplib's, through its protected process_request.
class GuardedServer : public httplib::Server {
public:
    explicit GuardedServer(unsigned workers) : worker_count_(workers) {
        // The accept loop hands each socket straight to the poller, on the accept thread itself.
        new_task_queue = [] { return new InlineQueue; };
    }
    ~GuardedServer() override { stop_connections(); }

    void start_connections() {
        if (!wake_.ok()) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
        poller_ = std::thread([this] { poll_loop(); });
        for (unsigned i = 0; i < worker_count_; ++i) workers_.emplace_back([this] { work_loop(); });
    }

    // Closes idle connections, lets the workers finish the requests in flight, and joins them.
    void stop_connections() {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        ready_changed_.notify_all();
        wake();
        if (poller_.joinable()) poller_.join();
        for (auto& w : workers_)
            if (w.joinable()) w.join();
        std::lock_guard lock(mutex_);
        for (auto& c : incoming_) ::close(c->fd);
        incoming_.clear();
        for (auto& c : ready_) ::close(c->fd);
        ready_.clear();
    }

private:
    class InlineQueue : public httplib::TaskQueue {
    public:
        void enqueue(std::function<void()> fn) override { fn(); }
        void shutdown() override {}
    };

    bool process_and_close_socket(socket_t sock) override {
        auto c = std::make_unique<Connection>();
        c->fd = sock;
        c->last_activity = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                ::close(sock);
                return false;
            }
            incoming_.push_back(std::move(c));
        }
        wake();
        return true;
    }

    void wake() {
        const char byte = 'w';
        [[maybe_unused]] const auto ignored = ::write(wake_.write_end(), &byte, 1);
    }

    static void refuse_and_close(Connection& c, const std::string& response) {
        [[maybe_unused]] const auto ignored = ::send(c.fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        ::shutdown(c.fd, SHUT_RDWR);
        ::close(c.fd);
    }

    void poll_loop() {
        std::vector<std::unique_ptr<Connection>> open;
        std::vector<pollfd> fds;
        char chunk[16 * 1024];
        while (true) {
            {
                std::lock_guard lock(mutex_);
                if (stopping_) break;
                for (auto& c : incoming_) open.push_back(std::move(c));
                incoming_.clear();
            }
            // Over the connection limit: the longest idle ones go first.
            if (open.size() > kMaxConnections) {
                std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) {
                    return a->last_activity < b->last_activity;
                });
                for (std::size_t i = 0; i < open.size() - kMaxConnections; ++i) {
                    ::close(open[i]->fd);
                    open[i].reset();
                }
                open.erase(std::remove(open.begin(), open.end(), nullptr), open.end());
            }
            fds.assign(1, pollfd{wake_.read_end(), POLLIN, 0});
            for (const auto& c : open) fds.push_back(pollfd{c->fd, POLLIN, 0});
            ::poll(fds.data(), fds.size(), 250);
            if (fds[0].revents & POLLIN) {
                char drain[64];
                while (::read(wake_.read_end(), drain, sizeof drain) > 0) {
                }
            }
            const auto now = std::chrono::steady_clock::now();
            for (std::size_t i = 0; i < open.size(); ++i) {
                Connection& c = *open[i];
                bool closed = false;
                if (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) {
                    const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
                    if (n > 0) {
                        if (c.buffer.empty()) c.request_started = now;
                        c.buffer.append(chunk, static_cast<std::size_t>(n));
                        c.last_activity = now;
                    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                        ::close(c.fd);
                        closed = true;
                    }
                }
                if (!closed && !c.buffer.empty()) {
                    std::string refusal;
                    if (complete_request(c.buffer, refusal)) {
                        std::lock_guard lock(mutex_);
                        ready_.push_back(std::move(open[i]));
                        ready_changed_.notify_one();
                        continue;
                    }
                    if (!refusal.empty()) {
                        refuse_and_close(c, refusal);
                        closed = true;
                    } else if (now - c.request_started > kHeaderDeadline) {
                        refuse_and_close(c, canned_response(408, "Request Timeout",
                                                            "the request did not arrive in time"));
                        closed = true;
                    }
                } else if (!closed && now - c.last_activity > kKeepAliveIdle) {
                    ::close(c.fd);
                    closed = true;
                }
                if (closed) open[i].reset();
            }
            open.erase(std::remove(open.begin(), open.end(), nullptr), open.end());
        }
        for (auto& c : open) ::close(c->fd);
    }

    void work_loop() {
        while (true) {
            std::unique_ptr<Connection> c;
            {
                std::unique_lock lock(mutex_);
                ready_changed_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
                if (ready_.empty()) return;  // stopping, nothing left in flight
                c = std::move(ready_.front());
                ready_.pop_front();
            }
            serve_connection(std::move(c));
        }
    }

    // Answers every whole request in the connection's buffer, in order, then gives the connection
    // back to the poller (or closes it).
    void serve_connection(std::unique_ptr<Connection> c) {
        bool keep = true;
        std::string refusal;
        while (keep) {
            const std::size_t length = complete_request(c->buffer, refusal);
            if (!length) break;
            t_request_arrival = std::chrono::steady_clock::now();
            BufferedStream stream(*c);
            bool stopping = false;
            {
                std::lock_guard lock(mutex_);
                stopping = stopping_;
            }
            const bool last = stopping || c->served + 1 >= kMaxRequestsPerConnection;
            bool connection_closed = false;
            const bool ok = process_request(stream, last, connection_closed, nullptr);
            ++c->served;
            // A request httplib stopped reading early (a malformed line, a refused body) leaves
            // the rest of its bytes unread: nothing after it can be trusted, so the connection ends.
            const bool whole = stream.consumed() >= length;
            c->buffer.erase(0, std::min(stream.consumed(), c->buffer.size()));
            keep = ok && whole && !connection_closed && !last;
        }
        if (!keep || !refusal.empty()) {
            if (!refusal.empty() && keep) refuse_and_close(*c, refusal);
            else {
                ::shutdown(c->fd, SHUT_RDWR);
                ::close(c->fd);
            }
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        c->last_activity = now;
        c->request_started = now;  // what is left of a next request has its own deadline from here
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                ::close(c->fd);
                return;
            }
            incoming_.push_back(std::move(c));
        }
        wake();
    }

    unsigned worker_count_;
    Pipe wake_;
    std::thread poller_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable ready_changed_;
    bool stopping_ = false;
    std::vector<std::unique_ptr<Connection>> incoming_;  // new, or back from a worker
    std::deque<std::unique_ptr<Connection>> ready_;      // a whole request buffered
};

// Binding refuses an address another process listens on: httplib's default options add
// SO_REUSEPORT, with which a second server on the same port started and took half the requests
// (issue 19, item 15). SO_REUSEADDR alone still allows a restart while old connections linger.
void exclusive_socket_options(socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

}  // namespace

unsigned default_worker_count() {
    // Workers only ever hold a whole request (the poller holds the connections), and searches
    // are admitted a few at a time by the engine: a few workers per core keep the cores busy.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return std::clamp(cores * 4, 8u, 64u);
}

int serve(imr::Engine& engine, const ServeOptions& options) {
    const std::filesystem::path static_dir =
        options.static_dir.empty() ? std::filesystem::path(IMR_DEFAULT_WEB_DIR) : options.static_dir;
    if (!resolve_static_file(static_dir, "/")) {
        log_line("imr-search: the page's folder " + static_dir.string() + " has no index.html");
        return 1;
    }
    const unsigned workers = options.threads ? options.threads : default_worker_count();

    GuardedServer server(workers);
    server.set_socket_options(exclusive_socket_options);
    server.set_payload_max_length(kMaxPayloadBytes);
    // Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK hold every response back about 40 ms.
    server.set_tcp_nodelay(true);
    server.set_read_timeout(5, 0);
    server.set_write_timeout(10, 0);
    // What the Keep-Alive header announces; the poller enforces them (kKeepAliveIdle, ...).
    server.set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(kKeepAliveIdle).count());
    server.set_keep_alive_max_count(kMaxRequestsPerConnection);
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
    const auto deadline_after = options.request_deadline;
    auto deadline = [deadline_after] { return t_request_arrival + deadline_after; };
    server.Get("/api/search", json_route([&reader, deadline](const httplib::Request& req) {
        return api_search(reader, req.params, deadline());
    }));
    server.Get(R"(/api/letters/(.+))", json_route([&reader](const httplib::Request& req) {
        return api_letter(reader, req.matches[1].str(), req.params);
    }));
    server.Get(R"(/api/similar/(.+))", json_route([&reader](const httplib::Request& req) {
        return api_similar(reader, req.matches[1].str(), req.params);
    }));
    server.Get("/api/stats", json_route([&reader, deadline](const httplib::Request& req) {
        return api_stats(reader, req.params, deadline());
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
        accept_stop_signals();
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

    try {
        server.start_connections();
    } catch (const std::exception& e) {
        log_line(std::string("imr-search: ") + e.what());
        return 1;
    }
    log_line("imr-search: serving http://" + url_host(options.host) + ":" + std::to_string(port) + "/ with " +
             std::to_string(workers) + " workers (Ctrl-C stops)");
    if (options.on_listening) options.on_listening(port);
    const bool listened = server.listen_after_bind();
    server.stop_connections();  // the requests in flight are answered first
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
