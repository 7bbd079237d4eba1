// Access-log lines: one per request, unforgeable, bounded.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "access_log.h"

TEST_CASE("access-log lines") {
    struct Row {
        const char* scenario;
        std::string method, target;
        int status;
        std::size_t bytes;
        double ms;
        std::string line;
    };
    const std::vector<Row> rows = {
        {"a search", "GET", "/api/search?q=soma&drug=tizanidine", 200, 1532, 4.06,
         "GET /api/search?q=soma&drug=tizanidine 200 1532B 4.1ms"},
        {"an error", "GET", "/api/search?limit=-1", 400, 70, 0.04, "GET /api/search?limit=-1 400 70B 0.0ms"},
        {"a request httplib could not parse has no method", "", "", 400, 0, 0, "- - 400 0B 0.0ms"},
        {"control characters cannot start a new line", "GET", "/a\r\nGET /forged 200", 404, 10, 1,
         "GET /a\\x0D\\x0AGET\\x20/forged\\x20200 404 10B 1.0ms"},
        {"non-ASCII bytes and backslashes are escaped", "GET", "/\xc3\xa9\\", 404, 0, 0,
         "GET /\\xC3\\xA9\\x5C 404 0B 0.0ms"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) {
            CHECK(imr::web::access_log_line(row.method, row.target, row.status, row.bytes, row.ms) == row.line);
        }
    }
    SUBCASE("a very long target is cut") {
        const auto line = imr::web::access_log_line("GET", "/" + std::string(5000, 'a'), 414, 0, 0);
        CHECK(line == "GET /" + std::string(1999, 'a') + "... 414 0B 0.0ms");
    }
}
