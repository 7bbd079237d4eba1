// imr::StreamStore: every document's token stream and breaks in memory, by docid and kind.
#include "engine_fixture.h"
#include "stream_store.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <array>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

namespace {

imr::test::LetterSpec letter(const std::string& file, const std::string& summary, const std::string& rationale) {
    imr::test::LetterSpec spec;
    spec.file = file;
    spec.case_number = "CM15-" + std::to_string(file.size());
    spec.summary = summary;
    spec.items = {{"Soma 350mg #60", imr::Outcome::Upheld, imr::test::drug("carisoprodol", "Soma", "muscle relaxant"), "medication", {}, rationale},
                  {"MRI lumbar spine", imr::Outcome::Overturned, std::nullopt, "diagnostic imaging", {}, "Red flags were documented."}};
    return spec;
}

// The store's stream of `did` as the kind asked, or "(none)".
std::string stored(const imr::StreamStore& store, Xapian::docid did, bool letter_document) {
    std::string_view stream;
    return store.find(did, letter_document, stream) ? std::string(stream) : "(none)";
}

// The store's breaks of `did`, or "(not held)".
std::string stored_breaks(const imr::StreamStore& store, Xapian::docid did) {
    std::string_view breaks;
    return store.find_breaks(did, breaks) ? std::string(breaks) : "(not held)";
}

}  // namespace

TEST_CASE("StreamStore::load holds each document's stream under its own kind only") {
    imr::test::TestIndex index;
    // b.txt is written twice: its first documents stay in the database, dead, with their streams.
    index.add({letter("/s/a.txt", "The patient reports neck pain.", "Muscle relaxants are not recommended for long-term use."),
               letter("/s/b.txt", "Medically the patient is stable.", "Not medically necessary.")});
    index.add({letter("/s/b.txt", "The patient is stable again.", "Still not medically necessary.")});
    const Xapian::Database db(index.path().string());
    const auto store = imr::StreamStore::load(db);
    REQUIRE(store);
    CHECK(store->revision() == db.get_revision());

    std::size_t bytes = 0, letters = 0, determinations = 0;
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
        CAPTURE(did);
        const std::string own = db.get_document(did).get_value(imr::schema::kSlotTokens);
        const std::string shared = db.get_document(did).get_value(imr::schema::kSlotLetterTokens);
        REQUIRE(own.empty() != shared.empty());  // each document holds the stream of its kind
        CHECK(stored(*store, did, false) == (own.empty() ? "(none)" : own));
        CHECK(stored(*store, did, true) == (shared.empty() ? "(none)" : shared));
        bytes += own.size() + shared.size();
        letters += !shared.empty();
        determinations += !own.empty();
    }
    CHECK(letters == 3);         // a, b, and b again
    CHECK(determinations == 6);  // two items each
    CHECK(store->stream_bytes() == bytes);
    CHECK(store->bytes() > store->stream_bytes() + store->break_bytes());  // and the tables by docid
    SUBCASE("byte counts: every stream's bytes, or every second stream's") {
        std::array<std::uint64_t, 256> all{}, every_second{};
        std::size_t streams = 0;
        for (const Xapian::valueno slot : {imr::schema::kSlotTokens, imr::schema::kSlotLetterTokens}) {
            for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it, ++streams) {
                for (const char c : *it) {
                    ++all[static_cast<unsigned char>(c)];
                    if (streams % 2 == 0) ++every_second[static_cast<unsigned char>(c)];
                }
            }
        }
        const auto counted_all = imr::StreamStore::load(db, 1);
        const auto counted_half = imr::StreamStore::load(db, 2);
        const auto counted_none = imr::StreamStore::load(db, 0);
        for (int b = 0; b < 256; ++b) {
            CAPTURE(b);
            CHECK(counted_all->byte_count(static_cast<unsigned char>(b)) == all[b]);
            CHECK(counted_half->byte_count(static_cast<unsigned char>(b)) == every_second[b]);
            CHECK(counted_none->byte_count(static_cast<unsigned char>(b)) == 0);
        }
        CHECK(std::accumulate(all.begin(), all.end(), std::uint64_t{0}) == bytes);
    }
    SUBCASE("past the last docid, and docid 0: nothing") {
        CHECK(stored(*store, db.get_lastdocid() + 1, false) == "(none)");
        CHECK(stored(*store, db.get_lastdocid() + 1, true) == "(none)");
        CHECK(stored(*store, 0, false) == "(none)");
    }
}

TEST_CASE("StreamStore::load of an empty database") {
    imr::test::TestIndex index;
    const Xapian::Database db(index.path().string());
    const auto store = imr::StreamStore::load(db);
    CHECK(store->stream_bytes() == 0);
    CHECK(store->break_bytes() == 0);
    CHECK(stored(*store, 1, false) == "(none)");
    CHECK(stored_breaks(*store, 1) == "(not held)");
}

TEST_CASE("StreamStore::load holds every document's breaks as the database does") {
    struct Case {
        const char* name;
        std::vector<std::vector<imr::test::LetterSpec>> commits;
        std::size_t block_bytes;
    };
    // Texts with no break, with sentences, with paragraphs; blocks so small that the breaks lie in
    // many of them; a letter written again, whose first documents stay, dead, with their breaks.
    // Each case has a determination with no breaks (an item of one sentence, no rationale) among
    // documents with some.
    const std::string sentences = "The patient reports neck pain. She takes Soma daily. Sedation is noted.";
    const std::string paragraphs = "The patient reports neck pain.\n\nShe takes Soma daily.\n\nSedation is noted. It is mild.";
    const Case cases[] = {
        {"one letter", {{letter("/s/a.txt", sentences, "")}}, std::size_t{16} << 20},
        {"letters of one sentence, several and paragraphs",
         {{letter("/s/a.txt", "Neck pain", ""), letter("/s/b.txt", sentences, paragraphs),
           letter("/s/c.txt", paragraphs, "Not recommended. The request is not medically necessary.")}},
         std::size_t{16} << 20},
        {"breaks in many small blocks",
         {{letter("/s/a.txt", sentences, paragraphs), letter("/s/b.txt", paragraphs, ""),
           letter("/s/c.txt", sentences + " " + sentences, "Denied")}},
         16},
        {"a letter written again", {{letter("/s/a.txt", sentences, ""), letter("/s/b.txt", paragraphs, sentences)},
                                    {letter("/s/a.txt", paragraphs, paragraphs)}},
         64},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            imr::test::TestIndex index;
            for (const auto& commit : c.commits) index.add(commit);
            const Xapian::Database db(index.path().string());
            const auto store = imr::StreamStore::load(db, 16, c.block_bytes);
            std::size_t bytes = 0, with_breaks = 0;
            for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
                CAPTURE(did);
                const std::string breaks = db.get_document(did).get_value(imr::schema::kSlotBreaks);
                CHECK(stored_breaks(*store, did) == breaks);
                CHECK(imr::schema::decode_breaks(stored_breaks(*store, did)) == imr::schema::decode_breaks(breaks));
                bytes += breaks.size();
                with_breaks += !breaks.empty();
            }
            CHECK(with_breaks > 0);
            CHECK(with_breaks < db.get_lastdocid());  // a document of one sentence has none
            CHECK(store->break_bytes() == bytes);
            CHECK(stored_breaks(*store, 0) == "(not held)");
            CHECK(stored_breaks(*store, db.get_lastdocid() + 1) == "(not held)");
        }
    }
}
