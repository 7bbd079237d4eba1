// Phrases a reader copies across a letter's headings, labels and parts find their letter and determination (schema.h: reading order).
//
// The sample letters: a table of phrases copied across a heading, a guideline line's end and
// "Decision rationale:", an outcome line and its rationale, in the three layouts; each finds its
// letter, and in determination scope its own item and no other item of the letter. The real
// letters (../shared/real-letters, skipped when missing): many windows of 6 to 10 words copied at
// random from each letter's text, each searched as a quoted phrase in letter scope through a
// server; a high share finds its letter, and every window that does not is one the schema says
// cannot (it runs from a rationale into the text after it, or into a rationale from before its
// item's block). IMR_BIN_DIR runs the second against another build's binaries, for a before/after.
#include "engine.h"
#include "http_process.h"
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using imr::test::quote;
using imr::test::run;

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon l = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return l;
}

fs::path index_folder(const imr::test::TempDir& tmp, const fs::path& folder) {
    const auto db = tmp.path() / "copied.db";
    const auto r = run(quote(imr::test::index_bin()) + " --quiet --db " + quote(db) + " " + quote(folder));
    REQUIRE_MESSAGE(r.exit_code <= 1, r.err);
    return db;
}

// The ordinals of the determinations of letter file `file` that a query matches.
std::set<int> ordinals_found(const imr::Engine& engine, const std::string& query, imr::Scope scope, const std::string& file,
                             bool* marked = nullptr) {
    imr::SearchRequest request;
    request.query = query;
    request.scope = scope;
    request.limit = 1000;
    const imr::SearchResult result = engine.search(request);
    std::set<int> out;
    for (const auto& hit : result.hits) {
        if (fs::path(hit.file).filename() != file) continue;
        out.insert(std::stoi(hit.id.substr(hit.id.find('/') + 1)));
        if (marked) *marked = *marked || hit.snippet.find("<mark>") != std::string::npos;
    }
    return out;
}

std::string shown(const std::set<int>& ordinals) {
    std::string out = "{";
    for (int o : ordinals) out += " " + std::to_string(o);
    return out + " }";
}

}  // namespace

TEST_CASE("phrases copied across headings, labels and parts of the sample letters") {
    imr::test::TempDir tmp;
    const auto db = index_folder(tmp, imr::test::source_dir() / "data" / "samples" / "letters");
    const imr::Engine engine(db, lexicon());

    const std::string std1 = "001-std-hdr-CM14-0104871.txt", prof = "012-profreview-CM17-0091144.txt",
                      old = "040-maximus2013-CM13-0082417.txt";
    struct Case {
        const char* name;
        std::string file;
        std::string query;
        std::set<int> ordinals;  // the letter's determinations it matches in determination scope
    };
    const Case cases[] = {
        {"a guideline line's end, the label and the rationale's first words", std1,
         "\"page 63. Decision rationale: Request: Soma 350 MG Qty 15\"", {0}},
        {"the same for the second item", std1,
         "\"criteria for use Page(s): 76-80. Decision rationale: This request is reviewed\"", {1}},
        {"an item line and its guideline label, shared by the letter", std1,
         "\"Soma 350 MG Qty 15: Upheld Claims Administrator guideline: Decision based on\"", {0, 1}},
        {"a section's end, the next heading and its first words", std1,
         "\"Family Practice CLINICAL CASE SUMMARY The expert reviewer prepared this summary\"", {0, 1}},
        {"a heading and the first words of its section", std1,
         "\"IMR ISSUES, DECISIONS AND RATIONALES The final determination rests on the decisions\"", {0, 1}},
        {"professional review: an outcome line and its rationale", prof,
         "\"Post-operative physical therapy 12 sessions: Upheld This request is reviewed against\"", {1}},
        {"professional review: the first item's", prof,
         "\"subacromial decompression: Upheld Per the ACOEM Practice Guidelines: Surgical consultation\"", {0}},
        {"professional review: a heading and the first outcome line", prof,
         "\"IS/WAS NOT MEDICALLY NECESSARY: Right shoulder arthroscopy with subacromial decompression: Upheld\"", {0, 1}},
        {"2013: a guideline line's end, the label and the rationale", old,
         "\"Special Studies, Page(s): 303-304. Decision rationale: Per the ACOEM Practice Guidelines\"", {1}},
        {"2013: the third item's", old, "\"Tramadol (Ultram), page 93. Decision rationale: Per the MTUS\"", {2}},
        // The schema's limit: one item's rationale and the next item's line are in two documents.
        {"from a rationale's end into the next item's line", std1,
         "\"the request is not medically necessary. Norco 10/325mg #60: Upheld\"", {}},
        // Sections keep their meaning: a label lies in no section, an item's words in its own.
        {"a label is not in the rationale section", std1, "section:rationale \"Decision rationale: Request\"", {}},
        {"the rationale section starts after its label", std1, "section:rationale \"Request: Soma 350 MG Qty 15\"", {0}},
        {"the item section holds the item's words", std1, "section:item \"Norco 10/325mg #60\"", {1}},
        {"the outcome is not in the item section", std1, "section:item \"#60: Upheld\"", {}},
        {"the guideline lines keep their section", std1, "section:guidelines \"Page(s): 76-80\"", {1}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            bool marked = false;
            const std::set<int> found = ordinals_found(engine, c.query, imr::Scope::Determination, c.file, &marked);
            INFO(c.query);
            CHECK(shown(found) == shown(c.ordinals));
            // In letter scope the letter is found exactly when some document of it holds the phrase.
            CHECK(ordinals_found(engine, c.query, imr::Scope::Letter, c.file).empty() == c.ordinals.empty());
            // The snippet shows the phrase, also where it runs across a heading or a label.
            if (!c.ordinals.empty()) CHECK(marked);
        }
    }
}

namespace {

fs::path real_letters_dir() { return imr::test::shared_dir() / "real-letters"; }

// A window's place in its letter's text: bytes [begin, end).
struct Window {
    std::size_t begin, end;
    std::string words;
};

// Windows of 6 to 10 words, split at white space as a reader selects them.
std::vector<Window> windows_of(const std::string& text, std::size_t count, std::mt19937& rng) {
    std::vector<std::pair<std::size_t, std::size_t>> words;
    for (std::size_t i = 0; i < text.size();) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        const std::size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i > start) words.emplace_back(start, i);
    }
    std::vector<Window> out;
    if (words.size() < 10) return out;
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t length = 6 + rng() % 5;
        const std::size_t first = rng() % (words.size() - length + 1);
        Window w{words[first].first, words[first + length - 1].second, {}};
        for (std::size_t n = first; n < first + length; ++n) {
            if (n > first) w.words += ' ';
            w.words += text.substr(words[n].first, words[n].second - words[n].first);
        }
        out.push_back(std::move(w));
    }
    return out;
}

// The query a reader types for a copied window: quoted, with the quotes inside it made spaces.
std::string as_phrase(std::string words) {
    for (const char* q : {"\"", "\xE2\x80\x9C", "\xE2\x80\x9D"})
        for (std::size_t at; (at = words.find(q)) != std::string::npos;) words.replace(at, std::strlen(q), " ");
    return "\"" + words + "\"";
}

// Why a window lies in no one run of a document's text (schema.h), or "" when it lies in one.
std::string why_apart(const imr::Letter& letter, const Window& w) {
    for (const auto& d : letter.determinations) {
        if (d.rationale.empty()) continue;
        const std::size_t r_begin = d.rationale_offset, r_end = d.rationale_offset + d.rationale.size();
        if (w.end <= r_begin || w.begin >= r_end) continue;
        if (d.printed.empty()) return "reaches into the rationale of an item the parser could not place";
        for (const auto& range : d.printed) {
            if (range.begin > r_begin || r_end > range.end) continue;
            if (w.begin >= range.begin && w.end <= range.end) return "";
            if (w.end > range.end) return "runs from the end of an item's rationale into the text after it";
            return "runs into an item's block from the text before it";
        }
    }
    return "";
}

}  // namespace

TEST_CASE("windows copied from the real letters find their letter") {
    if (!fs::is_directory(real_letters_dir())) {
        MESSAGE("skipped: " << real_letters_dir() << " is missing");
        return;
    }
    imr::test::TempDir tmp;
    const auto db = index_folder(tmp, real_letters_dir());
    imr::test::SearchServer server(db, tmp / "server.log");
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(60 * imr::test::time_scale(), 0);

    const imr::Parser parser(lexicon());
    std::mt19937 rng(20240611);
    constexpr std::size_t kPerLetter = 40;
    std::size_t letters = 0, windows = 0, found = 0;
    std::map<std::string, std::size_t> kinds;  // why the windows not found were not
    std::vector<std::string> unexplained;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(real_letters_dir()))
        if (entry.path().extension() == ".pdf") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        const imr::Letter letter = parser.parse_file(file);
        REQUIRE_FALSE(letter.case_number.empty());
        ++letters;
        for (const Window& w : windows_of(letter.text, kPerLetter, rng)) {
            ++windows;
            const std::string query = as_phrase(w.words) + " case:" + letter.case_number;
            const auto answer = client.Get("/api/search", httplib::Params{{"q", query}, {"scope", "letter"}, {"limit", "1"}},
                                           httplib::Headers{});
            REQUIRE(answer);
            REQUIRE_MESSAGE(answer->status == 200, answer->body);
            if (nlohmann::json::parse(answer->body).at("total").get<int>() > 0) {
                ++found;
                continue;
            }
            // Not the letter's words: what was copied must not be kept in the test's output.
            const std::string why = why_apart(letter, w);
            if (why.empty()) unexplained.push_back(file.filename().string() + " bytes " + std::to_string(w.begin) + "-" + std::to_string(w.end));
            else ++kinds[why];
        }
    }
    const double share = windows ? 100.0 * static_cast<double>(found) / static_cast<double>(windows) : 0;
    MESSAGE(windows << " windows from " << letters << " letters: " << found << " found (" << share << "%)");
    for (const auto& [why, n] : kinds) MESSAGE(n << " not found: " << why);
    for (std::size_t i = 0; i < unexplained.size() && i < 20; ++i) MESSAGE("not found, unexplained: " << unexplained[i]);
    CHECK(letters >= 130);
    CHECK(share >= 98.0);
    CHECK(unexplained.empty());
}
