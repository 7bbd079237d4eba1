// The schema's helpers: field lookup, folded field terms within Xapian's limits, stable ids and hashes.
#include "schema.h"

#include "analyzer.h"
#include "varint.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace imr::schema {
namespace {

// Xapian (glass) refuses terms longer than this many bytes.
constexpr std::size_t kMaxTermBytes = 245;

// FNV-1a, 64 bits: tiny, byte-order independent, and identical on every platform and run.
std::uint64_t fnv1a64(std::string_view bytes) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string hex16(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 0xf];
    return out;
}

// The longest prefix of s of at most max bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

// Folding needs ICU's normalizer, which the Analyzer owns; one per thread keeps field_term thread-safe.
const Analyzer& folding_analyzer() {
    thread_local Analyzer analyzer;
    return analyzer;
}

}  // namespace

const Field* find_field(std::string_view name) {
    for (const Field& field : kFields)
        if (field.name == name || (!field.alias.empty() && field.alias == name)) return &field;
    return nullptr;
}

const Field* find_field(std::string_view name, unsigned uses) {
    const Field* field = find_field(name);
    return field && (field->uses & uses) == uses ? field : nullptr;
}

std::vector<const Field*> fields_with(unsigned uses) {
    std::vector<const Field*> out;
    for (const Field& field : kFields)
        if ((field.uses & uses) == uses) out.push_back(&field);
    return out;
}

std::vector<std::string_view> names_with(unsigned uses) {
    std::vector<std::string_view> out;
    for (const Field* field : fields_with(uses)) out.push_back(field->name);
    return out;
}

const std::vector<const Field*>& columns() {
    // Made once: a CSV export asks for every row.
    static const std::vector<const Field*> sorted = [] {
        std::vector<const Field*> out = fields_with(kColumn);
        std::stable_sort(out.begin(), out.end(), [](const Field* a, const Field* b) { return a->column < b->column; });
        return out;
    }();
    return sorted;
}

std::string field_term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    std::string folded = folding_analyzer().fold(value);
    term += utf8_prefix(folded, kMaxTermBytes > term.size() ? kMaxTermBytes - term.size() : 0);
    return term;
}

std::string letter_id_for_path(std::string_view path) { return hex16(fnv1a64(path)); }

std::string hash_hex(std::string_view bytes) { return hex16(fnv1a64(bytes)); }


std::string encode_section_spans(const std::vector<SectionSpan>& spans) {
    std::string out;
    Xapian::termpos previous = 0;
    for (const auto& span : spans) {
        out += span.code;
        varint::put(out, span.first - previous);
        varint::put(out, span.last - span.first);
        previous = span.last;
    }
    return out;
}

std::vector<SectionSpan> decode_section_spans(std::string_view bytes) {
    std::vector<SectionSpan> spans;
    Xapian::termpos previous = 0;
    while (!bytes.empty()) {
        SectionSpan span{bytes.front(), 0, 0};
        bytes.remove_prefix(1);
        std::uint64_t gap = 0, length = 0;
        if (!varint::get(bytes, gap) || !varint::get(bytes, length)) break;
        span.first = static_cast<Xapian::termpos>(previous + gap);
        span.last = static_cast<Xapian::termpos>(span.first + length);
        previous = span.last;
        spans.push_back(span);
    }
    return spans;
}

std::string encode_breaks(const std::vector<Break>& breaks) {
    std::string out;
    Xapian::termpos previous = 0;
    for (const auto& b : breaks) {
        varint::put(out, (static_cast<std::uint64_t>(b.pos - previous) << 1) | (b.paragraph ? 1 : 0));
        previous = b.pos;
    }
    return out;
}

namespace {
// The break at the front of `bytes`, whose position follows `previous`; false at the end or a fault.
bool read_break(std::string_view& bytes, Xapian::termpos& previous, Break& out) {
    std::uint64_t v = 0;
    if (bytes.empty() || !varint::get(bytes, v)) return false;
    previous = static_cast<Xapian::termpos>(previous + (v >> 1));
    out = {previous, (v & 1) != 0};
    return true;
}
}  // namespace

std::vector<Break> decode_breaks(std::string_view bytes) {
    std::vector<Break> breaks;
    Xapian::termpos previous = 0;
    for (Break b{}; read_break(bytes, previous, b);) breaks.push_back(b);
    return breaks;
}

void UnitStarts::advance() {
    for (Break b{}; read_break(bytes_, last_, b);) {
        if (b.paragraph || !paragraphs_) {
            next_ = b.pos;
            return;
        }
    }
    next_ = ~Xapian::termpos{0};
}

char section_code(std::string_view name) {
    for (const auto& sc : kSectionCodes)
        if (sc.name == name) return sc.code.front();
    return '\0';
}

std::string doc_id_term(std::string_view letter_id, int ordinal) {
    std::string term(kDocId);
    term += letter_id;
    term += '/';
    term += std::to_string(ordinal);
    return term;
}

std::string version_problem(const Xapian::Database& db) {
    if (db.get_doccount() == 0) return {};
    std::string found = db.get_metadata(std::string(kVersionKey));
    if (found == kVersion) return {};
    if (found.empty()) found = "1";
    return "it was written by an older imr-index (schema " + found + ", this one reads schema " + std::string(kVersion) +
           "); index the letters again into a new database";
}

std::string letter_doc_term(std::string_view letter_id) {
    std::string term(kDocId);
    term += letter_id;
    return term;
}

std::string dead_key(Xapian::docid first) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(first));
    return std::string(kDeadKeyPrefix) + hex;
}

std::vector<DocidRange> dead_ranges(const Xapian::Database& db) {
    std::vector<DocidRange> ranges;
    const std::string prefix(kDeadKeyPrefix);
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
        const std::string key = *k;
        const std::string value = db.get_metadata(key);
        char* end = nullptr;
        const unsigned long first = std::strtoul(key.c_str() + prefix.size(), &end, 16);
        if (key.size() != prefix.size() + 8 || *end != '\0' || first == 0) continue;
        const unsigned long last = std::strtoul(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || last < first || last > UINT32_MAX) continue;
        ranges.push_back({static_cast<Xapian::docid>(first), static_cast<Xapian::docid>(last)});
    }
    return ranges;  // keys are fixed-width hex, so in docid order
}

std::vector<char> dead_docids(const Xapian::Database& db) {
    const Xapian::docid last_docid = db.get_lastdocid();
    std::vector<char> dead(static_cast<std::size_t>(last_docid) + 1, 0);
    for (const DocidRange& r : dead_ranges(db))
        for (Xapian::docid d = r.first; d <= r.last && d <= last_docid; ++d) dead[d] = 1;
    return dead;
}

DocidRange live_range(const Xapian::Database& db, const std::string& term, const std::vector<char>& dead) {
    DocidRange range{0, 0};
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
        if (is_dead(dead, *it)) continue;
        if (range.first == 0) range.first = *it;
        range.last = *it;
    }
    return range;
}

LetterCodec stored_codec(const Xapian::Database& db) {
    return LetterCodec(db.get_metadata(std::string(kLetterDictionaryKey)));
}

std::string document_data(const Xapian::Document& doc, const LetterCodec& codec) {
    const std::string frame = doc.get_value(kSlotData);
    return frame.empty() ? std::string() : codec.decompress(frame);
}

}  // namespace imr::schema
