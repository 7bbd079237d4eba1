// imr::make_snippet: which piece of a letter a hit's snippet shows, and that it marks the match.
#include "snippets.h"

#include "query_parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

struct Fixture {
    imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    imr::Analyzer analyzer;
    imr::QueryParser parser{analyzer, lexicon, nullptr};

    std::string snippet(const std::string& query, const std::vector<imr::TextPiece>& pieces,
                        const std::vector<imr::TextPiece>& in_reading_order = {}, std::size_t words = 32) const {
        const imr::ParsedQuery parsed = parser.parse(query);
        return imr::make_snippet(analyzer, parsed.highlight, pieces, in_reading_order, words);
    }
};

const std::vector<imr::TextPiece> kPieces{
    {"header", "Soma 350 MG Qty 15: Upheld. Norco 10/325: Overturned."},
    {"summary", "The worker reports muscle spasm after a fall; soma was prescribed."},
    {"item", "Soma 350 MG Qty 15"},
    {"rationale", "Soma is not recommended for long-term use; the muscle spasm has resolved."},
};

}  // namespace

TEST_CASE("make_snippet: the piece that says most about the query, its matches marked") {
    const Fixture f;
    struct Case {
        const char* query;
        const char* expected;
    };
    const Case cases[] = {
        // Equal matches: the rationale reads better than the summary and the header's item list.
        {"soma", "<mark>Soma</mark> is not recommended for long-term use; the muscle spasm has resolved."},
        // More distinct items in the summary.
        {"soma fall", "The worker reports muscle spasm after a <mark>fall</mark>; <mark>soma</mark> was prescribed."},
        // A phrase weighs more than a word.
        {"\"muscle spasm\" prescribed",
         "The worker reports <mark>muscle spasm</mark> after a fall; soma was <mark>prescribed</mark>."},
        // Where the proximity holds, though another piece has more of the query's items.
        {"spasm w/3 resolved fall worker", "… term use; the muscle <mark>spasm</mark> has <mark>resolved</mark>."},
        // Nothing to mark (a filter-only query): the rationale.
        {"drug:soma", "Soma is not recommended for long-term use; the muscle spasm has resolved."},
    };
    for (const auto& c : cases) {
        SUBCASE(c.query) { CHECK(f.snippet(c.query, kPieces) == c.expected); }
    }
}

TEST_CASE("make_snippet: a match across pieces is shown from the reading-order text") {
    const Fixture f;
    const std::string printed = "Page(s): 64. Decision rationale: Baclofen is recommended for spasm.";
    const std::vector<imr::TextPiece> pieces{{"guidelines", "Page(s): 64."}, {"rationale", "Baclofen is recommended for spasm."}};
    const std::vector<imr::TextPiece> in_order{{"rationale", printed}};
    CHECK(f.snippet("\"64 decision rationale baclofen\"", pieces, in_order) ==
          "Page(s): <mark>64. Decision rationale: Baclofen</mark> is recommended for spasm.");
    // Without a reading-order text, the rationale.
    CHECK(f.snippet("\"64 decision rationale baclofen\"", pieces) == "Baclofen is recommended for spasm.");
}

TEST_CASE("make_snippet: a window of the words asked for; nothing from empty pieces") {
    const Fixture f;
    CHECK(f.snippet("resolved", kPieces, {}, 4) == "… muscle spasm has <mark>resolved</mark>.");
    CHECK(f.snippet("resolved", kPieces, {}, 1) == "… <mark>resolved</mark>.");
    CHECK(f.snippet("soma", {{"rationale", ""}, {"summary", ""}}).empty());
}
