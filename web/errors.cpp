// Status codes from typed errors, in one place, so that no handler picks its own.
#include "errors.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "engine.h"

namespace imr::web {

std::string error_body(const std::string& message) {
    return nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ErrorReply error_reply(std::exception_ptr error, std::string* detail) {
    auto reply = [&](int status, const std::string& user_text, const std::string& full_text) {
        if (detail) *detail = full_text;
        return ErrorReply{status, error_body(user_text)};
    };
    try {
        std::rethrow_exception(error);
    } catch (const QueryTooCostly& e) {
        // The query itself must change: a client error, said in words.
        return reply(422, e.what(), e.what());
    } catch (const SearchDeadline& e) {
        // The server was too busy or the search too long this time: try again later.
        return reply(503, e.what(), e.what());
    } catch (const BadRequest& e) {  // includes QuerySyntaxError
        return reply(400, e.what(), e.what());
    } catch (const NotFound& e) {
        return reply(404, e.what(), e.what());
    } catch (const AmbiguousId& e) {
        // A case number several letters hold: 300 Multiple Choices, with the letters to choose from.
        if (detail) *detail = e.what();
        nlohmann::json letters = nlohmann::json::array();
        for (const LetterChoice& c : e.letters)
            letters.push_back({{"letter_id", c.letter_id}, {"file", c.file}, {"case_number", c.case_number},
                               {"decision_date", c.decision_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.decision_date)},
                               {"items", c.items}});
        return ErrorReply{300, nlohmann::json{{"error", e.what()}, {"letters", std::move(letters)}}.dump(
                                   -1, ' ', false, nlohmann::json::error_handler_t::replace)};
    } catch (const DatabaseUnavailable& e) {
        return reply(503, e.what(), e.what());
    } catch (const Xapian::DatabaseError& e) {
        // The engine should have wrapped these; a database that vanished mid-request is still not a bug.
        return reply(503, "database unavailable, try again", e.get_description());
    } catch (const Xapian::Error& e) {
        return reply(500, "internal error", e.get_description());
    } catch (const std::exception& e) {
        return reply(500, "internal error", e.what());
    } catch (...) {
        return reply(500, "internal error", "unknown exception");
    }
}

}  // namespace imr::web
