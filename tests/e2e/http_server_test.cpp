// The real imr-search server over a real index of data/samples: every endpoint, every error, load, live commits.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http_process.h"
#include "huge_pages.h"
#include "schema.h"
#include "test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The sample letters, copied so that the live-commit test can add one beside them.
void copy_samples(const fs::path& to) {
    fs::create_directories(to);
    for (const auto& entry : fs::recursive_directory_iterator(imr::test::source_dir() / "data" / "samples")) {
        const auto extension = entry.path().extension();
        if (entry.is_regular_file() && (extension == ".txt" || extension == ".pdf"))
            fs::copy_file(entry.path(), to / entry.path().filename());
    }
}

void index_into(const fs::path& db, const fs::path& letters) {
    const auto result = imr::test::run(imr::test::quote(imr::test::index_bin()) + " --db " + imr::test::quote(db) + " " +
                                       imr::test::quote(letters));
    // Exit 1 means some letters were flagged, which the samples may well include; the index is still built.
    INFO(result.err);
    REQUIRE((result.exit_code == 0 || result.exit_code == 1));
}

// One index of the samples and one server over it, shared by the read-only test cases.
struct Served {
    imr::test::TempDir dir;
    std::unique_ptr<imr::test::SearchServer> server;
    Served() {
        copy_samples(dir / "letters");
        index_into(dir / "db", dir / "letters");
        server = std::make_unique<imr::test::SearchServer>(dir / "db", dir / "server.log");
    }
    int port() const { return server->port(); }
    imr::test::ChildProcess& process() { return server->process(); }
};

Served& served() {
    static Served instance;
    return instance;
}

struct Answer {
    int status = -1;
    std::string content_type;
    std::string body;
    json parsed() const { return json::parse(body); }
};

Answer get(int port, const std::string& target) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60 * imr::test::time_scale(), 0);
    const auto response = client.Get(target.c_str());
    if (!response) return {};
    return {response->status, response->get_header_value("Content-Type"), response->body};
}

std::string error_json(const std::string& message) { return json{{"error", message}}.dump(); }

// The facets the registry declares, by their JSON names, in its order.
const std::vector<std::string> kFacetNames = [] {
    std::vector<std::string> names;
    for (const auto* field : imr::schema::fields_with(imr::schema::kFacet)) names.emplace_back(field->json);
    return names;
}();

}  // namespace

TEST_CASE("every endpoint answers with the agreed JSON") {
    const int port = served().port();

    const auto health = get(port, "/api/health");
    REQUIRE(health.status == 200);
    CHECK(health.content_type == "application/json; charset=utf-8");
    const auto h = health.parsed();
    CHECK(h["status"] == "ok");
    CHECK(h["documents"].get<int>() > 0);
    CHECK(h["letters"].get<int>() > 0);
    CHECK(h["letters"].get<int>() <= h["documents"].get<int>());
    CHECK(h.contains("revision"));

    SUBCASE("search: the contract's fields, hits and all facets") {
        const auto answer = get(port, "/api/search?q=soma");
        REQUIRE(answer.status == 200);
        const auto r = answer.parsed();
        for (const char* key : {"query", "total", "total_letters", "offset", "limit", "took_ms", "suggestion", "hits",
                                "facets"})
            CHECK_MESSAGE(r.contains(key), key);
        CHECK(r["query"] == "soma");
        CHECK(r["total"].get<int>() > 0);
        CHECK(r["limit"] == 10);
        CHECK(r["offset"] == 0);
        REQUIRE(!r["hits"].empty());
        for (const auto& hit : r["hits"]) {
            for (const char* key : {"id", "letter_id", "file", "case_number", "item", "decision", "drug", "drug_class",
                                    "category", "guidelines", "specialties", "states", "age", "sex", "injury_date",
                                    "ur_denial_date", "decision_date", "score", "snippet"})
                CHECK_MESSAGE(hit.contains(key), key);
            CHECK(std::set<std::string>{"Upheld", "Overturned", "Unknown"}.count(hit["decision"].get<std::string>()) == 1);
        }
        for (const auto& name : kFacetNames) CHECK_MESSAGE(r["facets"].contains(name), name);
    }

    SUBCASE("schema: the field registry the page builds its facets, filters and chart from") {
        const auto answer = get(port, "/api/schema");
        REQUIRE(answer.status == 200);
        CHECK(answer.content_type == "application/json; charset=utf-8");
        const auto schema = answer.parsed();
        const auto uses = [](const json& field, const char* use) {
            return std::find(field["uses"].begin(), field["uses"].end(), use) != field["uses"].end();
        };
        std::vector<std::string> facets;
        for (const auto& field : schema["fields"]) {
            for (const char* key : {"name", "json", "aliases", "data", "label", "type", "level", "multi_valued", "uses", "column",
                                    "choices"})
                CHECK_MESSAGE(field.contains(key), key);
            if (uses(field, "facet")) facets.push_back(field["json"]);
        }
        // The facets of every search, in the order the page shows them.
        CHECK(facets == kFacetNames);
        const auto search = get(port, "/api/search?limit=0").parsed();
        for (const auto& name : facets) CHECK_MESSAGE(search["facets"].contains(name), name);
        // Every filter is a search parameter, every stats dimension and alias a value of by=,
        // every suggestion field a value of field=.
        for (const auto& field : schema["fields"]) {
            const std::string name = field["name"];
            CAPTURE(name);
            if (uses(field, "filter")) {
                const std::string value = field["choices"].empty() ? "nothing-has-this" : field["choices"][0].get<std::string>();
                CHECK(get(port, "/api/search?limit=0&" + name + "=" + (name == "year" ? "2015" : value)).status == 200);
            }
            if (uses(field, "stats")) {
                const auto stats = get(port, "/api/stats?by=" + name);
                CHECK(stats.status == 200);
                CHECK(stats.parsed()["by"] == name);
                for (const auto& alias : field["aliases"]) CHECK(get(port, "/api/stats?by=" + alias.get<std::string>()).status == 200);
            } else {
                CHECK(get(port, "/api/stats?by=" + name).status == 400);
            }
            CHECK(get(port, "/api/suggest?prefix=a&field=" + name).status == (uses(field, "suggest") ? 200 : 400));
        }
    }

    SUBCASE("a misspelling gets a suggestion, a good spelling none") {
        CHECK(get(port, "/api/search?q=carisoprodal").parsed()["suggestion"] == "carisoprodol");
        CHECK(get(port, "/api/search?q=carisoprodol").parsed()["suggestion"].is_null());
    }

    SUBCASE("browsing everything counts every determination") {
        const auto r = get(port, "/api/search").parsed();
        CHECK(r["total"] == h["documents"]);
        CHECK(r["total_letters"] == h["letters"]);
    }

    SUBCASE("repeated values of one facet are ORed; decisions partition the whole") {
        const auto all = get(port, "/api/search?limit=0").parsed()["total"].get<int>();
        int sum = 0;
        for (const char* decision : {"Upheld", "Overturned", "Unknown"})
            sum += get(port, std::string("/api/search?limit=0&decision=") + decision).parsed()["total"].get<int>();
        CHECK(sum == all);
        const auto upheld_or_overturned =
            get(port, "/api/search?limit=0&decision=Upheld&decision=Overturned").parsed()["total"].get<int>();
        const auto unknown = get(port, "/api/search?limit=0&decision=unknown").parsed()["total"].get<int>();
        CHECK(upheld_or_overturned + unknown == all);
    }

    SUBCASE("paging and sorting") {
        const auto two = get(port, "/api/search?limit=2&sort=decided").parsed();
        REQUIRE(two["hits"].size() == 2);
        const auto second = get(port, "/api/search?limit=1&offset=1&sort=decided").parsed();
        REQUIRE(second["hits"].size() == 1);
        CHECK(second["hits"][0]["id"] == two["hits"][1]["id"]);
        CHECK(second["offset"] == 1);
        const auto by_date = get(port, "/api/search?limit=50&sort=decided").parsed();
        std::string previous = "9999";
        for (const auto& hit : by_date["hits"]) {
            if (hit["decision_date"].is_null()) continue;
            const auto date = hit["decision_date"].get<std::string>();
            CHECK(date <= previous);
            previous = date;
        }
    }

    SUBCASE("group=letter gives one hit per letter") {
        const auto r = get(port, "/api/search?group=letter&limit=100").parsed();
        std::set<std::string> letters;
        for (const auto& hit : r["hits"]) letters.insert(hit["letter_id"].get<std::string>());
        CHECK(letters.size() == r["hits"].size());
        CHECK(r["hits"].size() == r["total_letters"].get<std::size_t>());
    }

    SUBCASE("CSV export streams every matching row") {
        for (const std::string filter : {"", "?decision=Upheld", "?q=soma"}) {
            CAPTURE(filter);
            const auto total = get(port, "/api/search" + filter + std::string(filter.empty() ? "?" : "&") + "limit=0")
                                   .parsed()["total"]
                                   .get<std::size_t>();
            const auto csv = get(port, "/api/search.csv" + filter);
            REQUIRE(csv.status == 200);
            CHECK(csv.content_type == "text/csv; charset=utf-8");
            CHECK(csv.body.starts_with("case_number,decision,item,"));
            // Rows end in CRLF; a line break inside a quoted item ends in LF only.
            std::size_t rows = 0;
            for (std::size_t at = csv.body.find("\r\n"); at != std::string::npos; at = csv.body.find("\r\n", at + 2)) ++rows;
            CHECK(rows == total + 1);
        }
    }

    SUBCASE("a letter, by letter id and by determination id") {
        const auto hit = get(port, "/api/search?q=soma&limit=1").parsed()["hits"][0];
        for (const auto& id : {hit["letter_id"].get<std::string>(), hit["id"].get<std::string>()}) {
            CAPTURE(id);
            const auto letter = get(port, "/api/letters/" + id + "?q=soma");
            REQUIRE(letter.status == 200);
            CHECK(letter.body.find(hit["case_number"].get<std::string>()) != std::string::npos);
        }
    }

    SUBCASE("a letter by its case number") {
        const auto hit = get(port, "/api/search?q=soma&limit=1&sort=decided").parsed()["hits"][0];
        const auto letter = get(port, "/api/letters/" + hit["case_number"].get<std::string>());
        REQUIRE(letter.status == 200);
        CHECK(letter.parsed()["letter_id"] == hit["letter_id"]);
        CHECK(get(port, "/api/letters/CM99-0000000").status == 404);
    }

    SUBCASE("similar letters") {
        const auto hit = get(port, "/api/search?q=soma&limit=1&sort=decided").parsed()["hits"][0];
        const std::string id = hit["id"];
        const auto similar = get(port, "/api/similar/" + id + "?limit=3");
        REQUIRE(similar.status == 200);
        const auto r = similar.parsed();
        CHECK(r["hits"].size() <= 3);
        for (const auto& h : r["hits"]) CHECK(h["letter_id"] != hit["letter_id"]);
        // What the page heads them with: the case number and item, not the id.
        CHECK(r["like"]["id"] == id);
        CHECK(r["like"]["case_number"] == hit["case_number"]);
        CHECK(r["like"]["item"] == hit["item"]);
    }

    SUBCASE("every facet value's count is the total its parameter gives; a selected value shows with its count") {
        auto encode = [](const std::string& v) {
            std::string out;
            for (unsigned char c : v) {
                if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
                else out += "%" + std::string(1, "0123456789ABCDEF"[c >> 4]) + "0123456789ABCDEF"[c & 15];
            }
            return out;
        };
        const auto all = get(port, "/api/search?limit=0").parsed();
        std::size_t checked = 0;
        for (const auto* field : imr::schema::fields_with(imr::schema::kFilter | imr::schema::kFacet)) {
            for (const auto& entry : all["facets"][std::string(field->json)]) {
                const std::string value = entry["value"];
                CAPTURE(field->name);
                CAPTURE(value);
                const auto r = get(port, "/api/search?limit=0&" + std::string(field->name) + "=" + encode(value)).parsed();
                CHECK(r["total"] == entry["count"]);
                json shown;
                for (const auto& v : r["facets"][std::string(field->json)])
                    if (v.value("selected", false)) shown = v;
                CHECK(shown == json{{"value", value}, {"count", entry["count"]}, {"selected", true}});
                ++checked;
            }
        }
        CHECK(checked > 100);
        // A brand is none of the drug facet's values: it shows as given, with the total it gives.
        const auto norco = get(port, "/api/search?limit=0&drug=Norco").parsed();
        CHECK(norco["total"].get<int>() > 0);
        bool listed = false;
        for (const auto& v : norco["facets"]["drug"]) listed |= v == json{{"value", "Norco"}, {"count", norco["total"]}, {"selected", true}};
        CHECK(listed);
    }

    SUBCASE("stats by every dimension add up to the decided determinations") {
        const auto all = get(port, "/api/search?limit=0").parsed();
        for (const char* by : {"drug", "specialty", "guideline", "year"}) {
            CAPTURE(by);
            const auto stats = get(port, std::string("/api/stats?by=") + by);
            REQUIRE(stats.status == 200);
            const auto s = stats.parsed();
            CHECK(s["by"] == by);
            for (const auto& row : s["rows"]) {
                const double decided = row["upheld"].get<double>() + row["overturned"].get<double>();
                const double expected = decided > 0 ? row["overturned"].get<double>() / decided : 0.0;
                CHECK(row["overturn_rate"].get<double>() == doctest::Approx(expected));
            }
        }
        const auto soma = get(port, "/api/stats?by=drug&q=soma").parsed();
        bool has_carisoprodol = false;
        for (const auto& row : soma["rows"]) has_carisoprodol |= row["value"] == "carisoprodol";
        CHECK(has_carisoprodol);
    }

    SUBCASE("suggestions complete names for the filter boxes") {
        const auto drug = get(port, "/api/suggest?field=drug&prefix=caris");
        REQUIRE(drug.status == 200);
        const auto d = drug.parsed();
        CHECK(d["field"] == "drug");
        CHECK(d["prefix"] == "caris");
        CHECK(std::find(d["values"].begin(), d["values"].end(), json("carisoprodol")) != d["values"].end());
    }

    SUBCASE("without a field, suggestions come from drugs, specialties and guidelines, labelled") {
        const auto any = get(port, "/api/suggest?prefix=pain");
        REQUIRE(any.status == 200);
        const auto a = any.parsed();
        CHECK(a["field"].is_null());
        const auto labelled = [&](const std::string& field, const std::string& value) {
            return std::find(a["values"].begin(), a["values"].end(), json{{"field", field}, {"value", value}}) !=
                   a["values"].end();
        };
        CHECK(labelled("specialty", "Pain Management"));
        for (const auto& entry : a["values"]) CHECK(entry["field"].get<std::string>() != "");
    }

    SUBCASE("the page and its files") {
        for (const auto& [path, type, contains] : std::vector<std::tuple<std::string, std::string, std::string>>{
                 {"/", "text/html; charset=utf-8", "<title>IMR Determinations Search</title>"},
                 {"/?q=soma&decision=overturned", "text/html; charset=utf-8", "id=\"search-form\""},
                 {"/index.html", "text/html; charset=utf-8", "/app.js"},
                 {"/app.js", "text/javascript; charset=utf-8", "/api/search"},
                 {"/style.css", "text/css; charset=utf-8", "@media (max-width: 760px)"}}) {
            CAPTURE(path);
            const auto answer = get(port, path);
            CHECK(answer.status == 200);
            CHECK(answer.content_type == type);
            CHECK(answer.body.find(contains) != std::string::npos);
        }
    }
}

TEST_CASE("the server runs with glibc's malloc on huge pages (huge_pages.h)") {
    const int port = served().port();
    REQUIRE(get(port, "/api/health").status == 200);
    std::string environment = imr::test::read_file("/proc/" + std::to_string(served().process().pid()) + "/environ");
    std::replace(environment.begin(), environment.end(), '\0', '\n');
    const char* ours = std::getenv("GLIBC_TUNABLES");
    const auto expected = imr::tunables_with_huge_pages(ours);
    // Unless this test's own environment already chose, the server started itself again with it.
    const std::string line = "\nGLIBC_TUNABLES=" + (expected ? *expected : std::string(ours ? ours : "")) + "\n";
    CHECK(("\n" + environment).find(line) != std::string::npos);
}

TEST_CASE("phrases and proximity: the same answers with the token streams on disk (serve --streams-on-disk)") {
    imr::test::SearchServer on_disk(served().dir / "db", served().dir / "on_disk.log", {"--host", "127.0.0.1", "--streams-on-disk"});
    const char* queries[] = {"%22medically%20necessary%22", "%22not%20medically%20necessary%22", "%22the%20patient%22",
                             "lumbar%20pre%2F3%20spine", "pain%20w%2F3%20relief", "section%3Arationale%20%22medically%20necessary%22"};
    for (const char* query : queries) {
        SUBCASE(query) {
            const auto in_memory = get(served().port(), std::string("/api/search?limit=100&q=") + query).parsed();
            const auto from_disk = get(on_disk.port(), std::string("/api/search?limit=100&q=") + query).parsed();
            CHECK(from_disk["total"] == in_memory["total"]);
            CHECK(from_disk["hits"].size() == in_memory["hits"].size());
            for (std::size_t i = 0; i < in_memory["hits"].size() && i < from_disk["hits"].size(); ++i)
                CHECK(from_disk["hits"][i]["id"] == in_memory["hits"][i]["id"]);
        }
    }
    SUBCASE("the broad phrase matches something, so the comparison means something") {
        CHECK(get(served().port(), "/api/search?q=%22medically%20necessary%22").parsed()["total"].get<int>() > 0);
    }
}

TEST_CASE("every bad request gets its status and its exact error") {
    const int port = served().port();
    const auto total_soma = get(port, "/api/search?q=soma&limit=0").parsed()["total"].get<int>();
    const auto letters_soma = get(port, "/api/search?q=soma&limit=0").parsed()["total_letters"].get<int>();
    const std::string search_takes =
        "q, scope, decision, drug, class, category, source, document, guideline, basis, cabasis, specialty, state, year, "
        "priority, sort, group, limit, offset";
    struct Row {
        std::string target;
        int status;
        std::string error;
    };
    const std::vector<Row> rows = {
        {"/api/search?limit=-1", 400, "parameter 'limit' must be a whole number from 0 to 1000, got '-1'"},
        {"/api/search?limit=abc", 400, "parameter 'limit' must be a whole number from 0 to 1000, got 'abc'"},
        {"/api/search?limit=100000", 400, "parameter 'limit' must be a whole number from 0 to 1000, got '100000'"},
        {"/api/search?offset=x", 400, "parameter 'offset' must be a whole number from 0 to 1000000000, got 'x'"},
        {"/api/search?q=soma&offset=" + std::to_string(total_soma), 400,
         "offset " + std::to_string(total_soma) + " is past the end of the results (" + std::to_string(total_soma) +
             " matches)"},
        {"/api/search?q=soma&offset=" + std::to_string(total_soma + 1), 400,
         "offset " + std::to_string(total_soma + 1) + " is past the end of the results (" +
             std::to_string(total_soma) + " matches)"},
        {"/api/search?q=soma&group=letter&offset=" + std::to_string(letters_soma), 400,
         "offset " + std::to_string(letters_soma) + " is past the end of the results (" +
             std::to_string(letters_soma) + " letters)"},
        {"/api/search?colour=red", 400, "unknown parameter 'colour' for /api/search (it takes " + search_takes + ")"},
        {"/api/search?drug_class=opioid", 400,
         "unknown parameter 'drug_class' for /api/search (it takes " + search_takes + ")"},
        {"/api/search?q=" + std::string(1001, 'a'), 400, "parameter 'q' is 1001 bytes long (at most 1000)"},
        {"/api/search?q=%FF", 400, "parameter 'q' is not valid UTF-8"},
        {"/api/search?sort=date", 400, "parameter 'sort' must be relevance, decided or injured, got 'date'"},
        {"/api/search?group=case", 400, "parameter 'group' must be letter, got 'case'"},
        {"/api/search?decision=maybe", 400, "parameter 'decision' must be upheld, overturned or unknown, got 'maybe'"},
        {"/api/search?year=15", 400, "parameter 'year' must be a year from 1900 to 2100, got '15'"},
        {"/api/search?limit=1&limit=2", 400, "parameter 'limit' is given 2 times (it takes one value)"},
        {"/api/search.csv?limit=-1", 400, "parameter 'limit' must be a whole number from 0 to 1000000000, got '-1'"},
        {"/api/stats", 400, "missing parameter 'by' (drug, class, category, source, document, guideline, basis, specialty, state or year)"},
        {"/api/stats?by=colour", 400,
         "unknown facet 'colour' for parameter 'by' (drug, class, category, source, document, guideline, basis, specialty, state or year)"},
        {"/api/suggest?field=colour&prefix=a", 400,
         "unknown facet 'colour' for parameter 'field' (drug, document, guideline or specialty)"},
        {"/api/schema?x=1", 400, "unknown parameter 'x' for /api/schema (it takes no parameters)"},
        {"/api/similar/0000000000000000?limit=-5", 400,
         "parameter 'limit' must be a whole number from 0 to 1000, got '-5'"},
        {"/api/health?verbose=1", 400, "unknown parameter 'verbose' for /api/health (it takes no parameters)"},
        {"/api/letters/..%2F..%2Fetc%2Fpasswd", 404, "no letter or determination with id '../../etc/passwd'"},
        {"/api/nope", 404, "unknown API endpoint '/api/nope'"},
        {"/nope.html", 404, "no such page: /nope.html"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.target.substr(0, 80).c_str()) {
            const auto answer = get(port, row.target);
            CHECK(answer.status == row.status);
            CHECK(answer.content_type == "application/json; charset=utf-8");
            CHECK(answer.body == error_json(row.error));
        }
    }

    SUBCASE("the engine's errors: query syntax and unknown ids") {
        const std::vector<Row> engine_rows = {
            {"/api/search?q=%28soma", 400, "unbalanced parenthesis at column 1"},
            {"/api/search?q=soma%20AND", 400, "AND at column 6 needs a term after it"},
            {"/api/search?q=%22unclosed", 400, "unterminated phrase: the quote at column 1 is never closed"},
            {"/api/stats?by=drug&q=%28soma", 400, "unbalanced parenthesis at column 1"},
            {"/api/search.csv?q=%28soma", 400, "unbalanced parenthesis at column 1"},
            {"/api/search?q=decided:2015-99-99..x", 400,
             "bad date \"2015-99-99\" in decided: at column 1 (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
            {"/api/letters/0000000000000000", 404, "no letter or determination has the id \"0000000000000000\""},
            {"/api/letters/0000000000000000/3", 404, "no letter or determination has the id \"0000000000000000/3\""},
            {"/api/similar/0000000000000000/0", 404, "no letter or determination has the id \"0000000000000000/0\""},
        };
        for (const auto& row : engine_rows) {
            CAPTURE(row.target);
            const auto answer = get(port, row.target);
            CHECK(answer.status == row.status);
            CHECK(answer.body == error_json(row.error));
        }
    }

    SUBCASE("nothing a user can type reaches a 500") {
        // Odd but legal inputs: every one must be answered 200 or 400, never 500.
        for (const auto& q : {"%22%22", "()", "NOT", "AND%20OR", "w%2F5", "soma%20w%2F0%20norco", "*", "a*", "drug%3A",
                              "section%3Anope%20x", "age%3A65..50", "%E2%80%8B", "%00", "%5C", "NEAR%2F99999%20x",
                              "pre%2F-1%20x", "case%3A", "%22a%20b%22%20NEAR%2F3%20c", "(((((((((((soma)))))))))))"}) {
            CAPTURE(q);
            const auto answer = get(port, std::string("/api/search?q=") + q);
            CHECK((answer.status == 200 || answer.status == 400));
        }
    }

    SUBCASE("limits of the protocol layer") {
        const auto long_uri = imr::test::raw_http(
            port, "GET /api/search?q=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(imr::test::raw_status(long_uri) == 414);
        CHECK(long_uri.ends_with("\r\n\r\n" + error_json("request URI too long")));
        const auto garbage = imr::test::raw_http(port, "GARBAGE\r\n\r\n");
        CHECK(imr::test::raw_status(garbage) == 400);
        CHECK(garbage.ends_with("\r\n\r\n" + error_json("malformed request")));
        httplib::Client client("127.0.0.1", port);
        const auto big = client.Post("/api/search", std::string(100 * 1024, 'x'), "text/plain");
        REQUIRE(big);
        CHECK(big->status == 413);
        CHECK(big->body == error_json("request too large"));
        const auto post = client.Post("/api/search", "q=soma", "application/x-www-form-urlencoded");
        REQUIRE(post);
        CHECK(post->status == 405);
        CHECK(post->body == error_json("method POST not allowed (only GET)"));
        CHECK(post->get_header_value("Allow") == "GET, HEAD");
        const auto head = client.Head("/api/health");
        REQUIRE(head);
        CHECK(head->status == 200);
    }
}

TEST_CASE("no request path reaches a file outside the page's folder") {
    const int port = served().port();
    const std::vector<std::string> targets = {
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/..%252f..%252f..%252fetc%252fpasswd",
        "/..\\..\\..\\..\\etc\\passwd",
        "/%5c..%5c..%5c..%5cetc%5cpasswd",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "//etc/passwd",
        "/../server.cpp",
        "/%2e%2e/server.cpp",
        "/.%2e/CMakeLists.txt",
        "/..;/server.cpp",
        "/static/../../CMakeLists.txt",
        "/index.html%00.js",
        "/./index.html/../../server.cpp",
        "/.git/config",
        "/%2e/index.html",
        "/api/../../server.cpp",
        "/api/letters/..%2f..%2f..%2fetc%2fpasswd",
        "/api/similar/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    };
    for (const auto& target : targets) {
        SUBCASE(target.c_str()) {
            const auto answer =
                imr::test::raw_http(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            const int status = imr::test::raw_status(answer);
            CHECK((status == 400 || status == 404));
            CHECK(answer.find("root:") == std::string::npos);
            CHECK(answer.find("#include") == std::string::npos);
            CHECK(answer.find("cmake_minimum_required") == std::string::npos);
            CHECK(answer.find("[core]") == std::string::npos);
        }
    }
    SUBCASE("an absolute URI as the target") {
        const auto answer =
            imr::test::raw_http(port, "GET file:///etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CHECK(answer.find("root:") == std::string::npos);
        CHECK(imr::test::raw_status(answer) >= 400);
    }
}

TEST_CASE("400 concurrent requests are all answered correctly") {
    const int port = served().port();
    const std::vector<std::string> targets = {
        "/api/search?q=soma",
        "/api/search?q=%22medically%20necessary%22",
        "/api/search?decision=Upheld&limit=5",
        "/api/search?q=pain&sort=decided&limit=3",
        "/api/search?q=soma%20OR%20norco&group=letter",
        "/api/search",
    };
    // The expected answer of each, asked one at a time.
    std::vector<std::pair<std::uint64_t, std::size_t>> expected;
    for (const auto& target : targets) {
        const auto r = get(port, target).parsed();
        expected.emplace_back(r["total"].get<std::uint64_t>(), r["hits"].size());
    }
    std::atomic<int> correct{0};
    std::vector<std::thread> threads;
    std::vector<std::string> failures(8);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(60 * imr::test::time_scale(), 0);
            client.set_keep_alive(t % 2 == 0);  // half reuse their connection, half open one per request
            for (int i = 0; i < 50; ++i) {
                const auto which = static_cast<std::size_t>(t + i) % targets.size();
                const auto response = client.Get(targets[which].c_str());
                if (!response || response->status != 200) {
                    failures[static_cast<std::size_t>(t)] =
                        targets[which] + " -> " + (response ? std::to_string(response->status) : "no answer");
                    continue;
                }
                const auto r = json::parse(response->body);
                if (r["total"].get<std::uint64_t>() == expected[which].first && r["hits"].size() == expected[which].second)
                    ++correct;
                else
                    failures[static_cast<std::size_t>(t)] = targets[which] + " -> a different answer";
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& failure : failures) CHECK_MESSAGE(failure.empty(), failure);
    CHECK(correct == 400);
}

TEST_CASE("a letter indexed while the server runs is found without a restart") {
    imr::test::TempDir dir;
    copy_samples(dir / "letters");
    index_into(dir / "db", dir / "letters");
    imr::test::SearchServer server(dir / "db", dir / "server.log");
    const int port = server.port();
    const auto before = get(port, "/api/health").parsed();
    CHECK(get(port, "/api/search?q=zyzzogeton").parsed()["total"] == 0);

    // A new letter: a sample with a word no letter has, in a new file.
    fs::path sample;
    for (const auto& entry : fs::directory_iterator(dir / "letters"))
        if (entry.path().extension() == ".txt" && (sample.empty() || entry.path() < sample)) sample = entry.path();
    REQUIRE(!sample.empty());
    auto text = imr::test::read_file(sample);
    const auto at = text.find("CLINICAL CASE SUMMARY");
    REQUIRE(at != std::string::npos);
    const auto line_end = text.find('\n', at);
    text.insert(line_end + 1, "The zyzzogeton test marker appears in this letter only.\n");
    fs::create_directories(dir / "new");
    imr::test::write_file(dir / "new" / "added_letter.txt", text);
    index_into(dir / "db", dir / "new");

    // The server reopens the database about once a second.
    int found = 0;
    for (int attempt = 0; attempt < 100 * imr::test::time_scale() && found == 0; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        found = get(port, "/api/search?q=zyzzogeton").parsed()["total"].get<int>();
    }
    CHECK(found >= 1);
    // A phrase of it too: the streams kept in memory are the new revision's.
    CHECK(get(port, "/api/search?q=%22zyzzogeton%20test%20marker%22").parsed()["total"].get<int>() >= 1);
    const auto after = get(port, "/api/health").parsed();
    CHECK(after["letters"].get<int>() == before["letters"].get<int>() + 1);
    CHECK(after["revision"].get<int>() > before["revision"].get<int>());
    // A search opens the newest revision itself, so the watcher's refresh and its log line may
    // come up to a second after the letter is found.
    CHECK(server.process().wait_for_log(std::regex("database reopened at revision")).has_value());
}

TEST_CASE("SIGTERM and SIGINT stop the server gracefully, after one access-log line per request") {
    for (const int signal : {SIGTERM, SIGINT}) {
        CAPTURE(signal);
        imr::test::TempDir dir;
        imr::test::SearchServer server(served().dir / "db", dir / "server.log");
        const int port = server.port();
        CHECK(get(port, "/api/health").status == 200);
        CHECK(get(port, "/api/search?q=soma&limit=1").status == 200);
        CHECK(get(port, "/api/search?limit=-1").status == 400);
        const auto exit_code = server.process().stop(signal);
        REQUIRE(exit_code.has_value());
        CHECK(*exit_code == 0);
        const auto log = server.process().log();
        CHECK(std::regex_search(log, std::regex(R"(GET /api/health 200 \d+B \d+\.\dms)")));
        CHECK(std::regex_search(log, std::regex(R"(GET /api/search\?q=soma&limit=1 200 \d+B \d+\.\dms)")));
        CHECK(std::regex_search(log, std::regex(R"(GET /api/search\?limit=-1 400 \d+B \d+\.\dms)")));
        CHECK(log.find("imr-search: stopped") != std::string::npos);
    }
}

TEST_CASE("the server binds to the loopback address unless told otherwise") {
    imr::test::TempDir dir;
    imr::test::SearchServer server(served().dir / "db", dir / "server.log", {});
    CHECK(server.process().log().find("serving http://127.0.0.1:") != std::string::npos);
    CHECK(get(server.port(), "/api/health").status == 200);
}
