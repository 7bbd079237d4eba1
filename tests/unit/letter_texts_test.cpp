// imr::indexed_texts, reading_order_texts, own_texts and feedback_terms: the pieces of a stored
// letter a search looks in, and the words `similar` looks for.
#include "letter_texts.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

// A letter of two items, its text as printed: summary, then each item's block (item line,
// guideline line, rationale), then a closing line. Offsets are found in the text, as the parser
// records them.
struct TwoItems {
    imr::Letter letter;
    TwoItems() {
        letter.text =
            "SUMMARY The worker has back pain. "
            "ITEM Soma 350 MG. Guideline: MTUS. Rationale: Soma is not recommended for long-term use. "
            "ITEM Norco 10/325. Guideline: ODG. Rationale: Norco weaning is supported. "
            "CLOSING Reviewed by a physician.";
        const std::string& t = letter.text;
        auto at = [&](const char* s) { return t.find(s); };
        letter.sections = {{imr::section::summary, "SUMMARY", at("The worker"), "The worker has back pain."},
                           {imr::section::decisions, "ITEMS", at("ITEM Soma"), std::string(t.substr(at("ITEM Soma"), at("CLOSING") - at("ITEM Soma")))},
                           {imr::section::reviewer, "CLOSING", at("Reviewed"), "Reviewed by a physician."}};
        // An item whose block runs from its "ITEM" line to just before `next`.
        auto item = [&](const char* name, const char* guidelines, const char* rationale, const char* line, const char* next) {
            imr::Determination d;
            d.item = name;
            d.guidelines = guidelines;
            d.rationale = rationale;
            d.rationale_offset = at(rationale);
            d.printed = {{at(line), at(next) - 1}};
            return d;
        };
        const imr::Determination soma =
            item("Soma 350 MG", "Guideline: MTUS.", "Soma is not recommended for long-term use.", "ITEM Soma", "ITEM Norco");
        const imr::Determination norco = item("Norco 10/325", "Guideline: ODG.", "Norco weaning is supported.", "ITEM Norco", "CLOSING");
        letter.determinations = {soma, norco};
    }
};

std::vector<std::string> texts(const std::vector<imr::TextPiece>& pieces) {
    std::vector<std::string> out;
    for (const auto& p : pieces) out.emplace_back(std::string(p.name) + ": " + std::string(p.text));
    return out;
}

}  // namespace

TEST_CASE("indexed_texts: the shared sections, then the item's own texts") {
    const TwoItems f;
    struct Case {
        const char* name;
        int ordinal;
        bool every_item;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        {"the first item", 0, false,
         {"summary: The worker has back pain.", "reviewer: Reviewed by a physician.", "item: Soma 350 MG", "guidelines: Guideline: MTUS.",
          "rationale: Soma is not recommended for long-term use."}},
        {"the second item", 1, false,
         {"summary: The worker has back pain.", "reviewer: Reviewed by a physician.", "item: Norco 10/325", "guidelines: Guideline: ODG.",
          "rationale: Norco weaning is supported."}},
        {"every item (scope letter)", 1, true,
         {"summary: The worker has back pain.", "reviewer: Reviewed by a physician.", "item: Soma 350 MG", "guidelines: Guideline: MTUS.",
          "rationale: Soma is not recommended for long-term use.", "item: Norco 10/325", "guidelines: Guideline: ODG.",
          "rationale: Norco weaning is supported."}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(texts(imr::indexed_texts(f.letter, c.ordinal, c.every_item)) == c.expected); }
    }
}

TEST_CASE("reading_order_texts: the text cut at each rationale, then the item's block as printed") {
    TwoItems f;
    const std::vector<std::string> shared{
        "shared: SUMMARY The worker has back pain. ITEM Soma 350 MG. Guideline: MTUS. Rationale: ",
        "shared:  ITEM Norco 10/325. Guideline: ODG. Rationale: ", "shared:  CLOSING Reviewed by a physician."};
    SUBCASE("one item") {
        auto expected = shared;
        expected.push_back("rationale: ITEM Soma 350 MG. Guideline: MTUS. Rationale: Soma is not recommended for long-term use.");
        CHECK(texts(imr::reading_order_texts(f.letter, 0)) == expected);
    }
    SUBCASE("every item") {
        auto expected = shared;
        expected.push_back("rationale: ITEM Soma 350 MG. Guideline: MTUS. Rationale: Soma is not recommended for long-term use.");
        expected.push_back("rationale: ITEM Norco 10/325. Guideline: ODG. Rationale: Norco weaning is supported.");
        CHECK(texts(imr::reading_order_texts(f.letter, 0, true)) == expected);
    }
    SUBCASE("a rationale outside the text (a damaged letter): none") {
        f.letter.determinations[1].rationale_offset = f.letter.text.size();
        CHECK(imr::reading_order_texts(f.letter, 0).empty());
    }
    SUBCASE("a printed range outside the text is left out") {
        f.letter.determinations[0].printed = {{5, f.letter.text.size() + 10}};
        CHECK(texts(imr::reading_order_texts(f.letter, 0)) == shared);
    }
}

TEST_CASE("own_texts: what a determination is about, or the shared texts when it says nothing") {
    TwoItems f;
    CHECK(texts(imr::own_texts(f.letter, 1)) == std::vector<std::string>{"item: Norco 10/325", "rationale: Norco weaning is supported."});
    CHECK(imr::own_texts(f.letter, std::nullopt).size() == 4);
    f.letter.determinations[1].item.clear();
    f.letter.determinations[1].rationale.clear();
    CHECK(texts(imr::own_texts(f.letter, 1)) == texts(imr::indexed_texts(f.letter, 1)));
}

TEST_CASE("feedback_terms: by tf-idf; words in most documents, short or without a letter left out") {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    // "the" and "pain" in every document, "soma" in 2 of 10, "weaning" in 1, "10" in 3 but no word to
    // suggest. Said three times, soma weighs (1 + ln 3) * ln(8.5 / 2.5) = 2.56, above weaning's ln(9.5 / 1.5) = 1.85.
    for (int i = 0; i < 10; ++i) {
        Xapian::Document doc;
        doc.add_term("the");
        doc.add_term("pain");
        if (i < 2) doc.add_term("soma");
        if (i == 0) doc.add_term("weaning");
        if (i < 3) doc.add_term("10");
        db.add_document(doc);
    }
    const imr::Analyzer analyzer;
    const std::string text = "The pain: soma soma soma, then weaning at 10 mg; the pain.";
    const std::vector<imr::TextPiece> pieces{{"rationale", text}};
    struct Case {
        std::size_t count;
        std::vector<std::string> expected;
    };
    for (const auto& c : {Case{5, {"soma", "weaning"}}, Case{1, {"soma"}}, Case{0, {}}}) {
        CAPTURE(c.count);
        CHECK(imr::feedback_terms(db, analyzer, pieces, c.count) == c.expected);
    }
}
