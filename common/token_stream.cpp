// Token streams: the varint encoder and the term id keys of the user metadata.
#include "token_stream.h"

#include "varint.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

namespace imr::token_stream {
std::string term_id_key(std::string_view term) {
    std::string key = "t:";
    key += term;
    return key;
}

std::optional<TermId> parse_term_id(std::string_view value) {
    TermId id = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
    if (ec != std::errc() || end != value.data() + value.size() || id == 0) return std::nullopt;
    return id;
}

std::optional<TermId> find_term_id(const Xapian::Database& db, std::string_view term) {
    const std::string value = db.get_metadata(term_id_key(term));
    if (value.empty()) return std::nullopt;
    return parse_term_id(value);
}

namespace {

// Whether the bytes at `at` are `run`'s. Runs are a few bytes (a word is one to three): a call
// of memcmp for each was a tenth of a broad phrase's time.
[[gnu::always_inline]] inline bool same_bytes(const char* at, std::string_view run) {
    for (std::size_t i = 0; i < run.size(); ++i)
        if (at[i] != run[i]) return false;
    return true;
}

// The offset of the next occurrence of `run` (an Encoder's bytes) at the start of a word, at
// `from` or after, looking for its byte at `anchor` first; npos when there is none. A word starts
// at a byte unless the byte before is inside a varint (0x80 and up) or is a gap marker, whose
// count this would be.
std::size_t find_run(std::string_view stream, std::string_view run, std::size_t anchor, std::size_t from) {
    if (run.empty() || anchor >= run.size() || run.size() > stream.size()) return std::string_view::npos;
    const char* data = stream.data();
    // The anchor byte of a match lies in [from + anchor, last_key].
    const std::size_t last_key = stream.size() - run.size() + anchor;
    for (std::size_t key_from = from + anchor; key_from <= last_key;) {
        const void* hit = std::memchr(data + key_from, run[anchor], last_key - key_from + 1);
        if (!hit) break;
        const auto key = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
        const std::size_t at = key - anchor;
        if (same_bytes(data + at, run)) {
            if (at == 0) return at;
            const auto before = static_cast<unsigned char>(data[at - 1]);
            if (before != 0 && before < 0x80) return at;
        }
        key_from = key + 1;
    }
    return std::string_view::npos;
}

// Steps `i` over the word or gap that starts there; returns the positions it takes: 1 for a
// word, the count of a gap (no more than `limit`). Inlined by force: called once a word in
// pre/n checks, a call each made `lumbar pre/3 spine` at 1M letters 55-62 -> 76-84 ms.
[[gnu::always_inline]] inline Xapian::termcount skip_item(std::string_view stream, std::size_t& i, Xapian::termcount limit) {
    const auto* data = reinterpret_cast<const unsigned char*>(stream.data());
    if (data[i] == 0) {
        std::string_view count = stream.substr(i + 1);
        std::uint64_t gap = 0;
        varint::get(count, gap);
        i = stream.size() - count.size();
        return static_cast<Xapian::termcount>(std::min<std::uint64_t>(gap, limit));
    }
    while (i < stream.size() && data[i] >= 0x80) ++i;
    ++i;
    return 1;
}

// The positions from the word at byte `from` to the word at byte `to` (after it), counted no
// further than `limit`: each word between, itself included, and each gap's empty positions.
Xapian::termcount distance(std::string_view stream, std::size_t from, std::size_t to, Xapian::termcount limit) {
    Xapian::termcount d = 0;
    for (std::size_t i = from; i < to && d < limit;) d += skip_item(stream, i, limit);
    return d;
}

}  // namespace

bool contains_run(std::string_view stream, std::string_view run, std::size_t anchor) {
    return find_run(stream, run, anchor, 0) != std::string_view::npos;
}

bool RunSearch::in(std::string_view stream) {
    if (!learnt_) {
        std::size_t first = std::string_view::npos;
        for (const Run& run : runs_) first = std::min(first, find_run(stream, run.bytes, run.anchor, 0));
        if (first == std::string_view::npos) return false;
        seen_.emplace_back(static_cast<double>(first) / static_cast<double>(stream.size()), stream.size());
        if (seen_.size() >= kLearnFrom) learn();
        return true;
    }
    const auto from = std::min(static_cast<std::size_t>(start_ * static_cast<double>(stream.size())), stream.size());
    for (const Run& run : runs_)
        if (find_run(stream, run.bytes, run.anchor, from) != std::string_view::npos) return true;
    if (from == 0) return false;
    // The runs that start before `from`, and only those: each ends within the first from + size - 1 bytes.
    for (const Run& run : runs_) {
        const std::string_view before = stream.substr(0, from + run.bytes.size() - 1);
        if (find_run(before, run.bytes, run.anchor, 0) != std::string_view::npos) return true;
    }
    return false;
}

void RunSearch::learn() {
    learnt_ = true;
    // Searching from share c reads (f - c) of a stream whose run starts at share f >= c, and
    // (1 - c) + f of one whose run starts before; a stream without a run is read whole either way.
    double best = 0;
    for (const auto& [f, length] : seen_) best += f * static_cast<double>(length);
    for (const auto& [c, ignored] : seen_) {
        double cost = 0;
        for (const auto& [f, length] : seen_) cost += (f >= c ? f - c : 1 - c + f) * static_cast<double>(length);
        if (cost < best) {
            best = cost;
            start_ = c;
        }
    }
    seen_ = {};
}

PairWindow::PairWindow(TermId a, TermId b, Xapian::termcount window, bool ordered)
    : PairWindow(std::vector<TermId>{a}, std::vector<TermId>{b}, window, ordered) {}

PairWindow::PairWindow(const std::vector<TermId>& a, const std::vector<TermId>& b, Xapian::termcount window, bool ordered)
    : window_(window), ordered_(ordered) {
    for (const TermId id : a) varint::put(a_.emplace_back(), id);
    for (const TermId id : b) varint::put(b_.emplace_back(), id);
}

void PairWindow::find_word(std::string_view stream, const std::string& word, bool is_b) {
    for (std::size_t at = find_run(stream, word, 0, 0); at != std::string_view::npos; at = find_run(stream, word, 0, at + 1))
        found_.push_back({static_cast<std::uint32_t>(at), is_b});
}

bool PairWindow::b_follows(std::string_view stream, std::size_t after_a) const {
    // `next`: how far the word or gap at byte i lies from a; b's bytes never start a gap.
    std::size_t i = after_a;
    for (Xapian::termcount next = 1; next < window_ && i < stream.size();) {
        for (const auto& b : b_)
            if (stream.compare(i, b.size(), b) == 0) return true;
        next += skip_item(stream, i, window_);
    }
    return false;
}

bool PairWindow::in(std::string_view stream) {
    if (ordered_) {
        // Only the words after each a, up to the window, can be its b: no search for b at all,
        // and the first a with one ends the check.
        for (const auto& a : a_)
            for (std::size_t at = find_run(stream, a, 0, 0); at != std::string_view::npos; at = find_run(stream, a, 0, at + 1))
                if (b_follows(stream, at + a.size())) return true;
        return false;
    }
    found_.clear();
    for (const auto& a : a_) find_word(stream, a, false);
    if (found_.empty()) return false;
    const std::size_t a_count = found_.size();
    for (const auto& b : b_) find_word(stream, b, true);
    if (found_.size() == a_count) return false;
    const auto by_offset = [](const Found& x, const Found& y) { return x.offset < y.offset; };
    if (a_.size() > 1) std::sort(found_.begin(), found_.begin() + static_cast<std::ptrdiff_t>(a_count), by_offset);
    if (b_.size() > 1) std::sort(found_.begin() + static_cast<std::ptrdiff_t>(a_count), found_.end(), by_offset);
    std::inplace_merge(found_.begin(), found_.begin() + static_cast<std::ptrdiff_t>(a_count), found_.end(), by_offset);
    // The nearest earlier word of the other kind is the closest pair's partner, and only the
    // positions between the two are counted, no further than the window.
    std::optional<std::uint32_t> last_a, last_b;
    for (const Found& f : found_) {
        const std::optional<std::uint32_t>& partner = f.is_b ? last_a : last_b;
        if (partner && distance(stream, *partner, f.offset, window_) < window_) return true;
        (f.is_b ? last_b : last_a) = f.offset;
    }
    return false;
}

WordCursor::WordCursor(const std::vector<TermId>& words) : ahead_(words.size(), kEnd) {
    for (const TermId id : words) varint::put(words_.emplace_back(), id);
}

void WordCursor::start(std::string_view stream) {
    stream_ = stream;
    for (std::size_t k = 0; k < words_.size(); ++k) ahead_[k] = find_run(stream, words_[k], 0, 0);
}

std::size_t WordCursor::next() {
    std::size_t k = 0;
    for (std::size_t j = 1; j < ahead_.size(); ++j)
        if (ahead_[j] < ahead_[k]) k = j;
    if (ahead_.empty() || ahead_[k] == kEnd) return kEnd;
    const std::size_t at = ahead_[k];
    ahead_[k] = find_run(stream_, words_[k], 0, at + 1);
    return at;
}

Xapian::termpos positions_between(std::string_view stream, std::size_t from, std::size_t to) {
    const auto* data = reinterpret_cast<const unsigned char*>(stream.data());
    to = std::min(to, stream.size());
    Xapian::termpos count = 0;
    // Bytes below 0x80 in [i, end): one per varint, so one per word where there is no gap.
    auto ends_of_varints = [&](std::size_t i, std::size_t end) {
        Xapian::termpos n = 0;
        for (; i + 8 <= end; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, data + i, 8);
            // Each byte's top bit, clear or set, moved to its lowest bit and summed by one
            // multiplication: std::popcount is a library call where the build targets no
            // processor with the instruction, and was a tenth of `patient /s pain`.
            const std::uint64_t ends = (~w & 0x8080808080808080ULL) >> 7;
            n += static_cast<Xapian::termpos>((ends * 0x0101010101010101ULL) >> 56);
        }
        for (; i < end; ++i) n += data[i] < 0x80;
        return n;
    };
    for (std::size_t i = from; i < to;) {
        // Only a gap marker is the byte 0 (see Encoder): the bytes up to it are whole words.
        const void* zero = std::memchr(data + i, 0, to - i);
        const std::size_t stop = zero ? static_cast<std::size_t>(static_cast<const unsigned char*>(zero) - data) : to;
        count += ends_of_varints(i, stop);
        if (!zero) break;
        std::string_view rest = stream.substr(stop + 1);
        std::uint64_t gap = 0;
        varint::get(rest, gap);
        count += static_cast<Xapian::termpos>(gap);
        i = stream.size() - rest.size();
    }
    return count;
}

void Encoder::add(Xapian::termpos pos, TermId id) {
    if (pos > last_ + 1) {
        out_ += '\0';
        varint::put(out_, pos - last_ - 1);
    }
    varint::put(out_, id);
    last_ = pos;
}

}  // namespace imr::token_stream
