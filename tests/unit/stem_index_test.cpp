// imr::StemIndex: the indexed words of each stem, read from a database's unprefixed terms.
#include "analyzer.h"
#include "stem_index.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <string>
#include <vector>

namespace {

using Words = std::vector<std::string>;

imr::StemIndex index_of(const Words& terms) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    Xapian::Document doc;
    for (const auto& t : terms) doc.add_term(t);
    db.add_document(doc);
    db.commit();
    return imr::StemIndex::build(db, imr::Analyzer());
}

}  // namespace

TEST_CASE("StemIndex: words grouped by stem; codes, numbers and field terms left out") {
    const auto index = index_of({"denied", "denies", "denial", "medical", "medically", "medication", "10/325", "#60",
                                 "2nd", "XDRUGsoma", "Q0123456789abcdef/0", "caf\u00e9s", "zygapophyseal"});
    struct Case {
        const char* stem;
        Words words;
    };
    const Case cases[] = {
        {"deni", {"denied", "denies"}},
        {"denial", {"denial"}},
        {"medic", {"medical", "medically", "medication"}},
        {"caf\u00e9", {"caf\u00e9s"}},              // non-ASCII words sort after "z" and are read too
        {"zygapophys", {"zygapophyseal"}},      // the last word
        {"10/325", {}},                          // searched as typed
        {"#60", {}},
        {"2nd", {}},
        {"XDRUGsoma", {}},
        {"xdrugsoma", {}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.stem) { CHECK(index.words(c.stem) == c.words); }
    }
    CHECK(index.stems() == 5);
}
