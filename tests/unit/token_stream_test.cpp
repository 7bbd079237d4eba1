// Unit tests of token streams: the byte format, scanning, byte-run search and term id keys.
#include "token_stream.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <optional>
#include <random>
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

namespace {

// What PairWindow answers, from every word's decoded position.
bool pair_by_positions(const Words& words, ts::TermId a, ts::TermId b, Xapian::termcount window, bool ordered) {
    for (const auto& [pa, ia] : words) {
        if (ia != a) continue;
        for (const auto& [pb, ib] : words) {
            if (ib != b) continue;
            if (pb > pa && pb - pa < window) return true;
            if (!ordered && pa > pb && pa - pb < window) return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("PairWindow: two words within a window, by bytes") {
    struct Case {
        const char* name;
        Words stream;
        ts::TermId a, b;
        Xapian::termcount window;
        bool ordered, expected;
    };
    const Case cases[] = {
        {"adjacent, in order", {{1, 7}, {2, 8}}, 7, 8, 2, true, true},
        {"adjacent, the other order, ordered", {{1, 8}, {2, 7}}, 7, 8, 2, true, false},
        {"adjacent, the other order, near", {{1, 8}, {2, 7}}, 7, 8, 2, false, true},
        {"one word too far", {{1, 7}, {2, 5}, {3, 8}}, 7, 8, 2, true, false},
        {"just within", {{1, 7}, {2, 5}, {3, 8}}, 7, 8, 3, true, true},
        {"a gap between counts its empty positions", {{1, 7}, {4, 8}}, 7, 8, 3, false, false},
        {"after a gap, positions go on", {{1, 3}, {50, 7}, {51, 9}, {52, 8}}, 7, 8, 3, true, true},
        {"multi-byte ids", {{1, 300}, {2, 200}, {3, 4000}}, 300, 4000, 3, true, true},
        // 0x87 0x01 is id 135: its second byte is no word 1.
        {"not from inside a varint", {{1, 135}, {2, 8}}, 1, 8, 3, false, false},
        // After the gap marker, 0x07 is a count of empty positions, not id 7.
        {"not from a gap's count", {{1, 3}, {9, 8}}, 7, 8, 5, false, false},
        {"one word missing", {{1, 7}, {2, 7}}, 7, 8, 5, false, false},
        {"the closest of several", {{1, 7}, {10, 8}, {20, 7}, {22, 8}}, 7, 8, 3, true, true},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            ts::PairWindow pair(c.a, c.b, c.window, c.ordered);
            CHECK(pair.in(encode(c.stream)) == c.expected);
            CHECK(pair_by_positions(c.stream, c.a, c.b, c.window, c.ordered) == c.expected);  // the case itself is right
        }
    }
    SUBCASE("random streams: the same answers as decoded positions") {
        std::uint64_t seed = 12345;
        auto next = [&seed](std::uint64_t bound) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            return (seed >> 33) % bound;
        };
        // Few distinct ids, some multi-byte (128, 129, 300), and gaps between sections.
        const ts::TermId ids[] = {1, 2, 3, 7, 8, 128, 129, 300};
        for (int round = 0; round < 2000; ++round) {
            Words words;
            Xapian::termpos pos = 0;
            const auto length = 1 + next(40);
            for (std::uint64_t i = 0; i < length; ++i) {
                pos += next(8) == 0 ? 1 + static_cast<Xapian::termpos>(next(5)) : 1;
                words.emplace_back(pos, ids[next(8)]);
            }
            const ts::TermId a = ids[next(8)], b = ids[next(8)];
            if (a == b) continue;
            const auto window = static_cast<Xapian::termcount>(2 + next(6));
            const bool ordered = next(2) == 0;
            ts::PairWindow pair(a, b, window, ordered);
            CAPTURE(round);
            REQUIRE(pair.in(encode(words)) == pair_by_positions(words, a, b, window, ordered));
        }
    }
}

TEST_CASE("WordCursor and positions_between: a word found by bytes, and its position") {
    // Ids of one, two and three bytes; a gap of 100 positions after the fourth word; id 200's
    // bytes (0xC8 0x01) hold 0x01, which is id 1 only at a word's start.
    const Words words = {{1, 1}, {2, 200}, {3, 20000}, {4, 1}, {105, 7}, {106, 200}, {107, 1}, {108, 3}};
    const std::string stream = encode(words);
    auto word_bytes = [](ts::TermId id) { return encode({{1, id}}); };
    // Each word's byte offset: where its id starts, after the gap before it if there is one.
    std::vector<std::uint32_t> offsets;
    for (std::size_t k = 0; k < words.size(); ++k)
        offsets.push_back(static_cast<std::uint32_t>(encode(Words(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(k) + 1)).size() -
                                                     word_bytes(words[k].second).size()));
    struct Case {
        const char* name;
        std::vector<ts::TermId> ids;
        std::vector<std::size_t> at;  // indexes into `words`
    };
    const Case cases[] = {
        {"a one-byte id, not inside another id's bytes", {1}, {0, 3, 6}},
        {"a two-byte id", {200}, {1, 5}},
        {"a three-byte id", {20000}, {2}},
        {"after a gap", {7}, {4}},
        {"two forms, in stream order", {3, 7}, {4, 7}},
        {"three forms, interleaved", {200, 1, 7}, {0, 1, 3, 4, 5, 6}},
        {"an id the stream lacks", {9}, {}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            ts::WordCursor cursor(c.ids);
            std::vector<std::uint32_t> found;
            // Started twice: a cursor is reused from stream to stream.
            for (int round = 0; round < 2; ++round) {
                found.clear();
                cursor.start(stream);
                for (std::size_t at = cursor.next(); at != ts::WordCursor::kEnd; at = cursor.next())
                    found.push_back(static_cast<std::uint32_t>(at));
            }
            CHECK(cursor.next() == ts::WordCursor::kEnd);
            std::vector<std::uint32_t> expected;
            for (const auto k : c.at) expected.push_back(offsets[k]);
            CHECK(found == expected);
        }
    }
    SUBCASE("every word's position, counted from the start and from the word before") {
        for (std::size_t k = 0; k < words.size(); ++k) {
            CAPTURE(k);
            CHECK(ts::positions_between(stream, 0, offsets[k]) + 1 == words[k].first);
            if (k > 0) CHECK(ts::positions_between(stream, offsets[k - 1], offsets[k]) == words[k].first - words[k - 1].first);
        }
    }
    SUBCASE("a long stream of many-byte ids, counted eight bytes at a time") {
        Words many;
        for (Xapian::termpos p = 1; p <= 500; ++p) many.push_back({p + (p > 250 ? 1000 : 0), static_cast<ts::TermId>(p * 97 + 1)});
        const std::string big = encode(many);
        ts::WordCursor cursor({many.back().second});
        cursor.start(big);
        const std::size_t found = cursor.next();
        REQUIRE(found != ts::WordCursor::kEnd);
        CHECK(cursor.next() == ts::WordCursor::kEnd);
        CHECK(ts::positions_between(big, 0, found) + 1 == many.back().first);
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

namespace {

// A stream of `length` words of ids from a small vocabulary, the run's words among them by chance,
// and the run itself written from word `at` when it is not npos.
std::string stream_with(std::mt19937& random, std::size_t length, const std::vector<ts::TermId>& run, std::size_t at) {
    std::uniform_int_distribution<ts::TermId> id(1, 300);
    Words words;
    for (std::size_t i = 0; i < length;) {
        const auto pos = static_cast<Xapian::termpos>(words.empty() ? 1 : words.back().first + 1 + (random() % 20 == 0 ? 50 : 0));
        if (i == at) {
            for (std::size_t k = 0; k < run.size(); ++k) words.emplace_back(static_cast<Xapian::termpos>(pos + k), run[k]);
            i += run.size();
            continue;
        }
        words.emplace_back(pos, id(random));
        ++i;
    }
    return encode(words);
}

std::vector<ts::RunSearch::Run> runs_of(const std::vector<std::vector<ts::TermId>>& phrases) {
    std::vector<ts::RunSearch::Run> runs;
    for (const auto& phrase : phrases) {
        Words words;
        for (std::size_t i = 0; i < phrase.size(); ++i) words.emplace_back(static_cast<Xapian::termpos>(i + 1), phrase[i]);
        runs.push_back({encode(words), words.size() > 1 ? 1u : 0u});
    }
    return runs;
}

}  // namespace

TEST_CASE("RunSearch: learns where runs lie and answers exactly as contains_run") {
    // Two forms of a three-word phrase; ids above 127 take two bytes, so the runs also hold the
    // bytes a longer id ends with.
    const std::vector<std::vector<ts::TermId>> phrases{{200, 7, 150}, {201, 7, 150}};
    const auto runs = runs_of(phrases);
    auto expected = [&](std::string_view stream) {
        for (const auto& run : runs)
            if (ts::contains_run(stream, run.bytes, run.anchor)) return true;
        return false;
    };
    struct Case {
        const char* name;
        double learnt_from;  // where the run lies in the streams it learns from: share of their words
        bool starts_late;    // whether start() is past the middle once learnt
    };
    const Case cases[] = {
        {"runs near the end: searched from there", 0.85, true},
        {"runs near the start: searched from the start", 0.05, false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            std::mt19937 random(7);
            ts::RunSearch search(runs);
            CHECK(search.start() == 0);
            std::size_t checked = 0, found = 0;
            auto check = [&](const std::string& stream) {
                CAPTURE(checked);
                const bool want = expected(stream);
                CHECK(search.in(stream) == want);
                ++checked;
                found += want;
            };
            // Learning: streams that hold a run where the case says, and streams without one.
            while (found < ts::RunSearch::kLearnFrom) {
                const std::size_t length = 40 + random() % 200;
                check(stream_with(random, length, phrases[random() % 2], static_cast<std::size_t>(c.learnt_from * length)));
                check(stream_with(random, length, {}, std::string::npos));
            }
            CHECK((search.start() > 0.5) == c.starts_late);
            // Then runs anywhere: before, at and across where the search starts, at either end,
            // twice, or not at all.
            for (int i = 0; i < 3000; ++i) {
                const std::size_t length = 3 + random() % 300;
                const std::size_t at = random() % 5 == 0 ? std::string::npos : random() % length;
                check(stream_with(random, length, phrases[random() % 2], at));
            }
        }
    }
    SUBCASE("a stream's very first and last words, and an empty stream") {
        ts::RunSearch search(runs);
        std::mt19937 random(11);
        for (std::size_t i = 0; i < ts::RunSearch::kLearnFrom; ++i) CHECK(search.in(stream_with(random, 100, phrases[0], 90)));
        REQUIRE(search.start() > 0.5);
        CHECK(search.in(stream_with(random, 100, phrases[1], 0)));
        CHECK(search.in(stream_with(random, 100, phrases[0], 97)));
        CHECK(search.in(encode({{1, 200}, {2, 7}, {3, 150}})));
        CHECK_FALSE(search.in(encode({{1, 200}, {2, 7}})));
        CHECK_FALSE(search.in(""));
        // Split by a section gap: not the run.
        CHECK_FALSE(search.in(encode({{1, 5}, {2, 200}, {3, 7}, {60, 150}, {61, 9}})));
    }
}
