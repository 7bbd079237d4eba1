// The API's handlers: translate parameters with params.h, call the engine, shape the answer. Nothing else.
#include "api.h"

#include <algorithm>

#include "schema.h"

namespace imr::web {

std::string json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json api_search(const Engine& engine, const QueryParams& params,
                          std::optional<std::chrono::steady_clock::time_point> deadline) {
    auto request = search_request_from(params);
    request.deadline = deadline;
    const auto result = engine.search(request);
    const auto available = request.group_by_letter ? result.total_letters : result.total;
    // The engine refuses offsets beyond the end; an offset exactly at the end is refused here, in its words.
    if (request.offset > 0 && request.offset >= available)
        throw BadRequest("offset " + std::to_string(request.offset) + " is past the end of the results (" +
                         std::to_string(available) + (request.group_by_letter ? " letters)" : " matches)"));
    return to_json(result);
}

nlohmann::json api_letter(const Engine& engine, const std::string& id, const QueryParams& params) {
    const auto highlight = letter_highlight_from(params);
    check_id(id);
    return engine.letter(id, highlight);
}

nlohmann::json api_similar(const Engine& engine, const std::string& id, const QueryParams& params) {
    const auto limit = similar_limit_from(params);
    check_id(id);
    return to_json(engine.similar(id, limit));
}

nlohmann::json api_stats(const Engine& engine, const QueryParams& params,
                         std::optional<std::chrono::steady_clock::time_point> deadline) {
    auto stats = stats_request_from(params);
    stats.request.deadline = deadline;
    return to_json(engine.stats(stats.request, stats.by));
}

nlohmann::json api_suggest(const Engine& engine, const QueryParams& params) {
    const auto suggest = suggest_request_from(params);
    if (!suggest.field.empty())
        return {{"field", suggest.field},
                {"prefix", suggest.prefix},
                {"values", engine.suggest(suggest.field, suggest.prefix, suggest.limit)}};
    // Without a field the filter boxes share one list: each field's completions, labelled.
    nlohmann::json values = nlohmann::json::array();
    for (const schema::Field* field : schema::fields_with(schema::kSuggest))
        for (const auto& value : engine.suggest(std::string(field->name), suggest.prefix, suggest.limit))
            if (values.size() < suggest.limit) values.push_back({{"field", field->name}, {"value", value}});
    return {{"field", nullptr}, {"prefix", suggest.prefix}, {"values", values}};
}

nlohmann::json api_health(const Engine& engine, const QueryParams& params) {
    check_no_params(params, "/api/health");
    auto health = to_json(engine.health());
    health["status"] = "ok";
    return health;
}

nlohmann::json api_schema(const QueryParams& params) {
    check_no_params(params, "/api/schema");
    return schema_json();
}

CsvExport::CsvExport(const Engine& engine, SearchRequest request, std::size_t page_size)
    : engine_(engine), request_(std::move(request)), page_size_(std::max<std::size_t>(page_size, 1)) {
    request_.with_facets = false;
}

std::optional<std::string> CsvExport::next() {
    if (!header_done_) {
        header_done_ = true;
        return csv_hit_header();
    }
    if (finished_) return std::nullopt;
    SearchRequest page = request_;
    page.offset = request_.offset + produced_;
    page.limit = std::min(page_size_, request_.limit - produced_);
    const auto result = engine_.search(page);
    std::string chunk;
    for (const auto& hit : result.hits) chunk += csv_hit_row(hit);
    produced_ += result.hits.size();
    if (result.hits.size() < page.limit || produced_ >= request_.limit) finished_ = true;
    if (chunk.empty()) return std::nullopt;
    return chunk;
}

}  // namespace imr::web
