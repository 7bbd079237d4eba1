// Helpers for the HTTP end-to-end and browser tests: start and stop real processes, raw HTTP requests, free ports.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

extern char** environ;

namespace imr::test {

// True in a ThreadSanitizer build, where the server runs 5 to 15 times slower.
#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif
#else
inline constexpr bool kUnderTsan = false;
#endif

// The factor by which the tests' waits (never their assertions) grow: IMR_TEST_TIME_SCALE when
// set (a loaded machine), else 10 under TSan, else 1. A wait only bounds a hang: it ends early.
inline int time_scale() {
    if (const char* scale = std::getenv("IMR_TEST_TIME_SCALE"); scale && std::atoi(scale) > 0) return std::atoi(scale);
    return kUnderTsan ? 10 : 1;
}

// A wait of `seconds` in a plain build, scaled by time_scale().
inline std::chrono::seconds waiting_time(int seconds) { return std::chrono::seconds(seconds * time_scale()); }

// A child process whose stdout and stderr go to one log file; SIGTERM and reaped when it dies.
class ChildProcess {
public:
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_file) : log_(log_file) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        const int error = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (error != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
    }
    ~ChildProcess() {
        if (running()) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
    }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    std::string log() const { return read_file(log_); }

    bool running() {
        if (exit_code_) return false;
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return false;
        }
        return r == 0;
    }

    // Sends `signal` and waits up to `patience` for the exit; nullopt when it did not exit in time.
    std::optional<int> stop(int signal = SIGTERM, std::chrono::seconds patience = imr::test::waiting_time(15)) {
        if (!running()) return exit_code_;
        ::kill(pid_, signal);
        const auto deadline = std::chrono::steady_clock::now() + patience;
        while (std::chrono::steady_clock::now() < deadline) {
            if (!running()) return exit_code_;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return std::nullopt;
    }

    // Waits until the log matches `pattern`; returns the first capture group, or nullopt on exit/timeout.
    std::optional<std::string> wait_for_log(const std::regex& pattern,
                                            std::chrono::seconds patience = imr::test::waiting_time(60)) {
        const auto deadline = std::chrono::steady_clock::now() + patience;
        while (std::chrono::steady_clock::now() < deadline) {
            std::smatch match;
            const auto text = log();
            if (std::regex_search(text, match, pattern)) return match.size() > 1 ? match[1].str() : match[0].str();
            if (!running()) return std::nullopt;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return std::nullopt;
    }

private:
    std::filesystem::path log_;
    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

// imr-search serving `db` on a free loopback port (it binds port 0 and names the port in its log).
class SearchServer {
public:
    SearchServer(const std::filesystem::path& db, const std::filesystem::path& log_file,
                 std::vector<std::string> extra = {"--host", "127.0.0.1"})
        : process_(arguments(db, extra), log_file) {
        const auto port = process_.wait_for_log(std::regex(R"(serving http://[^:/]+:(\d+)/)"));
        if (!port) throw std::runtime_error("imr-search did not start serving; its log:\n" + process_.log());
        port_ = std::stoi(*port);
    }
    // A sanitizer's report in the server's log would go with its temporary folder: it is shown.
    ~SearchServer() {
        const auto text = process_.log();
        if (text.find("Sanitizer") != std::string::npos || text.find("runtime error:") != std::string::npos)
            std::fprintf(stderr, "imr-search reported an error; its log:\n%s\n", text.c_str());
    }
    int port() const { return port_; }
    ChildProcess& process() { return process_; }

private:
    static std::vector<std::string> arguments(const std::filesystem::path& db, const std::vector<std::string>& extra) {
        std::vector<std::string> argv = {search_bin().string(), "--db", db.string(), "serve"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.insert(argv.end(), {"--port", "0"});
        return argv;
    }
    ChildProcess process_;
    int port_ = 0;
};

// A loopback port that was free a moment ago (for programs that cannot bind port 0 themselves).
inline int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("cannot find a free loopback port");
    const int port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

// Sends bytes exactly as given (no client-side normalisation of the path) and returns the whole answer.
inline std::string raw_http(int port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
    timeval timeout{10 * time_scale(), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::size_t sent = 0;
    while (sent < request.size()) {
        const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    std::string answer;
    char buffer[8192];
    while (true) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return answer;
}

// The status code of a raw HTTP answer ("HTTP/1.1 404 Not Found" -> 404), or -1.
inline int raw_status(const std::string& answer) {
    std::smatch match;
    if (std::regex_search(answer, match, std::regex(R"(^HTTP/1\.[01] (\d{3}))"))) return std::stoi(match[1].str());
    return -1;
}

}  // namespace imr::test
