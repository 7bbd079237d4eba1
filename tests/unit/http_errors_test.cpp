// The one mapping from typed engine errors to HTTP status codes and {"error": ...} bodies.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "engine.h"
#include "errors.h"

TEST_CASE("typed errors choose the status; the body says what the user can fix") {
    struct Row {
        const char* scenario;
        std::function<void()> thrower;
        int status;
        std::string body;
        std::string detail;
    };
    const std::vector<Row> rows = {
        {"bad request", [] { throw imr::BadRequest("parameter 'limit' must be a whole number"); }, 400,
         R"({"error":"parameter 'limit' must be a whole number"})", "parameter 'limit' must be a whole number"},
        {"query syntax error is a bad request", [] { throw imr::QuerySyntaxError("unbalanced ( at 1"); }, 400,
         R"({"error":"unbalanced ( at 1"})", "unbalanced ( at 1"},
        {"unknown id", [] { throw imr::NotFound("no letter 'abc'"); }, 404, R"({"error":"no letter 'abc'"})",
         "no letter 'abc'"},
        {"a case number several letters share lists them",
         [] { throw imr::AmbiguousId("on 2 letters", {{"a1", "/l/a.txt", "CM1", "2015-01-02", {"MRI (Upheld)"}}, {"b2", "/l/b.txt", "CM1", "", {}}}); },
         300,
         R"j({"error":"on 2 letters","letters":[{"case_number":"CM1","decision_date":"2015-01-02","file":"/l/a.txt","items":["MRI (Upheld)"],)j"
         R"j("letter_id":"a1"},{"case_number":"CM1","decision_date":null,"file":"/l/b.txt","items":[],"letter_id":"b2"}]})j",
         "on 2 letters"},
        {"database unavailable", [] { throw imr::DatabaseUnavailable("cannot open /x/db"); }, 503,
         R"({"error":"cannot open /x/db"})", "cannot open /x/db"},
        {"a Xapian database error the engine did not wrap",
         [] { throw Xapian::DatabaseModifiedError("revision gone"); }, 503,
         R"({"error":"database unavailable, try again"})", "DatabaseModifiedError: revision gone"},
        {"another Xapian error is ours, and its text stays in the log",
         [] { throw Xapian::InvalidArgumentError("bad slot"); }, 500, R"({"error":"internal error"})",
         "InvalidArgumentError: bad slot"},
        // Issue 19: a stopped search says why, and the status says whose turn it is.
        {"a query over the work bound is the user's to change", [] { throw imr::QueryTooCostly("too much work"); }, 422,
         R"({"error":"too much work"})", "too much work"},
        {"a search past its deadline is the server's, for now", [] { throw imr::SearchDeadline("past its deadline"); },
         503, R"({"error":"past its deadline"})", "past its deadline"},
        {"a plain engine error is ours", [] { throw imr::EngineError("index corrupt at 12"); }, 500,
         R"({"error":"internal error"})", "index corrupt at 12"},
        {"any other exception is ours", [] { throw std::logic_error("vector index 7"); }, 500,
         R"({"error":"internal error"})", "vector index 7"},
        {"not even an exception", [] { throw 42; }, 500, R"({"error":"internal error"})", "unknown exception"},
        {"invalid UTF-8 in a message is replaced, not thrown on",
         [] { throw imr::BadRequest("unknown parameter 'x\xff'"); }, 400,
         "{\"error\":\"unknown parameter 'x\xef\xbf\xbd'\"}", "unknown parameter 'x\xff'"},
        {"quotes and control characters are escaped as JSON",
         [] { throw imr::BadRequest("bad \"phrase\n"); }, 400, R"({"error":"bad \"phrase\n"})", "bad \"phrase\n"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) {
            std::exception_ptr error;
            try {
                row.thrower();
            } catch (...) {
                error = std::current_exception();
            }
            std::string detail;
            const auto reply = imr::web::error_reply(error, &detail);
            CHECK(reply.status == row.status);
            CHECK(reply.body == row.body);
            CHECK(detail == row.detail);
            CHECK(reply.is_server_fault() == (row.status >= 500));
        }
    }
}
