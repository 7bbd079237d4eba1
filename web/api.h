// The API's handlers as plain functions: parameters in, JSON (or CSV) out, typed errors thrown. No sockets here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "csv_export.h"
#include "engine.h"
#include "params.h"

namespace imr::web {

// GET /api/search: the JSON contract of the engine. An offset at or past the end of a non-empty
// result is the caller's mistake (BadRequest), so a pager can never silently show an empty page.
// `deadline`: when the search must have answered (SearchDeadline after it), none = no deadline.
nlohmann::json api_search(const Engine& engine, const QueryParams& params,
                          std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
// GET /api/letters/{id}: the whole letter; q highlights its terms.
nlohmann::json api_letter(const Engine& engine, const std::string& id, const QueryParams& params);
// GET /api/similar/{id}
nlohmann::json api_similar(const Engine& engine, const std::string& id, const QueryParams& params);
// GET /api/stats?by=...
nlohmann::json api_stats(const Engine& engine, const QueryParams& params,
                         std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
// GET /api/suggest?field=...&prefix=...: {"field", "prefix", "values": [...]}
nlohmann::json api_suggest(const Engine& engine, const QueryParams& params);
// GET /api/health: {"status": "ok", "documents", "letters", "revision"}
nlohmann::json api_health(const Engine& engine, const QueryParams& params);

// GET /api/schema: the field registry (engine.h, schema_json), for the page to build its facets from.
nlohmann::json api_schema(const QueryParams& params);

// Compact JSON text; bytes that are not UTF-8 (say, in a letter's text) are replaced, never thrown on.
std::string json_text(const nlohmann::json& value);

// GET /api/search.csv, produced piece by piece so that any number of rows streams in bounded memory:
// the header line first, then one page of the engine's results per call.
class CsvExport {
public:
    CsvExport(const Engine& engine, SearchRequest request, std::size_t page_size = 1000);
    // The next piece of the file, or nothing when every row has been produced.
    std::optional<std::string> next();

private:
    const Engine& engine_;
    SearchRequest request_;
    std::size_t page_size_;
    std::size_t produced_ = 0;
    bool header_done_ = false;
    bool finished_ = false;
};

}  // namespace imr::web
