// Unit tests of the schema helpers: facets, field terms, ids and hashes, section spans, dead ranges.
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace schema = imr::schema;

TEST_CASE("find_facet: every facet by name, unknown names give nullptr") {
    struct Case {
        const char* name;
        const char* prefix;  // nullptr: unknown
        bool multi_valued;
    };
    const Case cases[] = {
        {"decision", "XDEC", false}, {"drug", "XDRUG", false},     {"class", "XCLASS", false},
        {"category", "XCAT", false}, {"guideline", "XGL", true},   {"specialty", "XSPEC", true},
        {"state", "XSTATE", true},   {"year", "XYEAR", false},     {"drug_class", nullptr, false},
        {"", nullptr, false},        {"Drug", nullptr, false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto* facet = schema::find_facet(c.name);
            if (!c.prefix) {
                CHECK(facet == nullptr);
            } else {
                REQUIRE(facet != nullptr);
                CHECK(facet->prefix == c.prefix);
                CHECK(facet->multi_valued == c.multi_valued);
            }
        }
    }
}

TEST_CASE("field_term: prefix plus the folded value") {
    struct Case {
        const char* name;
        std::string prefix;
        std::string value;
        std::string term;
    };
    const Case cases[] = {
        {"lower-cased", "XDEC", "Overturned", "XDECoverturned"},
        {"spaces and punctuation kept", "XGL", "MTUS: Muscle relaxants (for pain)", "XGLmtus: muscle relaxants (for pain)"},
        {"slash kept", "XDRUG", "hydrocodone/acetaminophen", "XDRUGhydrocodone/acetaminophen"},
        {"NFKC and case folding", "XSPEC", "\uFB01SZ Stra\u00DFe", "XSPECfisz strasse"},
        {"case number", "XCASE", "CM15-0198233", "XCASEcm15-0198233"},
        {"empty value", "XSEX", "", "XSEX"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(schema::field_term(c.prefix, c.value) == c.term); }
    }
}

TEST_CASE("field_term: cut to Xapian's 245-byte limit without splitting a character") {
    struct Case {
        const char* name;
        std::string value;
        std::string expected_value;
    };
    const std::string ascii_240(240, 'a');
    const std::string e_acute = "\u00E9";  // two bytes
    const Case cases[] = {
        {"fits exactly", std::string(241, 'b'), std::string(241, 'b')},
        {"ascii is cut", std::string(300, 'c'), std::string(241, 'c')},
        // 4 + 240 bytes leave one byte: the two-byte character cannot fit and is left out whole.
        {"two-byte character at the limit", ascii_240 + e_acute + "zz", ascii_240},
        {"two-byte character before the limit", std::string(239, 'a') + e_acute + "zz", std::string(239, 'a') + e_acute},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto term = schema::field_term("XGL_", c.value);
            CHECK(term.size() <= 245);
            CHECK(term == "XGL_" + c.expected_value);
        }
    }
}

TEST_CASE("ids and hashes: 16 hex digits of FNV-1a 64, stable across runs") {
    struct Case {
        const char* name;
        std::string bytes;
        std::string hex;
    };
    // Reference values of FNV-1a 64 (the published test vectors).
    const Case cases[] = {
        {"empty", "", "cbf29ce484222325"},
        {"a", "a", "af63dc4c8601ec8c"},
        {"foobar", "foobar", "85944171f73967e8"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK(schema::hash_hex(c.bytes) == c.hex);
            CHECK(schema::letter_id_for_path(c.bytes) == c.hex);
        }
    }
    SUBCASE("different paths give different ids") {
        CHECK(schema::letter_id_for_path("/data/a.txt") != schema::letter_id_for_path("/data/b.txt"));
    }
}

TEST_CASE("doc_id_term: Q, letter id, slash, ordinal") {
    CHECK(schema::doc_id_term("0123456789abcdef", 0) == "Q0123456789abcdef/0");
    CHECK(schema::doc_id_term("0123456789abcdef", 12) == "Q0123456789abcdef/12");
}

TEST_CASE("section spans: encoded and decoded back, malformed bytes cut short") {
    using Spans = std::vector<schema::SectionSpan>;
    struct Case {
        const char* name;
        Spans spans;
    };
    const Case cases[] = {
        {"none", {}},
        {"one", {{'S', 1, 40}}},
        {"in order with gaps", {{'H', 1, 12}, {'S', 113, 260}, {'I', 361, 366}, {'R', 467, 700}}},
        {"one-word span", {{'G', 5, 5}}},
        {"positions past 2^21 take four-byte varints", {{'R', 3000000, 3000400}}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(schema::decode_section_spans(schema::encode_section_spans(c.spans)) == c.spans); }
    }
    SUBCASE("the first span costs three bytes when its positions are small") {
        CHECK(schema::encode_section_spans({{'S', 1, 40}}) == std::string("S\x01\x27", 3));
    }
    SUBCASE("a truncated varint drops the span it starts") {
        std::string bytes = schema::encode_section_spans({{'S', 1, 40}, {'R', 200, 2000}});
        bytes.pop_back();
        CHECK(schema::decode_section_spans(bytes) == Spans{{'S', 1, 40}});
    }
    SUBCASE("section codes by name") {
        CHECK(schema::section_code("rationale") == 'R');
        CHECK(schema::section_code("summary") == 'S');
        CHECK(schema::section_code("decisions") == '\0');
        CHECK(schema::section_code("") == '\0');
    }
}

TEST_CASE("dead ranges: written as dead:<8 hex> -> last docid, read back in docid order, malformed ones skipped") {
    imr::test::TempDir dir;  // the in-memory backend cannot list metadata keys
    Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE | schema::kDatabaseFlags);
    for (int i = 0; i < 12; ++i) {
        Xapian::Document doc;
        doc.add_boolean_term(i < 4 ? "XLa" : i < 8 ? "XLb" : "XLc");
        db.add_document(doc);
    }
    CHECK(schema::dead_key(1) == "dead:00000001");
    CHECK(schema::dead_key(0xabcdef) == "dead:00abcdef");
    db.set_metadata(schema::dead_key(9), "10");
    db.set_metadata(schema::dead_key(1), "4");
    struct Malformed {
        const char* key;
        const char* value;
    };
    const Malformed malformed[] = {
        {"dead:0000000g", "5"},   // not hex
        {"dead:005", "6"},        // not 8 digits
        {"dead:00000000", "1"},   // docid 0
        {"dead:00000006", "5"},   // ends before it starts
        {"dead:00000007", "7x"},  // not a number
        {"dead:00000008", ""},    // empty
    };
    for (const auto& m : malformed) db.set_metadata(m.key, m.value);
    CHECK(schema::dead_ranges(db) == std::vector<schema::DocidRange>{{1, 4}, {9, 10}});
    const std::vector<char> dead = schema::dead_docids(db);
    REQUIRE(dead.size() == 13);
    CHECK(std::vector<char>(dead.begin(), dead.end()) ==
          std::vector<char>{0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0});
    CHECK(schema::is_dead(dead, 4));
    CHECK_FALSE(schema::is_dead(dead, 5));
    CHECK_FALSE(schema::is_dead(dead, 13));  // added after the flags were read
    struct Live {
        const char* term;
        schema::DocidRange range;
    };
    const Live live[] = {{"XLa", {0, 0}}, {"XLb", {5, 8}}, {"XLc", {11, 12}}, {"XLnone", {0, 0}}};
    for (const auto& l : live) {
        CAPTURE(l.term);
        CHECK(schema::live_range(db, l.term, dead) == l.range);
    }
}
