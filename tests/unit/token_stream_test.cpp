// Unit tests of token streams: the byte format, scanning, byte-run search and term id keys.
#include "token_stream.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ts = imr::token_stream;
using Words = std::vector<std::pair<Xapian::termpos, ts::TermId>>;

namespace {

std::string encode(const Words& words) {
    ts::Encoder e;
    for (const auto& [pos, id] : words) e.add(pos, id);
    return e.bytes();
}

Words decode(std::string_view bytes) {
    Words out;
    ts::scan(bytes, [&](Xapian::termpos pos, ts::TermId id) {
        out.emplace_back(pos, id);
        return false;
    });
    return out;
}

}  // namespace

TEST_CASE("token streams: bytes written and read back") {
    struct Case {
        const char* name;
        Words words;
        std::string bytes;
    };
    const Case cases[] = {
        {"one byte a word", {{1, 5}, {2, 127}}, std::string("\x05\x7f", 2)},
        {"a two-byte id", {{1, 128}}, std::string("\x80\x01", 2)},
        {"a three-byte id", {{1, 16384}}, std::string("\x80\x80\x01", 3)},
        {"a gap between sections", {{1, 3}, {103, 4}}, std::string("\x03\x00\x65\x04", 4)},
        {"a stream that starts late", {{5, 9}}, std::string("\x00\x04\x09", 3)},
        {"no words", {}, std::string()},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK(encode(c.words) == c.bytes);
            CHECK(decode(c.bytes) == c.words);
        }
    }
    SUBCASE("a truncated varint ends the scan at the fault") {
        CHECK(decode(std::string("\x05\x80", 2)) == Words{{1, 5}});
    }
    SUBCASE("the scan stops when the caller has found what it wanted") {
        int seen = 0;
        CHECK(ts::scan(encode({{1, 1}, {2, 2}, {3, 3}}), [&](Xapian::termpos, ts::TermId id) { return ++seen, id == 2; }));
        CHECK(seen == 2);
    }
}

TEST_CASE("contains_run: consecutive words found as bytes, only at word starts") {
    struct Case {
        const char* name;
        Words stream;
        std::vector<ts::TermId> run;
        bool expected;
    };
    const Case cases[] = {
        {"adjacent words", {{1, 7}, {2, 8}, {3, 9}}, {8, 9}, true},
        {"at the very start", {{1, 7}, {2, 8}}, {7, 8}, true},
        {"words in the other order", {{1, 7}, {2, 8}}, {8, 7}, false},
        {"not across a section gap", {{1, 7}, {102, 8}}, {7, 8}, false},
        {"right after a gap", {{1, 5}, {102, 7}, {103, 8}}, {7, 8}, true},
        // 0x87 0x01 is id 135; its last byte is no word of its own.
        {"not from inside a varint", {{1, 135}, {2, 8}}, {1, 8}, false},
        // After the gap marker, 0x65 is a count of empty positions, not id 101.
        {"not from a gap's count", {{1, 3}, {103, 4}}, {101, 4}, false},
        {"a multi-byte word in the run", {{1, 2}, {2, 300}, {3, 4}}, {300, 4}, true},
        {"a run longer than the stream", {{1, 7}}, {7, 8}, false},
        {"a run as long as the stream", {{1, 7}, {2, 8}}, {7, 8}, true},
        {"a later match after a false start", {{1, 7}, {2, 9}, {3, 7}, {4, 8}}, {7, 8}, true},
        {"the last word at the stream's end", {{1, 1}, {2, 2}, {3, 7}, {4, 300}}, {7, 300}, true},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            Words run;
            for (std::size_t i = 0; i < c.run.size(); ++i) run.emplace_back(static_cast<Xapian::termpos>(i + 1), c.run[i]);
            const std::string stream = encode(c.stream), bytes = encode(run);
            // Whichever byte the search starts from, the answer is the same.
            for (std::size_t anchor = 0; anchor < bytes.size(); ++anchor) {
                CAPTURE(anchor);
                CHECK(ts::contains_run(stream, bytes, anchor) == c.expected);
            }
        }
    }
    SUBCASE("an anchor past the run's end finds nothing") {
        CHECK_FALSE(ts::contains_run(encode({{1, 7}, {2, 8}}), encode({{1, 7}, {2, 8}}), 2));
    }
}

TEST_CASE("term ids in the user metadata") {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    db.set_metadata(ts::term_id_key("soma"), "12");
    db.set_metadata(ts::term_id_key("broken"), "x1");
    struct Case {
        const char* name;
        std::string term;
        std::optional<ts::TermId> expected;
    };
    const Case cases[] = {
        {"a word with an id", "soma", 12},
        {"a word without one", "tramadol", std::nullopt},
        {"a malformed id is none", "broken", std::nullopt},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(ts::find_term_id(db, c.term) == c.expected); }
    }
    SUBCASE("ids are positive decimal numbers") {
        CHECK(ts::parse_term_id("7") == 7u);
        CHECK(ts::parse_term_id("0") == std::nullopt);
        CHECK(ts::parse_term_id("-3") == std::nullopt);
        CHECK(ts::parse_term_id("12a") == std::nullopt);
        CHECK(ts::term_id_key("soma") == "t:soma");
    }
}
