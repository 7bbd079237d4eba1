// The token stream of a document (schema::kSlotTokens): its words as term ids, in position order.
//
// Why: Xapian's position table stored one B-tree item per word and document, about 20 bytes each
// whatever the word, and was half of the index and a third of the indexing time. A document's
// words as varint term ids take about a byte and a half each, and a phrase, NEAR or section check
// reads one short value per document instead of one position list per word.
//
// Term ids are given by the indexer in first-seen order (indexer/term_ids.h) and recorded in the
// database's user metadata, one key per word: term_id_key("soma") -> "1234" (decimal). An id is
// never reused or changed, and is written in the same commit as the first document using it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace imr::token_stream {

using TermId = std::uint32_t;  // 1, 2, ...; 0 is never a term's id

// The user-metadata key holding a term's id.
std::string term_id_key(std::string_view term);
// The id of `term` in `db`, or nullopt when no indexed document holds it. The parts of a compound
// ("l5-s1": "l5", "s1") have ids too, given as the indexer counts them, but no stream holds them.
std::optional<TermId> find_term_id(const Xapian::Database& db, std::string_view term);
// Parses a stored id; nullopt when the value is not a positive decimal number.
std::optional<TermId> parse_term_id(std::string_view value);

// Byte format: per word, its id as a LEB128 varint. Positions start at 1 and run on by one from
// word to word; a skip of N empty positions before a word (the gap between two sections) is the
// byte 0 followed by N as a varint.
class Encoder {
public:
    // Words must come in ascending positions.
    void add(Xapian::termpos pos, TermId id);
    const std::string& bytes() const { return out_; }

private:
    std::string out_;
    Xapian::termpos last_ = 0;
};

// Whether the words encoded in `run` (an Encoder's bytes from position 1, without gaps) occur
// one after another in `stream`. A byte search: only a gap marker is the byte 0, and a varint
// ends at a byte below 0x80, so a run of bytes found at the start of a word is those words.
// The search looks for the byte at offset `anchor` of the run first: the first byte of its rarest
// word stops the search least often (1M letters, "the patient": "the" is at most positions).
bool contains_run(std::string_view stream, std::string_view run, std::size_t anchor = 0);

// Whether any of a phrase's runs (one for each combination of its words' forms, as contains_run
// takes them) is in each of a series of streams, learning where in a stream a run lies. A phrase
// most streams print at about the same place (a guideline's name near the end of a letter) is
// then looked for from there, and in the bytes before only when it is not there: a byte search
// reads a stream up to its first match, and here stops reading near where it started. Which
// streams match is exactly contains_run's; only the bytes read change.
class RunSearch {
public:
    struct Run {
        std::string bytes;       // an Encoder's bytes from position 1
        std::size_t anchor = 0;  // the offset of the byte looked for first (contains_run)
    };
    // Streams that hold a run, searched from their start, before the start is chosen.
    static constexpr std::size_t kLearnFrom = 100;

    explicit RunSearch(std::vector<Run> runs = {}) : runs_(std::move(runs)) {}
    bool empty() const { return runs_.empty(); }
    bool in(std::string_view stream);
    // Where searches start, as a share of a stream's length: 0 until learnt, and when most
    // streams hold a run near their start.
    double start() const { return start_; }

private:
    // Sets start_ to the share that would have read the fewest bytes of the streams seen.
    void learn();
    std::vector<Run> runs_;
    std::vector<std::pair<double, std::size_t>> seen_;  // (first match's offset / length, length)
    double start_ = 0;
    bool learnt_ = false;
};

// Whether two different words lie within a window of each other in a stream: `b` after `a` with
// b - a < window, or, unless `ordered`, either after the other. For two-word NEAR and pre/n, which
// otherwise decode every word of every candidate: the words are found by a byte search (as in
// contains_run), and positions are counted only between two of them, no further than the window.
// Each side may be a few words (the forms of one word: "weaning", "wean", "weaned"); the two
// sides must have none in common.
class PairWindow {
public:
    PairWindow(TermId a, TermId b, Xapian::termcount window, bool ordered);
    PairWindow(const std::vector<TermId>& a, const std::vector<TermId>& b, Xapian::termcount window, bool ordered);
    bool in(std::string_view stream);

private:
    struct Found {
        std::uint32_t offset;
        bool is_b;
    };
    void find_word(std::string_view stream, const std::string& word, bool is_b);
    // Whether b is among the words from byte `after_a` (just after an a) within the window.
    bool b_follows(std::string_view stream, std::size_t after_a) const;
    std::vector<std::string> a_, b_;  // each word's varint bytes
    Xapian::termcount window_;
    bool ordered_;
    std::vector<Found> found_;  // kept between calls for their memory
};

// Where any of a few words (the forms of one word, as PairWindow takes them) starts a word in a
// stream: byte offsets, ascending, found one at a time as they are asked for, so that a check
// that stops at its first match reads no further (`patient /s pain` mostly matches in a letter's
// first sentences). Made once for a check, started again for each stream.
class WordCursor {
public:
    static constexpr std::size_t kEnd = std::string_view::npos;
    explicit WordCursor(const std::vector<TermId>& words = {});
    void start(std::string_view stream);
    // The next offset, or kEnd when there is none.
    std::size_t next();

private:
    std::vector<std::string> words_;  // each word's varint bytes
    std::string_view stream_;
    std::vector<std::size_t> ahead_;  // per word: the offset of its next occurrence, or kEnd
};

// The positions from the word or gap at byte `from` to the one at byte `to` (both at the start of
// an item): each word between, the one at `from` included, and each gap's empty positions.
// Counted a machine word of bytes at a time (a varint ends at its only byte below 0x80), so
// locating a word found by a byte search costs a fraction of decoding the words before it.
Xapian::termpos positions_between(std::string_view stream, std::size_t from, std::size_t to);

// Calls word(pos, id) for every word of a stream, in order, until it returns true (found). Returns
// whether it did; a malformed stream ends at the fault.
template <typename F>
bool scan(std::string_view bytes, F&& word) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    Xapian::termpos pos = 0;
    auto varint = [&](std::uint64_t& v) {
        v = 0;
        for (int shift = 0; p < end && shift < 64; shift += 7) {
            const unsigned char b = *p++;
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) return true;
        }
        return false;
    };
    std::uint64_t v = 0;
    while (p < end) {
        if (*p == 0) {
            ++p;
            if (!varint(v)) return false;
            pos += static_cast<Xapian::termpos>(v);
            continue;
        }
        if (!varint(v)) return false;
        if (word(++pos, static_cast<TermId>(v))) return true;
    }
    return false;
}

}  // namespace imr::token_stream
