// imr::Highlighter: what a query marks in letter text, and where a proximity search's snippet looks.
#include "highlighter.h"
#include "query_parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>

namespace {

struct Fixture {
    imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    imr::Analyzer analyzer;
    imr::QueryParser parser{analyzer, lexicon, nullptr};

    // The text of the tightest place where the query's proximity members all lie, or "(none)".
    std::string nearest(const std::string& query, const std::string& text) const {
        const imr::ParsedQuery parsed = parser.parse(query);
        const imr::Highlighter highlighter(analyzer, parsed.highlight);
        const auto a = highlighter.analyze(text);
        if (a.nears.empty()) return "(none)";
        const auto [first, last] = a.nears.front();
        return text.substr(a.tokens[first].begin, a.tokens[last].end - a.tokens[first].begin);
    }
    std::string marked(const std::string& query, const std::string& text) const {
        const imr::ParsedQuery parsed = parser.parse(query);
        return imr::Highlighter(analyzer, parsed.highlight).mark_all(text);
    }
};

}  // namespace

TEST_CASE("a proximity search's snippet place holds all its members, a phrase member in a row") {
    Fixture f;
    struct Case {
        const char* query;
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"soma w/3 denied", "Soma was requested. The request was then denied. Denied again: soma.", "Denied again: soma"},
        {"soma pre/3 denied", "Denied: soma. Later soma was denied.", "soma was denied"},
        {"soma pre/3 denied", "Denied: soma.", "(none)"},
        // The phrase's words in a row, not each on its own: "spasm soma" alone is no match.
        {"\"muscle spasm\" w/3 soma", "Muscle pain and spasm; soma spasm too. The muscle spasm eased with soma.",
         "muscle spasm eased with soma"},
        {"\"muscle spasm\" w/3 soma", "Muscle pain and spasm; soma spasm too.", "(none)"},
        {"soma pre/4 \"muscle spasm\"", "Muscle spasm, then soma. Soma for muscle spasm.", "Soma for muscle spasm"},
        // In one sentence, whatever the distance.
        {"soma /s sedation", "Soma was continued. Sedation was reported. Later soma caused marked daytime sedation.",
         "soma caused marked daytime sedation"},
        {"soma /s sedation", "Soma was continued. Sedation was reported.", "(none)"},
        {"soma +s sedation", "Sedation with soma. Soma without any sedation.", "Soma without any sedation"},
    };
    for (const auto& c : cases) {
        SUBCASE((std::string(c.query) + " | " + c.text).c_str()) { CHECK(f.nearest(c.query, c.text) == c.expected); }
    }
}

TEST_CASE("marks: words, phrases and proximity members; escaped; a negation's words unmarked") {
    Fixture f;
    struct Case {
        const char* query;
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"soma", "Soma & <b>soma</b>", "<mark>Soma</mark> &amp; &lt;b&gt;<mark>soma</mark>&lt;/b&gt;"},
        {"\"muscle spasm\"", "muscle pain, muscle spasm", "muscle pain, <mark>muscle spasm</mark>"},
        {"soma -norco", "soma, not norco", "<mark>soma</mark>, not norco"},
        {"soma w/3 denied", "soma was denied", "<mark>soma</mark> was <mark>denied</mark>"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.query) { CHECK(f.marked(c.query, c.text) == c.expected); }
    }
}

TEST_CASE("window: the match is in the snippet, whatever the window's size and the phrase's length") {
    Fixture f;
    // 40 filler words, a 36-word sentence an attorney might paste, 40 filler words.
    std::string filler_before, filler_after, sentence;
    for (int i = 0; i < 40; ++i) filler_before += "alpha" + std::to_string(i) + " ";
    for (int i = 0; i < 40; ++i) filler_after += " omega" + std::to_string(i);
    for (int i = 0; i < 36; ++i) sentence += (i ? " " : "") + std::string("word") + std::to_string(i);
    const std::string text = filler_before + sentence + "." + filler_after;
    struct Case {
        std::string query;
        std::size_t words;
        std::string must_hold;
    };
    const Case cases[] = {
        {"\"" + sentence + "\"", 32, "<mark>" + sentence + "</mark>"},
        {"\"" + sentence + "\"", 8, "<mark>" + sentence + "</mark>"},
        {"word20", 1, "<mark>word20</mark>"},
        {"word20", 4, "<mark>word20</mark>"},
        {"omega39", 3, "<mark>omega39</mark>"},
        {"alpha0", 2, "<mark>alpha0</mark>"},
    };
    for (const auto& c : cases) {
        SUBCASE((c.query.substr(0, 20) + " / " + std::to_string(c.words)).c_str()) {
            const imr::ParsedQuery parsed = f.parser.parse(c.query);
            const imr::Highlighter highlighter(f.analyzer, parsed.highlight);
            const std::string window = highlighter.window(text, highlighter.analyze(text), c.words);
            CHECK(window.find(c.must_hold) != std::string::npos);
        }
    }
}
