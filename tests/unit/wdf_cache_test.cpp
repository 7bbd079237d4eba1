// wdf_cache.h: which words a warm-up reads into wdf columns, and the columns it reads.
#include "wdf_cache.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <string>
#include <vector>

namespace {

// 16 documents; `holders` of them (docids 1..holders) hold `term` with wdf `wdf`.
Xapian::WritableDatabase sixteen_documents(const std::vector<std::pair<std::string, int>>& terms_and_holders,
                                           Xapian::termcount wdf = 1) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (int d = 1; d <= 16; ++d) {
        Xapian::Document doc;
        doc.add_term("Qdoc" + std::to_string(d));  // every document holds some term
        for (const auto& [term, holders] : terms_and_holders)
            if (d <= holders) doc.add_term(term, wdf);
        db.add_document(doc);
    }
    return db;
}

}  // namespace

TEST_CASE("words_wanting_columns: unprefixed words an eighth of the documents hold, most documents first") {
    const auto db = sixteen_documents({{"common", 16}, {"half", 8}, {"beta", 4}, {"alpha", 4}, {"two", 2}, {"one", 1},
                                       {"XDRUGsoma", 16}, {"10mg", 16}, {"#60", 16}});
    struct Case {
        const char* name;
        std::size_t limit;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        // "one" is in 1 of 16 (under an eighth); prefixed terms and terms not starting with a letter are never words.
        {"all of them", 100, {"common", "half", "alpha", "beta", "two"}},
        {"ties in term order, cut at the limit", 3, {"common", "half", "alpha"}},
        {"none wanted", 0, {}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::words_wanting_columns(db, c.limit) == c.expected); }
    }
    SUBCASE("an empty database has none") {
        const Xapian::WritableDatabase empty(std::string(), Xapian::DB_BACKEND_INMEMORY);
        CHECK(imr::words_wanting_columns(empty, 10).empty());
    }
}

TEST_CASE("read_wdf_column: each document's wdf by docid, 0 where absent, at most 255") {
    struct Case {
        const char* name;
        Xapian::termcount wdf;
        std::uint8_t expected;
    };
    const Case cases[] = {{"a small wdf", 3, 3}, {"the largest a byte holds", 255, 255}, {"above it, kept as 255", 300, 255}};
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto db = sixteen_documents({{"half", 8}}, c.wdf);
            const imr::WdfCache::Column column = imr::read_wdf_column(db, "half");
            REQUIRE(column.size() == 17);  // docids 0..16
            for (std::size_t d = 0; d < column.size(); ++d) {
                CAPTURE(d);
                CHECK(column[d] == (d >= 1 && d <= 8 ? c.expected : 0));
            }
        }
    }
    SUBCASE("a term no document holds: all zeros") {
        const auto db = sixteen_documents({{"half", 8}});
        const imr::WdfCache::Column column = imr::read_wdf_column(db, "absent");
        CHECK(column == imr::WdfCache::Column(17, 0));
    }
}
