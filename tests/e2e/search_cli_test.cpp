// imr-search end to end on the project's sample letters: every output format, the subcommands, bad input and exit codes.
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace {

using imr::test::quote;
using imr::test::run;

// The sample letters indexed once by the real imr-index, shared by every test case.
const std::filesystem::path& sample_db() {
    static imr::test::TempDir tmp;
    static const std::filesystem::path db = [] {
        const auto path = tmp.path() / "samples.db";
        const auto r = run(quote(imr::test::index_bin()) + " --quiet --db " + quote(path) + " " +
                           quote(imr::test::source_dir() / "data" / "samples" / "letters"));
        REQUIRE_MESSAGE(r.exit_code <= 1, r.err);
        return path;
    }();
    return db;
}

imr::test::RunResult search(const std::string& args) {
    return run(quote(imr::test::search_bin()) + " --db " + quote(sample_db()) + " " + args);
}

std::size_t lines_in(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("json is the engine's contract") {
    const auto r = search("--format json --limit 3 soma");
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["query"] == "soma");
    CHECK(j["limit"] == 3);
    CHECK(j["offset"] == 0);
    CHECK(j["total"].get<int>() >= 1);
    CHECK(j["hits"].size() == std::min<std::size_t>(3, j["total"].get<std::size_t>()));
    CHECK(j["facets"].size() == imr::schema::fields_with(imr::schema::kFacet).size());
    // A determination matches through its own text or its letter's shared text; either way the word is marked.
    for (const auto& hit : j["hits"]) CHECK(hit["snippet"].get<std::string>().find("<mark>") != std::string::npos);
    CHECK(j["hits"][0]["drug"] == "carisoprodol");
}

TEST_CASE("filters are repeatable and ORed within a facet") {
    const auto one = nlohmann::json::parse(search("--format json --drug carisoprodol").out);
    const auto other = nlohmann::json::parse(search("--format json --drug Norco").out);
    const auto both = nlohmann::json::parse(search("--format json --drug carisoprodol --drug Norco").out);
    CHECK(both["total"] == one["total"].get<int>() + other["total"].get<int>());
    const auto overturned = nlohmann::json::parse(search("--format json --drug carisoprodol --decision overturned").out);
    for (const auto& hit : overturned["hits"]) CHECK(hit["decision"] == "Overturned");
}

TEST_CASE("table: aligned columns, a snippet line, facets below") {
    const auto r = search("--limit 2 --sort decided soma");
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.out);
    std::string first, blank, header;
    std::getline(lines, first);
    std::getline(lines, blank);
    std::getline(lines, header);
    CHECK(first.find(" determinations in ") != std::string::npos);
    CHECK(header.rfind("#", 0) == 0);
    CHECK(header.find("OUTCOME") != std::string::npos);
    CHECK(header.find("ITEM") != std::string::npos);
    CHECK(header.find("CASE") != std::string::npos);
    CHECK(header.find("DECIDED") != std::string::npos);
    // The id last, as `show` and `similar` take it: each row ends with its hit's id.
    CHECK(header.substr(header.size() - 2) == "ID");
    const auto hits = nlohmann::json::parse(search("--format json --limit 2 --sort decided soma").out)["hits"];
    REQUIRE(hits.size() == 2);
    for (const auto& hit : hits) {
        const std::string id = hit["id"];
        CHECK(r.out.find("  " + id + "\n") != std::string::npos);
    }
    CHECK(r.out.find("<mark>") == std::string::npos);  // marks are dropped off a terminal
    CHECK(r.out.find("\nFacets:\n  ") != std::string::npos);
    CHECK(r.out.find("  decision: ") != std::string::npos);
}

TEST_CASE("csv exports every matching row") {
    const auto json = nlohmann::json::parse(search("--format json --limit 0").out);
    const auto r = search("--format csv");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("case_number,decision,item,drug,drug_class,category,guidelines,specialties,states,age,sex,"
                      "injury_date,ur_denial_date,decision_date,basis,guideline_documents,claims_basis,"
                      "original_request,authorized,priority,application_received,id,letter_id,file,score\r\n",
                      0) == 0);
    CHECK(lines_in(r.out) == json["total"].get<std::size_t>() + 1);
    CHECK(lines_in(search("--format csv --limit 5").out) == 6);
}

TEST_CASE("show, similar and stats") {
    const auto hits = nlohmann::json::parse(search("--format json --limit 1 norco").out)["hits"];
    REQUIRE(hits.size() == 1);
    const std::string id = hits[0]["id"];
    SUBCASE("show prints the letter section by section") {
        const auto r = search("show " + id);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("== DETERMINATIONS ==") != std::string::npos);
        CHECK(r.out.find("Letter " + hits[0]["letter_id"].get<std::string>()) == 0);
        const auto j = nlohmann::json::parse(search("--format json show " + id).out);
        CHECK(j["determination"] == id);
        CHECK_FALSE(j["sections"].empty());
    }
    SUBCASE("similar lists other letters") {
        const auto j = nlohmann::json::parse(search("--format json similar " + id).out);
        for (const auto& h : j["hits"]) CHECK(h["letter_id"] != hits[0]["letter_id"]);
    }
    SUBCASE("stats gives overturn rates per value") {
        const auto r = search("stats --by drug");
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("DRUG") != std::string::npos);
        CHECK(r.out.find("OVERTURN RATE") != std::string::npos);
        const auto j = nlohmann::json::parse(search("--format json stats --by year --decision overturned").out);
        CHECK(j["by"] == "year");
        for (const auto& row : j["rows"]) CHECK(row["upheld"] == 0);
        CHECK(search("--format csv stats --by class").out.rfind("class,upheld,overturned,unknown,overturn_rate\r\n", 0) == 0);
    }
}

TEST_CASE("bad input: a message on stderr and the exit code") {
    struct Case {
        const char* args;
        int exit_code;
        const char* err;
    };
    const Case cases[] = {
        {"'(soma'", 2, "imr-search: unbalanced parenthesis at column 1\n"},
        {"'drgu:soma'", 2, "imr-search: unknown field \"drgu\" (fields: decision, drug, class, category, source, document, "
                           "guideline, basis, cabasis, specialty, state, year, priority, case, age, sex, injured, "
                           "denied, decided, received, section)\n"},
        {"'a NEAR/x b'", 2, "imr-search: NEAR/n needs a number, got \"x\" at column 3\n"},
        {"--decision maybe", 2, "imr-search: unknown decision \"maybe\" (upheld, overturned or unknown)\n"},
        {"--limit 5000 soma", 2, "imr-search: limit 5000 is too large (at most 1000)\n"},
        {"--offset 100000 soma", 2, nullptr},
        {"--sort newest soma", 2, nullptr},
        {"--format xml soma", 2, nullptr},
        {"stats --by colour", 2, "imr-search: unknown stats dimension \"colour\" (by: drug, class, category, source, "
                                 "document, guideline, basis, specialty, state, year)\n"},
        {"show 0123456789abcdef", 1, "imr-search: no letter or determination has the id \"0123456789abcdef\"\n"},
        {"show CM99-0000000", 1, "imr-search: no letter has the id or case number \"CM99-0000000\"\n"},
        {"-q soma denied", 2, "imr-search: the query is given twice, with -q/--query and as the remaining arguments "
                              "(\"denied\"); give it once\n"},
        {"-x soma", 2, "imr-search: The following argument was not expected: -x (a query that begins with - goes after "
                       "-- or in -q: imr-search --db DB -- '-heavy agents')\n"},
        {"similar nosuch/1", 1, "imr-search: no letter or determination has the id \"nosuch/1\"\n"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.args) {
            const auto r = search(c.args);
            CHECK(r.exit_code == c.exit_code);
            CHECK(r.out.empty());
            if (c.err) CHECK(r.err == c.err);
            else CHECK_FALSE(r.err.empty());
        }
    }
    SUBCASE("a database that is not there") {
        const auto r = run(quote(imr::test::search_bin()) + " --db /nonexistent/imr.db soma");
        CHECK(r.exit_code == 3);
        CHECK(r.err == "imr-search: cannot open database /nonexistent/imr.db: no such file or directory\n");
    }
    SUBCASE("no --db") {
        const auto r = run(quote(imr::test::search_bin()) + " soma");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--db") != std::string::npos);
    }
}

// Issue 19, item 3: `imr-search --format json $'soma \xff'` aborted (exit 134) on an uncaught
// nlohmann type_error.316; item 8: malformed queries answered nothing or everything, exit 0.
TEST_CASE("queries a hostile user types: a message and exit 2, never an abort or a silent answer") {
    struct Case {
        const char* args;
        const char* err;
    };
    const Case cases[] = {
        {"--format json $'soma \\xff'", "imr-search: the query is not valid UTF-8 (at column 6)\n"},
        {"$'soma \\xff'", "imr-search: the query is not valid UTF-8 (at column 6)\n"},
        {"'soma w/-1 denied'", "imr-search: w/n needs a whole number from 1 to 1000, got \"-1\" at column 6\n"},
        {"'soma w/3.5 denied'", "imr-search: w/n needs a whole number from 1 to 1000, got \"3.5\" at column 6\n"},
        {"'soma pre/ denied'", "imr-search: pre/n needs a whole number from 1 to 1000, got \"\" at column 6\n"},
        {"$'soma\\x01denied'", "imr-search: the query holds a control character (0x01) at column 5\n"},
        {"'*'", "imr-search: the wildcard \"*\" at column 1 needs at least 2 letters before a trailing * or !\n"},
        {"-- -", "imr-search: the query has no words to search for (\"-\" is only punctuation)\n"},
        {"'?!'", "imr-search: the query has no words to search for (\"?!\" is only punctuation)\n"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.args) {
            // $'...' needs bash: popen's sh is dash.
            std::string command = quote(imr::test::search_bin()) + " --db " + quote(sample_db()) + " " + c.args;
            std::string quoted = "'";
            for (char ch : command) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
            quoted += "'";
            const auto r = run("bash -c " + quoted);
            CHECK(r.exit_code == 2);
            CHECK(r.out.empty());
            CHECK(r.err == c.err);
        }
    }
}

// Issue 18: '-heavy agents' printed the help and exited 0; a query after a filter flag became
// that filter's second value; show refused the case number the table prints.
TEST_CASE("a query that begins with -, after --, in -q or alone, is searched") {
    const auto expected = nlohmann::json::parse(search("--format json -q '-heavy agents'").out);
    REQUIRE(expected["query"] == "-heavy agents");
    const char* forms[] = {
        "--format json -- '-heavy agents'",
        "--format json '-heavy agents'",
        "--format json --query=-heavy\\ agents",
        "--format json -heavy agents",
        "--format json --query '-heavy agents'",
        "--format json --asc '-heavy agents'",  // a flag takes no value: the word after it is the query
    };
    for (const char* args : forms) {
        SUBCASE(args) {
            const auto r = search(args);
            REQUIRE_MESSAGE(r.exit_code == 0, r.err);
            CHECK(r.err.empty());
            const auto j = nlohmann::json::parse(r.out);
            CHECK(j["query"] == "-heavy agents");
            CHECK(j["total"] == expected["total"]);
        }
    }
    SUBCASE("after --, a subcommand's name is a query word") {
        const auto r = search("--format json -- show soma");
        REQUIRE(r.exit_code == 0);
        CHECK(nlohmann::json::parse(r.out)["query"] == "show soma");
    }
    SUBCASE("stats takes one too") {
        const auto r = search("--format json stats --by drug -- -soma");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto all = nlohmann::json::parse(search("--format json stats --by drug").out);
        const auto soma = nlohmann::json::parse(search("--format json stats --by drug soma").out);
        CHECK(nlohmann::json::parse(r.out)["total"].get<int>() == all["total"].get<int>() - soma["total"].get<int>());
    }
}

TEST_CASE("a filter flag takes one value: the words after it are the query") {
    struct Case {
        const char* args;
        const char* query;
        std::vector<std::string> drugs;  // the drug facet's selected values
    };
    const Case cases[] = {
        {"--drug soma denied", "denied", {"Soma"}},
        {"--drug soma --drug norco", "", {"Norco", "Soma"}},
        {"--drug=soma denied --decision upheld", "denied", {"Soma"}},
        {"denied --drug soma", "denied", {"Soma"}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.args) {
            const auto r = search(std::string("--format json --limit 0 ") + c.args);
            REQUIRE_MESSAGE(r.exit_code == 0, r.err);
            const auto j = nlohmann::json::parse(r.out);
            CHECK(j["query"] == c.query);
            std::vector<std::string> selected;
            for (const auto& v : j["facets"]["drug"])
                if (v.value("selected", false)) selected.push_back(v["value"]);
            std::sort(selected.begin(), selected.end(), [](const std::string& a, const std::string& b) {
                return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                                    [](char x, char y) { return std::tolower(x) < std::tolower(y); });
            });
            std::vector<std::string> wanted = c.drugs;
            for (auto* list : {&selected, &wanted})
                for (auto& v : *list) std::transform(v.begin(), v.end(), v.begin(), [](char ch) { return std::tolower(ch); });
            CHECK(selected == wanted);
        }
    }
    // The same search as the query given apart.
    const auto apart = nlohmann::json::parse(search("--format json --limit 0 --drug soma -q denied").out);
    CHECK(nlohmann::json::parse(search("--format json --limit 0 --drug soma denied").out)["total"] == apart["total"]);
}

TEST_CASE("show takes the case number the table prints; a shared one lists its letters, exit 4") {
    const auto hit = nlohmann::json::parse(search("--format json --limit 1 --sort decided soma").out)["hits"][0];
    const std::string case_number = hit["case_number"];
    REQUIRE_FALSE(case_number.empty());
    SUBCASE("one letter's case number shows it") {
        const auto by_case = search("show " + case_number);
        REQUIRE_MESSAGE(by_case.exit_code == 0, by_case.err);
        CHECK(by_case.out == search("show " + hit["letter_id"].get<std::string>()).out);
        const auto j = nlohmann::json::parse(search("--format json show " + case_number).out);
        CHECK(j["letter_id"] == hit["letter_id"]);
    }
    SUBCASE("similar heads its hits with the case number and item") {
        const auto r = search("similar " + hit["id"].get<std::string>());
        REQUIRE(r.exit_code == 0);
        const std::string ordinal = hit["id"].get<std::string>().substr(hit["id"].get<std::string>().find('/') + 1);
        CHECK(r.out.rfind("Like " + case_number + ", item " + std::to_string(std::stoi(ordinal) + 1) + ": " +
                              hit["item"].get<std::string>() + " (" + hit["decision"].get<std::string>() + "):\n",
                          0) == 0);
        const auto j = nlohmann::json::parse(search("--format json similar " + hit["id"].get<std::string>()).out);
        CHECK(j["like"]["id"] == hit["id"]);
        CHECK(j["like"]["case_number"] == case_number);
        for (const auto& h : j["hits"]) CHECK(h["case_number"] != case_number);
    }
    SUBCASE("a case number two letters hold") {
        imr::test::TempDir tmp;
        const std::string file = hit["file"];
        std::filesystem::create_directories(tmp.path() / "letters");
        std::filesystem::copy_file(file, tmp.path() / "letters" / "first.txt");
        std::filesystem::copy_file(file, tmp.path() / "letters" / "second.txt");
        const auto db = tmp.path() / "twice.db";
        REQUIRE(run(quote(imr::test::index_bin()) + " --quiet --db " + quote(db) + " " + quote(tmp.path() / "letters")).exit_code == 0);
        const std::string search_twice = quote(imr::test::search_bin()) + " --db " + quote(db) + " ";
        const auto r = run(search_twice + "show " + case_number);
        CHECK(r.exit_code == 4);
        CHECK(r.err == "imr-search: the case number \"" + case_number + "\" is on 2 letters; give one of their ids\n");
        const auto ids = nlohmann::json::parse(run(search_twice + "--format json --limit 10").out)["hits"];
        std::set<std::string> letters;
        for (const auto& h : ids) letters.insert(h["letter_id"]);
        REQUIRE(letters.size() == 2);
        for (const auto& letter : letters) {
            CHECK(r.out.find(letter + "  ") != std::string::npos);  // each letter's id, to show it by
            CHECK(run(search_twice + "show " + letter).exit_code == 0);
        }
        CHECK(r.out.find("first.txt") != std::string::npos);
        CHECK(r.out.find("second.txt") != std::string::npos);
        const auto j = run(search_twice + "--format json show " + case_number);
        CHECK(j.exit_code == 4);
        CHECK(nlohmann::json::parse(j.out)["letters"].size() == 2);
        CHECK(run(search_twice + "similar " + case_number).exit_code == 4);
    }
}
