// Token streams: the varint encoder and the term id keys of the user metadata.
#include "token_stream.h"

#include "varint.h"

#include <algorithm>
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

bool contains_run(std::string_view stream, std::string_view run, std::size_t anchor) {
    if (run.empty() || anchor >= run.size() || run.size() > stream.size()) return false;
    const char* data = stream.data();
    // The anchor byte of a match lies in [anchor, last_key].
    const std::size_t last_key = stream.size() - run.size() + anchor;
    for (std::size_t from = anchor; from <= last_key;) {
        const void* hit = std::memchr(data + from, run[anchor], last_key - from + 1);
        if (!hit) return false;
        const auto key = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
        const std::size_t at = key - anchor;
        // A word starts at `at` unless the byte before is inside a varint (0x80 and up) or is a
        // gap marker, whose count this would be.
        if (std::memcmp(data + at, run.data(), run.size()) == 0) {
            if (at == 0) return true;
            const auto before = static_cast<unsigned char>(data[at - 1]);
            if (before != 0 && before < 0x80) return true;
        }
        from = key + 1;
    }
    return false;
}

PairWindow::PairWindow(TermId a, TermId b, Xapian::termcount window, bool ordered) : window_(window), ordered_(ordered) {
    varint::put(a_, a);
    varint::put(b_, b);
}

void PairWindow::find_word(std::string_view stream, const std::string& word, bool is_b) {
    const char* data = stream.data();
    if (word.size() > stream.size()) return;
    const std::size_t last = stream.size() - word.size();
    for (std::size_t from = 0; from <= last;) {
        const void* hit = std::memchr(data + from, word[0], last - from + 1);
        if (!hit) return;
        const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
        // A word starts here unless the byte before is inside a varint or is a gap marker.
        if (std::memcmp(data + at, word.data(), word.size()) == 0 &&
            (at == 0 || (static_cast<unsigned char>(data[at - 1]) != 0 && static_cast<unsigned char>(data[at - 1]) < 0x80)))
            found_.push_back({static_cast<std::uint32_t>(at), is_b});
        from = at + 1;
    }
}

namespace {

// The positions from the word at byte `from` to the word at byte `to` (after it), counted no
// further than `limit`: each word between, itself included, and each gap's empty positions.
Xapian::termcount distance(const unsigned char* data, std::size_t from, std::size_t to, Xapian::termcount limit) {
    Xapian::termcount d = 0;
    for (std::size_t i = from; i < to && d < limit;) {
        if (data[i] == 0) {
            std::uint64_t gap = 0;
            ++i;
            for (int shift = 0; i < to && shift < 64; shift += 7) {
                const unsigned char byte = data[i++];
                gap |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
                if (!(byte & 0x80)) break;
            }
            d += static_cast<Xapian::termcount>(std::min<std::uint64_t>(gap, limit));
            continue;
        }
        while (i < to && data[i] >= 0x80) ++i;
        ++i;
        ++d;
    }
    return d;
}

}  // namespace

bool PairWindow::b_follows(std::string_view stream, std::size_t after_a) const {
    const auto* data = reinterpret_cast<const unsigned char*>(stream.data());
    std::size_t i = after_a;
    // `next`: how far the word at byte i lies from a.
    for (Xapian::termcount next = 1; next < window_ && i < stream.size();) {
        if (data[i] == 0) {
            std::uint64_t gap = 0;
            ++i;
            for (int shift = 0; i < stream.size() && shift < 64; shift += 7) {
                const unsigned char byte = data[i++];
                gap |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
                if (!(byte & 0x80)) break;
            }
            next += static_cast<Xapian::termcount>(std::min<std::uint64_t>(gap, window_));
            continue;
        }
        if (stream.compare(i, b_.size(), b_) == 0) return true;
        while (i < stream.size() && data[i] >= 0x80) ++i;
        ++i;
        ++next;
    }
    return false;
}

bool PairWindow::in(std::string_view stream) {
    if (ordered_) {
        // Only the words after each a, up to the window, can be its b: no search for b at all,
        // and the first a with one ends the check.
        const char* data = stream.data();
        if (a_.size() > stream.size()) return false;
        const std::size_t last = stream.size() - a_.size();
        for (std::size_t from = 0; from <= last;) {
            const void* hit = std::memchr(data + from, a_[0], last - from + 1);
            if (!hit) return false;
            const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
            if (std::memcmp(data + at, a_.data(), a_.size()) == 0 &&
                (at == 0 || (static_cast<unsigned char>(data[at - 1]) != 0 && static_cast<unsigned char>(data[at - 1]) < 0x80)) &&
                b_follows(stream, at + a_.size()))
                return true;
            from = at + 1;
        }
        return false;
    }
    found_.clear();
    find_word(stream, a_, false);
    if (found_.empty()) return false;
    const std::size_t a_count = found_.size();
    find_word(stream, b_, true);
    if (found_.size() == a_count) return false;
    std::inplace_merge(found_.begin(), found_.begin() + static_cast<std::ptrdiff_t>(a_count), found_.end(),
                       [](const Found& x, const Found& y) { return x.offset < y.offset; });
    // The nearest earlier word of the other kind is the closest pair's partner, and only the
    // positions between the two are counted, no further than the window.
    const auto* data = reinterpret_cast<const unsigned char*>(stream.data());
    std::optional<std::uint32_t> last_a, last_b;
    for (const Found& f : found_) {
        const std::optional<std::uint32_t>& partner = f.is_b ? last_a : last_b;
        if (partner && (f.is_b || !ordered_) && distance(data, *partner, f.offset, window_) < window_) return true;
        (f.is_b ? last_b : last_a) = f.offset;
    }
    return false;
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
