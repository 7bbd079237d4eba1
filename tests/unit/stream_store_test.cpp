// imr::StreamStore: every document's token stream in memory, by docid and kind.
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
    CHECK(store->bytes() == bytes);
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
    CHECK(store->bytes() == 0);
    CHECK(stored(*store, 1, false) == "(none)");
}
