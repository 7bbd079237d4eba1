// Translation of HTTP query parameters into engine requests, with every limit the API promises.
#include "params.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include <unicode/utf8.h>

#include "schema.h"
#include "text_scan.h"

namespace imr::web {
namespace {

// The facet filters are parameters by their names (not their aliases: a URL says a thing one way),
// stats dimensions and suggestion fields values of by= and field= (schema::kFields).
const std::vector<std::string_view>& filter_names() {
    static const std::vector<std::string_view> names = schema::names_with(schema::kFilter);
    return names;
}

// Echoes of user input in messages are cut so a huge value cannot make a huge error.
std::string echo(std::string_view value) {
    constexpr std::size_t kEchoBytes = 100;
    if (value.size() <= kEchoBytes) return std::string(value);
    std::size_t cut = kEchoBytes;
    // Do not split a UTF-8 sequence: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    return std::string(value.substr(0, cut)) + "...";
}

bool is_valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    std::int32_t i = 0;
    while (i < length) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) return false;
    }
    return true;
}

using scan::or_list;

std::string lower_ascii(std::string_view value) {
    std::string out(value);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Reads the parameters of one endpoint: checks every generic limit up front, then hands out values.
class ParamReader {
public:
    ParamReader(const QueryParams& params, std::string_view endpoint, std::vector<std::string_view> allowed)
        : params_(params) {
        if (params.size() > kMaxParameters)
            throw BadRequest("too many parameters: " + std::to_string(params.size()) + " values (at most " +
                             std::to_string(kMaxParameters) + ")");
        for (const auto& [name, value] : params) {
            if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
                std::string takes;
                for (auto a : allowed) takes += (takes.empty() ? "" : ", ") + std::string(a);
                throw BadRequest("unknown parameter '" + echo(name) + "' for " + std::string(endpoint) +
                                 (allowed.empty() ? " (it takes no parameters)" : " (it takes " + takes + ")"));
            }
            if (value.size() > kMaxValueBytes)
                throw BadRequest("parameter '" + name + "' is " + std::to_string(value.size()) +
                                 " bytes long (at most " + std::to_string(kMaxValueBytes) + ")");
            if (!is_valid_utf8(value)) throw BadRequest("parameter '" + name + "' is not valid UTF-8");
        }
        for (auto name : allowed) {
            const auto count = params.count(std::string(name));
            if (count > kMaxValuesPerParameter)
                throw BadRequest("parameter '" + std::string(name) + "' has " + std::to_string(count) +
                                 " values (at most " + std::to_string(kMaxValuesPerParameter) + ")");
        }
    }

    // The one value of a single-valued parameter; an empty value counts as not given (HTML forms).
    std::optional<std::string> single(std::string_view name) const {
        const auto [begin, end] = params_.equal_range(std::string(name));
        std::optional<std::string> found;
        std::size_t given = 0;
        for (auto it = begin; it != end; ++it) {
            ++given;
            if (!it->second.empty()) found = it->second;
        }
        if (given > 1)
            throw BadRequest("parameter '" + std::string(name) + "' is given " + std::to_string(given) +
                             " times (it takes one value)");
        return found;
    }

    // Every non-empty value of a repeatable parameter, in URL order.
    std::vector<std::string> all(std::string_view name) const {
        std::vector<std::string> values;
        const auto [begin, end] = params_.equal_range(std::string(name));
        for (auto it = begin; it != end; ++it)
            if (!it->second.empty()) values.push_back(it->second);
        return values;
    }

    std::size_t number(std::string_view name, std::size_t fallback, std::size_t max) const {
        const auto value = single(name);
        if (!value) return fallback;
        std::size_t parsed = 0;
        const char* first = value->data();
        const char* last = first + value->size();
        const auto [end, error] = std::from_chars(first, last, parsed);
        if (error != std::errc() || end != last || parsed > max)
            throw BadRequest("parameter '" + std::string(name) + "' must be a whole number from 0 to " +
                             std::to_string(max) + ", got '" + echo(*value) + "'");
        return parsed;
    }

private:
    const QueryParams& params_;
};

std::vector<std::string_view> names(std::initializer_list<std::string_view> extra, bool with_filters) {
    std::vector<std::string_view> out;
    if (with_filters) {
        out.push_back("q");
        out.push_back("scope");
        out.insert(out.end(), filter_names().begin(), filter_names().end());
    }
    out.insert(out.end(), extra);
    return out;
}

void check_year(const std::string& value) {
    int year = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), year);
    if (error != std::errc() || end != value.data() + value.size() || value.size() != 4 || year < 1900 ||
        year > 2100)
        throw BadRequest("parameter 'year' must be a year from 1900 to 2100, got '" + echo(value) + "'");
}

// A field that takes only some values (schema::Field::choices), given one of them in any case.
void check_choice(const schema::Field& field, const std::string& value) {
    const std::string folded = lower_ascii(value);
    if (std::find(field.choices.begin(), field.choices.end(), folded) == field.choices.end())
        throw BadRequest("parameter '" + std::string(field.name) + "' must be " + or_list(field.choices) + ", got '" +
                         echo(value) + "'");
}

// q and the facet filters, shared by search, CSV and stats.
void read_query_and_filters(const ParamReader& reader, SearchRequest& request) {
    request.query = reader.single("q").value_or("");
    if (const auto scope = reader.single("scope")) {
        if (*scope == "letter") request.scope = Scope::Letter;
        else if (*scope != "determination")
            throw BadRequest("parameter 'scope' must be determination or letter, got '" + echo(*scope) + "'");
    }
    for (const schema::Field* field : schema::fields_with(schema::kFilter)) {
        auto values = reader.all(field->name);
        if (values.empty()) continue;
        for (const auto& value : values) {
            if (field->prefix == schema::kYear) check_year(value);
            if (!field->choices.empty()) check_choice(*field, value);
        }
        request.filters[std::string(field->name)] = std::move(values);
    }
}

SearchRequest read_search(const ParamReader& reader, std::size_t default_limit, std::size_t max_limit) {
    SearchRequest request;
    read_query_and_filters(reader, request);
    if (const auto sort = reader.single("sort")) {
        if (*sort == "relevance") request.sort = SortOrder::Relevance;
        else if (*sort == "decided") request.sort = SortOrder::DecisionDate;
        else if (*sort == "injured") request.sort = SortOrder::InjuryDate;
        else throw BadRequest("parameter 'sort' must be relevance, decided or injured, got '" + echo(*sort) + "'");
    }
    if (const auto group = reader.single("group")) {
        if (*group != "letter") throw BadRequest("parameter 'group' must be letter, got '" + echo(*group) + "'");
        request.group_by_letter = true;
    }
    request.limit = reader.number("limit", default_limit, max_limit);
    request.offset = reader.number("offset", 0, kMaxOffset);
    return request;
}

}  // namespace

SearchRequest search_request_from(const QueryParams& params) {
    const ParamReader reader(params, "/api/search", names({"sort", "group", "limit", "offset"}, true));
    return read_search(reader, kDefaultPageSize, kMaxPageSize);
}

SearchRequest csv_request_from(const QueryParams& params) {
    const ParamReader reader(params, "/api/search.csv", names({"sort", "group", "limit", "offset"}, true));
    // A spreadsheet export wants every row: no default page, and a limit only when one is asked for.
    auto request = read_search(reader, SIZE_MAX, kMaxOffset);
    request.with_facets = false;
    return request;
}

StatsParams stats_request_from(const QueryParams& params) {
    const ParamReader reader(params, "/api/stats", names({"by"}, true));
    StatsParams out;
    read_query_and_filters(reader, out.request);
    out.request.with_facets = false;
    const auto by = reader.single("by");
    const auto dimensions = schema::names_with(schema::kStats);
    if (!by) throw BadRequest("missing parameter 'by' (" + or_list(dimensions) + ")");
    const schema::Field* field = schema::find_field(*by, schema::kStats);
    if (!field) throw BadRequest("unknown facet '" + echo(*by) + "' for parameter 'by' (" + or_list(dimensions) + ")");
    out.by = field->name;
    return out;
}

SuggestParams suggest_request_from(const QueryParams& params) {
    const ParamReader reader(params, "/api/suggest", names({"field", "prefix", "limit"}, false));
    SuggestParams out;
    const auto field = reader.single("field");
    const schema::Field* suggested = field ? schema::find_field(*field, schema::kSuggest) : nullptr;
    if (field && !suggested)
        throw BadRequest("unknown facet '" + echo(*field) + "' for parameter 'field' (" +
                         or_list(schema::names_with(schema::kSuggest)) + ")");
    out.field = suggested ? std::string(suggested->name) : std::string();
    out.prefix = reader.single("prefix").value_or("");
    out.limit = reader.number("limit", kDefaultSuggestions, kMaxSuggestions);
    return out;
}

std::size_t similar_limit_from(const QueryParams& params) {
    const ParamReader reader(params, "/api/similar", names({"limit"}, false));
    return reader.number("limit", kDefaultPageSize, kMaxPageSize);
}

std::string letter_highlight_from(const QueryParams& params) {
    const ParamReader reader(params, "/api/letters", names({"q"}, false));
    return reader.single("q").value_or("");
}

void check_no_params(const QueryParams& params, const std::string& endpoint) {
    const ParamReader reader(params, endpoint, {});
}

void check_id(const std::string& id) {
    // Ids are hex letter ids, optionally "/<ordinal>"; anything longer or stranger names nothing.
    constexpr std::size_t kMaxIdBytes = 100;
    const bool plausible = !id.empty() && id.size() <= kMaxIdBytes &&
                           std::all_of(id.begin(), id.end(), [](char c) {
                               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                      c == '/' || c == '-' || c == '_';
                           });
    if (!plausible) throw NotFound("no letter or determination with id '" + echo(id) + "'");
}

}  // namespace imr::web
