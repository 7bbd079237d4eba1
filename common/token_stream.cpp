// Token streams: the varint encoder and the term id keys of the user metadata.
#include "token_stream.h"

#include "varint.h"

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

void Encoder::add(Xapian::termpos pos, TermId id) {
    if (pos > last_ + 1) {
        out_ += '\0';
        varint::put(out_, pos - last_ - 1);
    }
    varint::put(out_, id);
    last_ = pos;
}

}  // namespace imr::token_stream
