// Translation of HTTP query parameters into engine requests: accepted shapes and exact error texts.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "api.h"
#include "params.h"
#include "schema.h"

using imr::BadRequest;
using imr::NotFound;
using imr::SortOrder;
using imr::web::QueryParams;

namespace {

QueryParams params(std::vector<std::pair<std::string, std::string>> pairs) {
    QueryParams out;
    for (auto& [name, value] : pairs) out.emplace(name, value);
    return out;
}

std::string error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const BadRequest& e) {
        return std::string("400 ") + e.what();
    } catch (const NotFound& e) {
        return std::string("404 ") + e.what();
    }
    return "no error";
}

const std::string kSearchTakes =
    "q, scope, decision, drug, class, category, source, document, guideline, basis, cabasis, specialty, state, year, priority, "
    "sort, group, limit, offset";
const std::string kStatsBy = "drug, class, category, source, document, guideline, basis, specialty, state or year";

}  // namespace

TEST_CASE("search parameters become the engine request") {
    using Filters = std::map<std::string, std::vector<std::string>>;
    struct Row {
        const char* scenario;
        QueryParams given;
        std::string query;
        Filters filters;
        SortOrder sort;
        bool group;
        std::size_t limit, offset;
    };
    const std::vector<Row> rows = {
        {"nothing browses everything", params({}), "", {}, SortOrder::Relevance, false, 10, 0},
        {"a query", params({{"q", "\"medically necessary\" w/5 soma"}}), "\"medically necessary\" w/5 soma", {},
         SortOrder::Relevance, false, 10, 0},
        {"repeated values of one facet are kept in order for OR",
         params({{"drug", "soma"}, {"drug", "tizanidine"}, {"decision", "Overturned"}}), "",
         Filters{{"drug", {"soma", "tizanidine"}}, {"decision", {"Overturned"}}}, SortOrder::Relevance, false, 10, 0},
        {"every facet name", params({{"class", "opioid"}, {"category", "medication"}, {"guideline", "MTUS: Opioids"},
                                     {"specialty", "Pain Management"}, {"state", "California"}, {"year", "2015"},
                                     {"decision", "upheld"}}),
         "",
         Filters{{"class", {"opioid"}}, {"category", {"medication"}}, {"guideline", {"MTUS: Opioids"}},
                 {"specialty", {"Pain Management"}}, {"state", {"California"}}, {"year", {"2015"}},
                 {"decision", {"upheld"}}},
         SortOrder::Relevance, false, 10, 0},
        {"empty values are not given (an HTML form sends them)",
         params({{"q", ""}, {"drug", ""}, {"limit", ""}, {"sort", ""}}), "", {}, SortOrder::Relevance, false, 10, 0},
        {"sort by decision date", params({{"sort", "decided"}}), "", {}, SortOrder::DecisionDate, false, 10, 0},
        {"sort by injury date", params({{"sort", "injured"}}), "", {}, SortOrder::InjuryDate, false, 10, 0},
        {"sort by relevance", params({{"sort", "relevance"}}), "", {}, SortOrder::Relevance, false, 10, 0},
        {"group by letter", params({{"group", "letter"}}), "", {}, SortOrder::Relevance, true, 10, 0},
        {"paging", params({{"limit", "25"}, {"offset", "50"}}), "", {}, SortOrder::Relevance, false, 25, 50},
        {"limit zero asks for facets only", params({{"limit", "0"}}), "", {}, SortOrder::Relevance, false, 0, 0},
        {"the largest limit", params({{"limit", "1000"}}), "", {}, SortOrder::Relevance, false, 1000, 0},
        {"a value of exactly 1000 bytes", params({{"q", std::string(1000, 'a')}}), std::string(1000, 'a'), {},
         SortOrder::Relevance, false, 10, 0},
        {"UTF-8 text", params({{"q", "Zanaflex\u00ae \u00e9t\u00e9"}}), "Zanaflex\u00ae \u00e9t\u00e9", {},
         SortOrder::Relevance, false, 10, 0},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) {
            const auto request = imr::web::search_request_from(row.given);
            CHECK(request.query == row.query);
            CHECK(request.filters == row.filters);
            CHECK(request.sort == row.sort);
            CHECK(request.group_by_letter == row.group);
            CHECK(request.limit == row.limit);
            CHECK(request.offset == row.offset);
            CHECK(request.with_facets);
        }
    }
}

TEST_CASE("bad search parameters are a BadRequest naming the parameter and value") {
    struct Row {
        const char* scenario;
        QueryParams given;
        std::string error;
    };
    std::vector<std::pair<std::string, std::string>> fifty_one_drugs;
    for (int i = 0; i < 51; ++i) fifty_one_drugs.emplace_back("drug", "d" + std::to_string(i));
    std::vector<std::pair<std::string, std::string>> two_hundred_one;
    for (int i = 0; i < 201; ++i) two_hundred_one.emplace_back(i % 2 ? "state" : "specialty", "v");
    const std::vector<Row> rows = {
        {"negative limit", params({{"limit", "-1"}}),
         "400 parameter 'limit' must be a whole number from 0 to 1000, got '-1'"},
        {"non-numeric limit", params({{"limit", "ten"}}),
         "400 parameter 'limit' must be a whole number from 0 to 1000, got 'ten'"},
        {"limit with trailing junk", params({{"limit", "10abc"}}),
         "400 parameter 'limit' must be a whole number from 0 to 1000, got '10abc'"},
        {"limit too large", params({{"limit", "1001"}}),
         "400 parameter 'limit' must be a whole number from 0 to 1000, got '1001'"},
        {"limit beyond 64 bits", params({{"limit", "99999999999999999999999"}}),
         "400 parameter 'limit' must be a whole number from 0 to 1000, got '99999999999999999999999'"},
        {"limit with a plus sign", params({{"limit", "+5"}}),
         "400 parameter 'limit' must be a whole number from 0 to 1000, got '+5'"},
        {"non-numeric offset", params({{"offset", "x"}}),
         "400 parameter 'offset' must be a whole number from 0 to 1000000000, got 'x'"},
        {"negative offset", params({{"offset", "-10"}}),
         "400 parameter 'offset' must be a whole number from 0 to 1000000000, got '-10'"},
        {"fractional offset", params({{"offset", "1.5"}}),
         "400 parameter 'offset' must be a whole number from 0 to 1000000000, got '1.5'"},
        {"unknown parameter", params({{"colour", "red"}}),
         "400 unknown parameter 'colour' for /api/search (it takes " + kSearchTakes + ")"},
        {"the JSON facet name is not the filter name", params({{"drug_class", "opioid"}}),
         "400 unknown parameter 'drug_class' for /api/search (it takes " + kSearchTakes + ")"},
        {"parameter names are case-sensitive", params({{"Drug", "soma"}}),
         "400 unknown parameter 'Drug' for /api/search (it takes " + kSearchTakes + ")"},
        {"over-long value", params({{"q", std::string(1001, 'a')}}),
         "400 parameter 'q' is 1001 bytes long (at most 1000)"},
        {"over-long filter value", params({{"guideline", std::string(5000, 'g')}}),
         "400 parameter 'guideline' is 5000 bytes long (at most 1000)"},
        {"invalid UTF-8", params({{"q", "soma\xff"}}), "400 parameter 'q' is not valid UTF-8"},
        {"overlong UTF-8 encoding of '/'", params({{"drug", "\xc0\xaf"}}), "400 parameter 'drug' is not valid UTF-8"},
        {"too many values of one facet", params(fifty_one_drugs), "400 parameter 'drug' has 51 values (at most 50)"},
        {"too many parameters in all", params(two_hundred_one), "400 too many parameters: 201 values (at most 200)"},
        {"repeated single-valued parameter", params({{"limit", "10"}, {"limit", "20"}}),
         "400 parameter 'limit' is given 2 times (it takes one value)"},
        {"repeated query", params({{"q", "soma"}, {"q", "norco"}}),
         "400 parameter 'q' is given 2 times (it takes one value)"},
        {"unknown sort", params({{"sort", "date"}}),
         "400 parameter 'sort' must be relevance, decided or injured, got 'date'"},
        {"unknown group", params({{"group", "case"}}), "400 parameter 'group' must be letter, got 'case'"},
        {"unknown scope", params({{"scope", "item"}}), "400 parameter 'scope' must be determination or letter, got 'item'"},
        {"unknown decision", params({{"decision", "maybe"}}),
         "400 parameter 'decision' must be upheld, overturned or unknown, got 'maybe'"},
        {"one bad decision among good ones", params({{"decision", "Upheld"}, {"decision", "denied"}}),
         "400 parameter 'decision' must be upheld, overturned or unknown, got 'denied'"},
        {"year that is not a number", params({{"year", "last"}}),
         "400 parameter 'year' must be a year from 1900 to 2100, got 'last'"},
        {"two-digit year", params({{"year", "15"}}), "400 parameter 'year' must be a year from 1900 to 2100, got '15'"},
        {"year out of range", params({{"year", "3015"}}),
         "400 parameter 'year' must be a year from 1900 to 2100, got '3015'"},
        {"echo of a long bad value is cut", params({{"sort", std::string(150, 'z')}}),
         "400 parameter 'sort' must be relevance, decided or injured, got '" + std::string(100, 'z') + "...'"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) {
            CHECK(error_of([&] { imr::web::search_request_from(row.given); }) == row.error);
        }
    }
}

TEST_CASE("the CSV export takes the search parameters and defaults to every row") {
    SUBCASE("no limit means all rows, without facets") {
        const auto request = imr::web::csv_request_from(params({{"q", "soma"}, {"drug", "soma"}}));
        CHECK(request.limit == SIZE_MAX);
        CHECK(request.offset == 0);
        CHECK_FALSE(request.with_facets);
        CHECK(request.filters.at("drug") == std::vector<std::string>{"soma"});
    }
    SUBCASE("an explicit limit beyond the page cap is allowed") {
        CHECK(imr::web::csv_request_from(params({{"limit", "50000"}})).limit == 50000);
    }
    SUBCASE("a bad value is still an error") {
        CHECK(error_of([] { imr::web::csv_request_from(params({{"limit", "-3"}})); }) ==
              "400 parameter 'limit' must be a whole number from 0 to 1000000000, got '-3'");
    }
    SUBCASE("unknown parameters name this endpoint") {
        CHECK(error_of([] { imr::web::csv_request_from(params({{"format", "xlsx"}})); }) ==
              "400 unknown parameter 'format' for /api/search.csv (it takes " + kSearchTakes + ")");
    }
}

TEST_CASE("stats, suggest, similar, letters and health parameters") {
    struct Row {
        const char* scenario;
        std::function<void()> call;
        std::string error;
    };
    const std::vector<Row> rows = {
        {"stats without by", [] { imr::web::stats_request_from(params({{"q", "soma"}})); },
         "400 missing parameter 'by' (" + kStatsBy + ")"},
        {"stats by an unknown facet", [] { imr::web::stats_request_from(params({{"by", "colour"}})); },
         "400 unknown facet 'colour' for parameter 'by' (" + kStatsBy + ")"},
        {"stats by a facet it does not chart", [] { imr::web::stats_request_from(params({{"by", "decision"}})); },
         "400 unknown facet 'decision' for parameter 'by' (" + kStatsBy + ")"},
        {"stats takes no paging",
         [] { imr::web::stats_request_from(params({{"by", "drug"}, {"limit", "5"}})); },
         "400 unknown parameter 'limit' for /api/stats (it takes q, scope, decision, drug, class, category, source, document, "
         "guideline, basis, cabasis, specialty, state, year, priority, by)"},
        {"stats checks filter values too",
         [] { imr::web::stats_request_from(params({{"by", "year"}, {"year", "twenty"}})); },
         "400 parameter 'year' must be a year from 1900 to 2100, got 'twenty'"},
        {"suggest for an unknown field", [] { imr::web::suggest_request_from(params({{"field", "state"}})); },
         "400 unknown facet 'state' for parameter 'field' (drug, document, guideline or specialty)"},
        {"suggest limit too large",
         [] { imr::web::suggest_request_from(params({{"field", "drug"}, {"limit", "101"}})); },
         "400 parameter 'limit' must be a whole number from 0 to 100, got '101'"},
        {"suggest takes no query", [] { imr::web::suggest_request_from(params({{"field", "drug"}, {"q", "x"}})); },
         "400 unknown parameter 'q' for /api/suggest (it takes field, prefix, limit)"},
        {"similar limit negative", [] { imr::web::similar_limit_from(params({{"limit", "-1"}})); },
         "400 parameter 'limit' must be a whole number from 0 to 1000, got '-1'"},
        {"similar takes no filters", [] { imr::web::similar_limit_from(params({{"drug", "soma"}})); },
         "400 unknown parameter 'drug' for /api/similar (it takes limit)"},
        {"letters take only q", [] { imr::web::letter_highlight_from(params({{"limit", "1"}})); },
         "400 unknown parameter 'limit' for /api/letters (it takes q)"},
        {"health takes nothing", [] { imr::web::check_no_params(params({{"verbose", "1"}}), "/api/health"); },
         "400 unknown parameter 'verbose' for /api/health (it takes no parameters)"},
        {"an id with a path in it", [] { imr::web::check_id("../../etc/passwd"); },
         "404 no letter or determination with id '../../etc/passwd'"},
        {"an empty id", [] { imr::web::check_id(""); }, "404 no letter or determination with id ''"},
        {"an over-long id", [] { imr::web::check_id(std::string(101, 'a')); },
         "404 no letter or determination with id '" + std::string(100, 'a') + "...'"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) { CHECK(error_of(row.call) == row.error); }
    }

    SUBCASE("good values pass through") {
        const auto stats = imr::web::stats_request_from(params({{"by", "guideline"}, {"q", "soma"}, {"state", "Texas"}}));
        CHECK(stats.by == "guideline");
        CHECK(stats.request.query == "soma");
        CHECK(stats.request.filters.at("state") == std::vector<std::string>{"Texas"});
        const auto suggest = imr::web::suggest_request_from(params({{"field", "specialty"}, {"prefix", "Pain M"}}));
        CHECK(suggest.field == "specialty");
        CHECK(suggest.prefix == "Pain M");
        CHECK(suggest.limit == 10);
        const auto any_field = imr::web::suggest_request_from(params({{"prefix", "so"}}));
        CHECK(any_field.field.empty());
        CHECK(any_field.prefix == "so");
        CHECK(imr::web::similar_limit_from(params({{"limit", "3"}})) == 3);
        CHECK(imr::web::letter_highlight_from(params({{"q", "soma"}})) == "soma");
        CHECK(error_of([] { imr::web::check_id("0123456789abcdef/2"); }) == "no error");
        CHECK(error_of([] { imr::web::check_no_params(params({}), "/api/health"); }) == "no error");
    }
}

TEST_CASE("every stats dimension and suggestion field of the registry is a parameter value, alias included") {
    // Derived from schema::kFields, so that a new stats or suggestion field is covered without a line here.
    for (const auto* field : imr::schema::fields_with(imr::schema::kStats)) {
        for (std::string_view given : {field->name, field->alias}) {
            if (given.empty()) continue;
            CAPTURE(given);
            const auto stats = imr::web::stats_request_from(params({{"by", std::string(given)}, {"q", "soma"}}));
            CHECK(stats.by == field->name);
            CHECK(stats.request.query == "soma");
        }
    }
    for (const auto* field : imr::schema::fields_with(imr::schema::kSuggest)) {
        CAPTURE(field->name);
        CHECK(imr::web::suggest_request_from(params({{"field", std::string(field->name)}})).field == field->name);
    }
    for (const auto& field : imr::schema::kFields) {
        CAPTURE(field.name);
        const bool stats = field.uses & imr::schema::kStats, suggest = field.uses & imr::schema::kSuggest;
        CHECK((error_of([&] { imr::web::stats_request_from(params({{"by", std::string(field.name)}})); }) == "no error") == stats);
        CHECK((error_of([&] { imr::web::suggest_request_from(params({{"field", std::string(field.name)}})); }) == "no error") ==
              suggest);
    }
}

TEST_CASE("every filter of the registry is a search, CSV and stats parameter under its name, not its alias") {
    for (const auto* field : imr::schema::fields_with(imr::schema::kFilter)) {
        CAPTURE(field->name);
        const std::string value = field->choices.empty() ? (field->prefix == imr::schema::kYear ? "2015" : "x")
                                                         : std::string(field->choices.front());
        const auto given = params({{std::string(field->name), value}});
        CHECK(imr::web::search_request_from(given).filters.at(std::string(field->name)) == std::vector<std::string>{value});
        CHECK(imr::web::csv_request_from(given).filters.at(std::string(field->name)) == std::vector<std::string>{value});
        auto with_by = given;
        with_by.emplace("by", "drug");
        CHECK(imr::web::stats_request_from(with_by).request.filters.at(std::string(field->name)) ==
              std::vector<std::string>{value});
        if (!field->alias.empty())
            CHECK(error_of([&] { imr::web::search_request_from(params({{std::string(field->alias), value}})); }).starts_with(
                "400 unknown parameter"));
    }
}

TEST_CASE("schema takes no parameters") {
    CHECK(error_of([] { imr::web::check_no_params(params({{"x", "1"}}), "/api/schema"); }) ==
          "400 unknown parameter 'x' for /api/schema (it takes no parameters)");
    CHECK(imr::web::api_schema(params({}))["fields"].size() == std::size(imr::schema::kFields));
}

TEST_CASE("scope: determination unless letter is asked, for search, CSV and stats alike") {
    CHECK(imr::web::search_request_from(params({})).scope == imr::Scope::Determination);
    CHECK(imr::web::search_request_from(params({{"scope", "determination"}})).scope == imr::Scope::Determination);
    CHECK(imr::web::search_request_from(params({{"scope", "letter"}})).scope == imr::Scope::Letter);
    CHECK(imr::web::csv_request_from(params({{"scope", "letter"}})).scope == imr::Scope::Letter);
}
