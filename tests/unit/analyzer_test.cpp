// Unit tests of the ICU analyzer: words, folding, compounds kept whole with parts, offsets, stems.
#include "analyzer.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

std::string joined_terms(const std::vector<imr::Token>& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t.term;
    }
    return out;
}

std::string joined_parts(const imr::Token& token) {
    std::string out;
    for (const auto& p : token.parts) {
        if (!out.empty()) out += ' ';
        out += p;
    }
    return out;
}

const imr::Analyzer& analyzer() {
    static imr::Analyzer a;
    return a;
}

}  // namespace

TEST_CASE("tokenize: terms of a text") {
    struct Case {
        const char* name;
        std::string input;
        std::string terms;
    };
    const Case cases[] = {
        {"plain words are folded", "The Patient Was SEEN", "the patient was seen"},
        {"punctuation and spaces are not terms", "injury.The cervical, (lumbar) spine!", "injury.the cervical lumbar spine"},
        {"dose with slash", "Norco 10/325 #60", "norco 10/325 #60"},
        {"dose with slash and unit", "hydrocodone/APAP 5/325mg", "hydrocodone apap 5/325mg"},
        {"decimal dose with slash", "Percocet 7.5/325mg", "percocet 7.5/325mg"},
        {"number glued to unit", "Soma 350mg", "soma 350mg"},
        {"number and unit apart", "Soma 350 MG Qty 15", "soma 350 mg qty 15"},
        {"spine levels", "L5-S1 and C5-6 and L4-L5", "l5-s1 and c5-6 and l4-l5"},
        {"regulation section", "section 9792.20 of Title 8", "section 9792.20 of title 8"},
        {"quantity", "Qty#60", "qty #60"},
        {"hash without a number is dropped", "# of visits", "of visits"},
        {"case number", "Case Number: CM15-0198233", "case number cm15-0198233"},
        {"plain hyphenated words are split", "non-steroidal long-term", "non steroidal long term"},
        {"slash between words is split", "and/or", "and or"},
        {"a digit inside joins the whole run", "L5-S1 and 2x-3x and C-5", "l5-s1 and 2x-3x and c-5"},
        {"a number joined to words reads as its words", "49-year-old female, 10-point scale, 1.5-inch",
         "49 year old female 10 point scale 1.5 inch"},
        {"a number between numbers stays one run", "6-8 and 2-3-4", "6-8 and 2-3-4"},
        {"dates", "12/04/2014 and 7-19-2012", "12/04/2014 and 7-19-2012"},
        {"frequency", "Physical therapy 2x6", "physical therapy 2x6"},
        {"trailing joiner is not part of the token", "L5- S1", "l5 s1"},
        {"double dash does not join", "L5--S1", "l5 s1"},
        {"en dash joins like a hyphen", "L4\u2013L5", "l4-l5"},
        {"curly apostrophe folds to ascii", "patient\u2019s", "patient's"},
        {"NFKC: trade mark sign is not a word", "Soprodal 350\u2122", "soprodal 350"},
        {"NFKC: ligature and full-width digits", "\uFB01le \uFF11\uFF12", "file 12"},
        {"case folding beyond ascii", "STRASSE Stra\u00DFe \u00C9COLE", "strasse strasse \u00E9cole"},
        {"non-breaking space separates", "Soma\u00A0350", "soma 350"},
        {"empty text", "", ""},
        {"only punctuation", " -- / ## ", ""},
        {"very long word is dropped", "a " + std::string(65, 'x') + " b", "a b"},
        {"word of 64 bytes is kept", std::string(64, 'y'), std::string(64, 'y')},
        {"too long compound falls back to its pieces", std::string(40, 'a') + "-" + std::string(30, 'b') + "1",
         std::string(40, 'a') + " " + std::string(30, 'b') + "1"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(joined_terms(analyzer().tokenize(c.input)) == c.terms); }
    }
}

TEST_CASE("tokenize: parts of compounds") {
    struct Case {
        const char* name;
        std::string input;
        std::string term;
        std::string parts;
    };
    const Case cases[] = {
        {"dose", "10/325", "10/325", "10 325"},
        {"dose with unit", "5/325mg", "5/325mg", "5 325mg 325 mg"},
        {"number glued to unit", "350mg", "350mg", "350 mg"},
        {"decimal glued to unit", "7.5mg", "7.5mg", "7.5 mg"},
        {"spine level", "L5-S1", "l5-s1", "l5 s1"},
        {"short spine level", "C5-6", "c5-6", "c5 6"},
        {"hash quantity", "#60", "#60", "60"},
        {"case number", "CM15-0198233", "cm15-0198233", "cm15 0198233"},
        {"three pieces give pairs too", "L4-5/L5-S1", "l4-5/l5-s1", "l4 5 l5 s1 l4-5 5/l5 l5-s1"},
        {"a date gives its numbers, no pairs", "12/04/2014", "12/04/2014", "12 04 2014"},
        {"repeated pieces once", "10/10", "10/10", "10"},
        {"plain word has none", "carisoprodol", "carisoprodol", ""},
        {"number has none", "9792.20", "9792.20", ""},
        {"letters then digits is not number+unit", "l5", "l5", ""},
        {"sentences run together", "injury.The", "injury.the", "injury the"},
        {"abbreviation", "e.g", "e.g", "e g"},
        {"dot between digits is a number", "7.5mg", "7.5mg", "7.5 mg"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto tokens = analyzer().tokenize(c.input);
            REQUIRE(tokens.size() == 1);
            CHECK(tokens[0].term == c.term);
            CHECK(joined_parts(tokens[0]) == c.parts);
        }
    }
}

TEST_CASE("tokenize: byte offsets point at the token in the input") {
    struct Case {
        const char* name;
        std::string input;
        std::vector<std::pair<std::size_t, std::size_t>> offsets;
    };
    const Case cases[] = {
        {"ascii", "Norco 10/325mg #60.", {{0, 5}, {6, 14}, {15, 18}}},
        {"multi-byte characters before", "\u00C9t\u00E9 L5-S1", {{0, 5}, {6, 11}}},
        {"curly quotes around", "\u201CSoma\u201D", {{3, 7}}},
        {"split hyphenated word", "long-term", {{0, 4}, {5, 9}}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto tokens = analyzer().tokenize(c.input);
            REQUIRE(tokens.size() == c.offsets.size());
            for (std::size_t i = 0; i < tokens.size(); ++i) {
                CHECK(tokens[i].begin == c.offsets[i].first);
                CHECK(tokens[i].end == c.offsets[i].second);
            }
        }
    }
}

TEST_CASE("tokenize: a phrase copied from a text gives the same consecutive terms") {
    const std::string letter =
        "The injured worker is a 53-year-old female who reported an injury on 04/28/2011. Norco "
        "10/325mg #60 was non-certified; L4-L5 and L5-S1 fusion per MTUS section 9792.20.";
    const auto all = analyzer().tokenize(letter);
    struct Case {
        const char* name;
        std::string copied;
    };
    const Case cases[] = {
        {"from the start", "The injured worker"},
        {"with a compound age", "a 53-year-old female who"},
        {"dose and quantity", "Norco 10/325mg #60 was"},
        {"across a semicolon", "non-certified; L4-L5 and L5-S1 fusion"},
        {"up to the end", "section 9792.20."},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto phrase = analyzer().tokenize(c.copied);
            REQUIRE(!phrase.empty());
            bool found = false;
            for (std::size_t start = 0; start + phrase.size() <= all.size() && !found; ++start) {
                bool same = true;
                for (std::size_t k = 0; k < phrase.size() && same; ++k) same = all[start + k].term == phrase[k].term;
                found = same;
            }
            CHECK_MESSAGE(found, joined_terms(phrase));
        }
    }
}

TEST_CASE("tokenize: hyphenated and spaced spellings give the same phrase") {
    struct Case {
        const char* name;
        std::string typed;
        std::string written;
    };
    const Case cases[] = {
        {"long term", "long term", "long-term"},
        {"anti inflammatory", "Anti Inflammatory", "anti-inflammatory"},
        {"brand slash generic", "hydrocodone apap", "hydrocodone/APAP"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK(joined_terms(analyzer().tokenize(c.typed)) == joined_terms(analyzer().tokenize(c.written)));
        }
    }
}

TEST_CASE("stem: English Porter2 of folded terms") {
    struct Case {
        const char* term;
        const char* stem;
    };
    const Case cases[] = {
        {"medications", "medic"}, {"running", "run"}, {"patient's", "patient"},
        {"10/325", "10/325"},     {"l5-s1", "l5-s1"}, {"", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.term) { CHECK(analyzer().stem(c.term) == c.stem); }
    }
}

TEST_CASE("fold: whole values, as field terms need them") {
    struct Case {
        const char* input;
        const char* folded;
    };
    const Case cases[] = {
        {"Muscle Relaxant", "muscle relaxant"},
        {"MTUS: Carisoprodol (Soma)", "mtus: carisoprodol (soma)"},
        {"Physical Medicine \u0026 Rehabilitation", "physical medicine & rehabilitation"},
        {"Stra\u00DFe \u2013 L4\u2013L5", "strasse - l4-l5"},
        {"", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(analyzer().fold(c.input) == c.folded); }
    }
}

TEST_CASE("tokenize: analyzers are reusable and independent") {
    imr::Analyzer other;
    const auto first = other.tokenize("Soma 350mg");
    const auto second = other.tokenize("Norco 10/325");
    CHECK(joined_terms(first) == "soma 350mg");
    CHECK(joined_terms(second) == "norco 10/325");
    CHECK(joined_terms(analyzer().tokenize("Soma 350mg")) == "soma 350mg");
}
