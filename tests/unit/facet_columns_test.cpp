// imr::build_facet_columns: letters, facets and stems of one revision, on one thread or two.
#include "engine_fixture.h"
#include "facet_columns.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <string>
#include <vector>

namespace {

using imr::test::LetterSpec;

LetterSpec letter(const std::string& file, const std::string& summary, std::vector<imr::test::ItemSpec> items) {
    LetterSpec spec;
    spec.file = file;
    spec.case_number = "CM15-" + std::to_string(file.size());
    spec.summary = summary;
    spec.items = std::move(items);
    return spec;
}

imr::test::ItemSpec soma(imr::Outcome outcome) {
    return {"Soma 350mg #60", outcome, imr::test::drug("carisoprodol", "Soma", "muscle relaxant"), "medication", {},
            "Muscle relaxants are not recommended for long-term use."};
}

imr::test::ItemSpec mri() {
    return {"MRI lumbar spine", imr::Outcome::Overturned, std::nullopt, "diagnostic imaging", {}, "Red flags were documented."};
}

// Every part of the columns a search reads, as one comparable value.
struct Snapshot {
    std::vector<std::uint32_t> letter_of, determination_offsets, determination_docs, letter_of_letter_doc;
    std::vector<std::string> letter_ids;
    std::vector<Xapian::docid> letter_doc;
    std::vector<std::vector<std::string>> facet_terms;
    std::vector<std::vector<std::uint32_t>> facet_offsets, facet_ids;
    std::vector<std::string> denied_words, medical_words, nausea_words;
    bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const imr::FacetColumns& c) {
    Snapshot s{c.letter_of, c.determination_offsets, c.determination_docs, c.letter_of_letter_doc, c.letter_ids, c.letter_doc,
               {}, {}, {}, c.stems.words("deni"), c.stems.words("medic"), c.stems.words("nausea")};
    for (const auto& f : c.facets) {
        s.facet_terms.push_back(f.terms);
        s.facet_offsets.push_back(f.offsets);
        s.facet_ids.push_back(f.ids);
    }
    return s;
}

// The ordinals' docids of a letter, through the letter index.
std::vector<Xapian::docid> determinations_of(const imr::FacetColumns& c, const std::string& file) {
    std::vector<Xapian::docid> out;
    const std::string id = imr::schema::letter_id_for_path(file);
    for (int ordinal = 0; const Xapian::docid d = c.find_document(id, ordinal); ++ordinal) out.push_back(d);
    return out;
}

}  // namespace

TEST_CASE("build_facet_columns: the letters of documents written out of letter order, and a second handle") {
    imr::test::TestIndex index;
    // a.txt is written again after b.txt: its old documents die, and its live ones follow b's.
    index.add({letter("/m/a.txt", "The request was denied.", {soma(imr::Outcome::Upheld), mri()}),
               letter("/m/b.txt", "Medically the patient is stable.", {soma(imr::Outcome::Overturned)})});
    index.add({letter("/m/a.txt", "The request was denied again; medical records reviewed.", {mri(), soma(imr::Outcome::Upheld)})});
    const Xapian::Database db(index.path().string());
    const imr::FacetColumns one_thread = imr::build_facet_columns(db);

    SUBCASE("one thread: each live determination belongs to its own letter, dead ones to none") {
        // Docids: a's old letter 1 with 2, 3 (dead); b's 4 with 5; a's new 6 with 7, 8.
        CHECK(one_thread.letter_ids.size() == 2);
        CHECK(determinations_of(one_thread, "/m/a.txt") == std::vector<Xapian::docid>{7, 8});
        CHECK(determinations_of(one_thread, "/m/b.txt") == std::vector<Xapian::docid>{5});
        CHECK(one_thread.letter_doc_of(7) == 6);
        CHECK(one_thread.letter_doc_of(8) == 6);
        CHECK(one_thread.letter_doc_of(5) == 4);
        for (Xapian::docid dead : {1u, 2u, 3u}) {
            CAPTURE(dead);
            CHECK_FALSE(one_thread.live(dead));
        }
        CHECK(one_thread.documents == 3);
        CHECK(one_thread.stems.words("deni") == std::vector<std::string>{"denied"});
    }
    SUBCASE("a second handle at the same revision: the same columns") {
        const Xapian::Database second(index.path().string());
        CHECK(snapshot(imr::build_facet_columns(db, &second)) == snapshot(one_thread));
    }
    SUBCASE("a second handle left at an older revision: the columns of the first handle's") {
        const Xapian::Database second(index.path().string());
        index.add({letter("/m/c.txt", "Nausea was reported.", {mri()})});
        const Xapian::Database newer(index.path().string());
        REQUIRE(newer.get_revision() > second.get_revision());
        const imr::FacetColumns two = imr::build_facet_columns(newer, &second);
        CHECK(snapshot(two) == snapshot(imr::build_facet_columns(newer)));
        CHECK(two.stems.words("nausea") == std::vector<std::string>{"nausea"});
        CHECK(two.letter_ids.size() == 3);
    }
}
