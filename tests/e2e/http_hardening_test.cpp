// The server against a hostile client (issue 19): slow and huge headers, pipelining, keep-alive,
// a per-request deadline, and a query over the work bound.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <thread>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_process.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace imr::test;

namespace {

struct Index {
    TempDir dir;
    Index() {
        const auto r = run(quote(index_bin()) + " --quiet --db " + quote(dir / "db") + " " +
                           quote(source_dir() / "data" / "samples" / "letters"));
        REQUIRE(r.exit_code <= 1);
    }
};

Index& sample_index() {
    static Index index;
    return index;
}

// A connected loopback socket with a receive timeout, so a hung server fails the test rather than
// hanging it (the timeout bounds the wait; nothing here asserts on time).
int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    REQUIRE(fd >= 0);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    timeval timeout{30 * time_scale(), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
}

void send_all(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

// Reads until `count` responses have arrived (counted by status lines) or the peer closes.
std::string read_responses(int fd, std::size_t count) {
    std::string answer;
    char buffer[8192];
    while (true) {
        std::size_t seen = 0;
        for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos; at = answer.find("HTTP/1.1 ", at + 1)) ++seen;
        // Every response of this test has a Content-Length, so a complete last body ends the count.
        if (seen >= count && answer.size() > 4 && answer.find("\r\n\r\n", answer.rfind("HTTP/1.1 ")) != std::string::npos) {
            const auto header_end = answer.find("\r\n\r\n", answer.rfind("HTTP/1.1 "));
            const auto length_at = answer.find("Content-Length: ", answer.rfind("HTTP/1.1 "));
            if (length_at != std::string::npos && length_at < header_end &&
                answer.size() >= header_end + 4 + std::stoul(answer.substr(length_at + 16)))
                break;
        }
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer;
}

// True in an AddressSanitizer build (kUnderTsan is http_process.h's).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderAsan = true;
#else
constexpr bool kUnderAsan = false;
#endif
#else
constexpr bool kUnderAsan = false;
#endif

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

// Issue 19, item 12: only the first of a pipelined batch was answered; keep-alive closed after 2 s
// idle or 20 requests.
TEST_CASE("pipelined requests are all answered, in order, on one connection") {
    SearchServer server(sample_index().dir / "db", sample_index().dir / "pipeline.log");
    const int fd = connect_to(server.port());
    std::string batch;
    for (int i = 0; i < 30; ++i) batch += "GET /api/search?q=soma&limit=" + std::to_string(i + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    send_all(fd, batch);
    const auto answer = read_responses(fd, 30);
    CHECK(count_of(answer, "HTTP/1.1 200 OK") == 30);
    CHECK(answer.find("\"limit\":1,") < answer.find("\"limit\":30,"));
    CHECK(answer.find("Keep-Alive: timeout=60, max=1000") != std::string::npos);
    // The connection is still open for more than 20 requests.
    send_all(fd, "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(read_responses(fd, 1).rfind("HTTP/1.1 200 OK", 0) == 0);
    ::close(fd);
}

// Issue 19, items 5 and 6: 200 slow connections left the server answering 0 of 4 probes, and four
// 128 MB headers took its RSS to 1 GB.
TEST_CASE("slow and huge headers hold neither the workers nor the memory") {
    SearchServer server(sample_index().dir / "db", sample_index().dir / "slow.log");
    std::vector<int> slow;
    for (int i = 0; i < 300; ++i) {  // far more than the workers (8 to 64)
        slow.push_back(connect_to(server.port()));
        send_all(slow.back(), "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    }
    for (int probe = 0; probe < 4; ++probe) {
        const auto answer = raw_http(server.port(), "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(raw_status(answer) == 200);
    }
    const int big = connect_to(server.port());
    send_all(big, "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'a'));
    const auto refused = read_responses(big, 1);
    CHECK(raw_status(refused) == 431);
    CHECK(refused.find("request header too large") != std::string::npos);
    ::close(big);
    // A slow header is answered 408 and closed once its time is up; the wait is the server's.
    const auto timed_out = read_responses(slow.front(), 1);
    CHECK(raw_status(timed_out) == 408);
    for (int fd : slow) ::close(fd);
    CHECK(server.process().running());
}

// A search past its deadline is answered 503 with the reason, and a query over the work bound 422.
TEST_CASE("a stopped search says why: 503 past the deadline, 422 over the work bound") {
    ::setenv("IMR_REQUEST_DEADLINE_MS", "0", 1);
    SearchServer late(sample_index().dir / "db", sample_index().dir / "deadline.log");
    ::unsetenv("IMR_REQUEST_DEADLINE_MS");
    const auto answer = raw_http(late.port(), "GET /api/search?q=soma HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(raw_status(answer) == 503);
    CHECK(answer.find("past its deadline") != std::string::npos);
    const auto health = raw_http(late.port(), "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(raw_status(health) == 200);

    SearchServer server(sample_index().dir / "db", sample_index().dir / "bound.log");
    const auto chain = raw_http(server.port(),
                                "GET /api/search?q=the%20NEAR%2F1000%20the%20NEAR%2F1000%20the HTTP/1.1\r\nHost: x\r\n"
                                "Connection: close\r\n\r\n");
    CHECK(raw_status(chain) == 400);
    CHECK(chain.find("spans 2000 words; the limit is 1000") != std::string::npos);
}

// Issue 19, item 16: the server's memory went 36 -> 292 MB over five rounds of the same load and
// was still growing. Five rounds of the same requests (counted, not timed) from 32 clients, and
// from 8 more that each send one request with an 8 MB header, as a hostile client would: what the
// last rounds add must be small against what the first ones took, and the server must end near its
// idle size. Without the big headers the server before the hardening (17f4e11) levelled off too,
// 55 -> 66 MB, so the test could not fail; with them it went 32 -> 237, 265, 364, 431, 431 MB.
// Measured here: 33 MB idle, 46 MB in every round.
// Under TSan each client asks every target once a round instead of five times: there the test is
// for races between 32 clients' requests, and its 6,400 requests took 10 minutes (`make test` and
// `make test-asan` run the full rounds).
TEST_CASE("memory levels off under rounds of the same load") {
    SearchServer server(sample_index().dir / "db", sample_index().dir / "memory.log");
    auto rss_kb = [&] {
        std::ifstream status("/proc/" + std::to_string(server.process().pid()) + "/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
        return 0L;
    };
    const long idle = rss_kb();
    const std::vector<std::string> targets = {
        "/api/search?q=soma&limit=1000", "/api/search?q=%22medically%20necessary%22&limit=1000",
        "/api/search?q=pain&limit=500", "/api/stats?by=drug",
        "/api/search?q=the%20w%2F50%20patient&group=letter", "/api/suggest?prefix=ca",
        "/api/search?q=carisoprod*%20OR%20tramadol&sort=decided", "/api/health"};
    const std::size_t requests_per_client = targets.size() * (kUnderTsan ? 1 : 5);
    std::vector<long> rss;
    for (int round = 0; round < 5; ++round) {
        std::vector<std::thread> clients;
        for (int c = 0; c < 32; ++c) {
            clients.emplace_back([&, c] {
                // A failed REQUIRE has reported already; its exception must not leave the thread (terminate).
                try {
                    const int fd = connect_to(server.port());
                    for (std::size_t i = 0; i < requests_per_client; ++i) {
                        send_all(fd, "GET " + targets[(static_cast<std::size_t>(c) + i) % targets.size()] +
                                         " HTTP/1.1\r\nHost: x\r\n\r\n");
                        if (read_responses(fd, 1).empty()) break;
                    }
                    ::close(fd);
                } catch (...) {
                }
            });
        }
        for (int c = 0; c < 8; ++c) {
            clients.emplace_back([&] {
                try {
                    const int fd = connect_to(server.port());
                    send_all(fd, "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8 << 20, 'a') +
                                     "\r\nConnection: close\r\n\r\n");
                    read_responses(fd, 1);  // a 431 (or a reset): either way, the header is the load
                    ::close(fd);
                } catch (...) {
                }
            });
        }
        for (auto& t : clients) t.join();
        rss.push_back(rss_kb());
        MESSAGE("round " << round + 1 << ": RSS " << rss.back() / 1024 << " MB");
    }
    REQUIRE(rss[1] > 0);
    // The last two rounds may add at most a tenth of the second round's size (and 4 MB of noise).
    CHECK(rss[4] - rss[1] <= rss[1] / 10 + 4096);
    // Near its idle size: at most 64 MB more. Not under a sanitizer, whose shadow memory and
    // quarantine grow with the load.
    MESSAGE("idle: RSS " << idle / 1024 << " MB");
    if (!kUnderTsan && !kUnderAsan) CHECK(rss[4] - idle <= 64 * 1024);
    CHECK(server.process().running());
}
