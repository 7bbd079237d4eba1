// Turns the HTTP API's query parameters into engine requests; every bad value becomes an imr::BadRequest.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "engine.h"

namespace imr::web {

// Decoded query parameters, name -> value, a name repeated once per value (as the URL gave them).
using QueryParams = std::multimap<std::string, std::string>;

// Limits on what a request may ask for; they keep one request from tying up a worker or the engine.
inline constexpr std::size_t kMaxValueBytes = 1000;         // any single parameter value
inline constexpr std::size_t kMaxValuesPerParameter = 50;   // values of one repeated filter
inline constexpr std::size_t kMaxParameters = 200;          // all values of all parameters
inline constexpr std::size_t kMaxPageSize = 1000;           // limit of /api/search and /api/similar
inline constexpr std::size_t kMaxOffset = 1'000'000'000;    // beyond any index we serve
inline constexpr std::size_t kMaxSuggestions = 100;
inline constexpr std::size_t kDefaultPageSize = 10;
inline constexpr std::size_t kDefaultSuggestions = 10;

// GET /api/search: q, the facet filters, sort, group, limit, offset.
SearchRequest search_request_from(const QueryParams& params);

// GET /api/search.csv: the same parameters; without a limit every matching row is exported.
SearchRequest csv_request_from(const QueryParams& params);

// GET /api/stats: q and the facet filters, plus by= one of stats_dimensions() (engine.h) or its alias.
struct StatsParams {
    SearchRequest request;
    std::string by;
};
StatsParams stats_request_from(const QueryParams& params);

// GET /api/suggest: field= a field with schema::kSuggest (absent: every one), prefix, limit.
struct SuggestParams {
    std::string field;  // empty: complete the values of every suggestion field alike
    std::string prefix;
    std::size_t limit = kDefaultSuggestions;
};
SuggestParams suggest_request_from(const QueryParams& params);

// GET /api/similar/{id}: limit.
std::size_t similar_limit_from(const QueryParams& params);

// GET /api/letters/{id}: q, the query whose terms the letter view highlights.
std::string letter_highlight_from(const QueryParams& params);

// GET /api/health and GET /api/schema take no parameters; throws BadRequest for any.
void check_no_params(const QueryParams& params, const std::string& endpoint);

// Checks an id taken from the path (/api/letters/{id}); throws NotFound when it cannot name a document.
void check_id(const std::string& id);

}  // namespace imr::web
