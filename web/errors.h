// The one place where HTTP status codes are chosen: from the engine's typed errors to a status and a JSON body.
#pragma once

#include <exception>
#include <string>

namespace imr::web {

struct ErrorReply {
    int status = 500;
    std::string body;  // {"error": "..."}
    bool is_server_fault() const { return status >= 500; }
};

// QueryTooCostly -> 422, SearchDeadline -> 503 (both say why), BadRequest (and QuerySyntaxError) -> 400, NotFound -> 404, DatabaseUnavailable and Xapian database
// errors -> 503, anything else -> 500 with a generic text (the details go to the log, not the user).
// `detail` receives the full text of the error for the access log.
ErrorReply error_reply(std::exception_ptr error, std::string* detail = nullptr);

// {"error": message} as compact JSON; bytes that are not UTF-8 are replaced rather than thrown on.
std::string error_body(const std::string& message);

}  // namespace imr::web
