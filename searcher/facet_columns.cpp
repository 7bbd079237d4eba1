// Builds the in-memory facet, letter and date columns of one database revision from postlists and value streams.
#include "facet_columns.h"

#include "ranker.h"

#include "analyzer.h"
#include "schema.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <future>
#include <iterator>
#include <map>

namespace imr {
namespace {

// Terms hold folded values; a field shown as written (schema::Shown) shows the spelling of the
// document data instead ("MTUS: Muscle relaxants (for pain)", "Pain Management"). The first
// document holding the value tells which spelling it is.
std::string display_value(const Xapian::Database& db, const LetterCodec& codec, const schema::Field& field,
                          const std::string& term, std::size_t prefix_size, Xapian::docid first_doc) {
    std::string value = term.substr(prefix_size);
    if (field.shown == schema::Shown::Capitalized) {
        if (!value.empty()) value[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(value[0])));
        return value;
    }
    if (field.shown != schema::Shown::AsWritten || field.data.empty() || first_doc == 0) return value;
    const std::string key(field.data);
    const auto data = nlohmann::json::parse(schema::document_data(db.get_document(first_doc), codec), nullptr, false);
    if (!data.is_object() || !data.contains(key)) return value;
    const std::string_view prefix(term.data(), prefix_size);
    const nlohmann::json& stored = data[key];
    for (const auto& shown : stored.is_array() ? stored : nlohmann::json::array({stored}))
        if (shown.is_string() && schema::field_term(prefix, shown.get<std::string>()) == term) return shown.get<std::string>();
    return value;
}

std::uint32_t date_number(const std::string& serialised) {
    if (serialised.empty()) return 0;
    const double v = Xapian::sortable_unserialise(serialised);
    return v > 0 && v < 1e8 ? static_cast<std::uint32_t>(v) : 0;
}

void read_dates(const Xapian::Database& db, Xapian::valueno slot, std::vector<std::uint32_t>& column) {
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) column[it.get_docid()] = date_number(*it);
}

// Dead documents (schema.h) hold no value. A field with facet_also (schema.h) also takes the
// terms of that prefix as its values of the same name, a document holding both counted once;
// `primary`, when given, gets each document's value of the field's own prefix.
FacetColumn read_facet(const Xapian::Database& db, const LetterCodec& codec, const schema::Field& facet,
                       Xapian::docid last_docid, const std::vector<char>& dead, std::vector<std::uint32_t>* primary) {
    FacetColumn column;
    column.field = &facet;
    column.name = facet.name;
    column.prefix = facet.prefix;
    // Value term -> its live documents, ascending, in term order.
    std::map<std::string, std::vector<Xapian::docid>> postings;
    std::vector<std::pair<std::string, std::string>> aliases;  // the other prefix's term, the value term it counts toward
    auto read_prefix = [&](const std::string& prefix) {
        for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
            const std::string term = *t;
            std::vector<Xapian::docid> docs;
            docs.reserve(t.get_termfreq());
            for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
                if (*p <= last_docid && !dead[*p]) docs.push_back(*p);
            if (docs.empty()) continue;
            const std::string value_term = column.prefix + term.substr(prefix.size());
            if (prefix != column.prefix) aliases.emplace_back(term, value_term);
            auto& held = postings[value_term];
            if (held.empty()) {
                held = std::move(docs);
            } else {
                std::vector<Xapian::docid> both;
                both.reserve(held.size() + docs.size());
                std::set_union(held.begin(), held.end(), docs.begin(), docs.end(), std::back_inserter(both));
                held = std::move(both);
            }
        }
    };
    read_prefix(column.prefix);
    // The own prefix's documents per value, before the other prefix joins them, for `primary`.
    std::map<std::string, std::vector<Xapian::docid>> own;
    if (primary && !facet.facet_also.empty()) own = postings;
    if (!facet.facet_also.empty()) read_prefix(std::string(facet.facet_also));
    std::vector<std::uint32_t> per_doc(static_cast<std::size_t>(last_docid) + 1, 0);
    for (auto& [term, docs] : postings) {
        const auto id = static_cast<std::uint32_t>(column.terms.size());
        column.id_of_term.emplace(term, id);
        column.display.push_back(display_value(db, codec, facet, term, column.prefix.size(), docs.front()));
        column.doc_count.push_back(static_cast<std::uint32_t>(docs.size()));
        column.terms.push_back(term);
        for (Xapian::docid d : docs) ++per_doc[d];
    }
    if (primary) {
        primary->assign(static_cast<std::size_t>(last_docid) + 1, FacetColumn::kNone);
        for (const auto& [term, docs] : facet.facet_also.empty() ? postings : own)
            for (Xapian::docid d : docs) (*primary)[d] = column.id_of_term.at(term);
    }
    for (const auto& [alias, value_term] : aliases) column.id_of_term.emplace(alias, column.id_of_term.at(value_term));
    column.offsets.assign(static_cast<std::size_t>(last_docid) + 2, 0);
    for (Xapian::docid d = 0; d <= last_docid; ++d) column.offsets[d + 1] = column.offsets[d] + per_doc[d];
    column.ids.resize(column.offsets.back());
    std::vector<std::uint32_t> fill(column.offsets.begin(), column.offsets.end() - 1);
    std::uint32_t id = 0;
    for (const auto& [term, docs] : postings) {
        for (Xapian::docid d : docs) column.ids[fill[d]++] = id;
        ++id;
    }
    const bool single_valued = std::all_of(per_doc.begin(), per_doc.end(), [](std::uint32_t n) { return n <= 1; });
    if (single_valued && column.terms.size() < UINT16_MAX) {
        column.narrow.assign(static_cast<std::size_t>(last_docid) + 1, 0);
        for (Xapian::docid d = 0; d <= last_docid; ++d)
            if (column.offsets[d + 1] > column.offsets[d]) column.narrow[d] = static_cast<std::uint16_t>(column.ids[column.offsets[d]] + 1);
    }
    return column;
}

// A brand's values: the drug (own prefix) values of the documents naming the brand.
void map_brands(const Xapian::Database& db, const std::vector<std::uint32_t>& primary, std::string_view prefix,
                std::unordered_map<std::string, std::vector<std::uint32_t>>& out) {
    const std::string p(prefix);
    for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
        auto& ids = out[(*t).substr(p.size())];
        for (auto d = db.postlist_begin(*t); d != db.postlist_end(*t); ++d) {
            const std::uint32_t id = *d < primary.size() ? primary[*d] : FacetColumn::kNone;
            if (id != FacetColumn::kNone && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        }
    }
}

}  // namespace

const FacetColumn* FacetColumns::facet(std::string_view name) const {
    for (const auto& f : facets)
        if (f.name == name) return &f;
    return nullptr;
}

Xapian::docid FacetColumns::find_document(const std::string& letter_id, std::optional<int> ordinal) const {
    const auto it = letter_index.find(letter_id);
    if (it == letter_index.end()) return 0;
    const std::uint32_t letter = it->second;
    if (!ordinal) return letter_doc[letter];
    // A letter's determinations are written in ordinal order, so their docids ascend with it.
    const std::uint32_t count = determination_offsets[letter + 1] - determination_offsets[letter];
    if (*ordinal < 0 || static_cast<std::uint32_t>(*ordinal) >= count) return 0;
    return determination_docs[determination_offsets[letter] + static_cast<std::uint32_t>(*ordinal)];
}

FacetColumns build_facet_columns(const Xapian::Database& db, const Xapian::Database* second) {
    // The stem index reads the whole vocabulary (1M letters: 1.2 s of a 3.4 s start); with a
    // second handle at this revision it is built on a thread of its own meanwhile.
    std::future<StemIndex> stems;
    if (second && second->get_revision() == db.get_revision())
        stems = std::async(std::launch::async, [second] { return StemIndex::build(*second, Analyzer()); });
    FacetColumns c;
    c.revision = db.get_revision();
    c.last_docid = db.get_lastdocid();
    c.codec = schema::stored_codec(db);
    const std::size_t size = static_cast<std::size_t>(c.last_docid) + 1;
    std::vector<char> dead = schema::dead_docids(db);
    dead.resize(size, 0);

    // Determination documents are the ones with an ordinal; the others with a letter id are
    // letter documents.
    std::vector<char> is_determination(size, 0);
    for (auto it = db.valuestream_begin(schema::kSlotOrdinal); it != db.valuestream_end(schema::kSlotOrdinal); ++it)
        is_determination[it.get_docid()] = 1;
    c.letter_of.assign(size, FacetColumns::kNoLetter);
    c.letter_doc_bits.assign((size + 63) / 64, 0);
    c.live_bits.assign((size + 63) / 64, 0);
    c.letter_of_letter_doc.assign(size, FacetColumns::kNoLetter);
    std::vector<std::uint32_t> determinations_per_letter;
    // A letter's documents are written one after another, so the id of the document before is
    // nearly always the one to look up; a hash lookup per document was most of this pass (1M
    // letters, 2.6M documents: 690 ms).
    c.letter_index.reserve(db.get_doccount() / 2);
    std::string previous_id;
    std::uint32_t previous_letter = FacetColumns::kNoLetter;
    for (auto it = db.valuestream_begin(schema::kSlotLetterId); it != db.valuestream_end(schema::kSlotLetterId); ++it) {
        const Xapian::docid did = it.get_docid();
        if (did > c.last_docid || dead[did]) continue;  // a replaced or removed letter's
        const std::string id = *it;
        if (previous_letter == FacetColumns::kNoLetter || id != previous_id) {
            auto [pos, added] = c.letter_index.try_emplace(id, static_cast<std::uint32_t>(c.letter_ids.size()));
            if (added) {
                c.letter_ids.push_back(id);
                c.letter_doc.push_back(0);
                determinations_per_letter.push_back(0);
            }
            previous_letter = pos->second;
            previous_id = id;
        }
        if (is_determination[did]) {
            c.letter_of[did] = previous_letter;
            c.live_bits[did >> 6] |= std::uint64_t{1} << (did & 63);
            ++determinations_per_letter[previous_letter];
            ++c.documents;
        } else {
            c.letter_doc[previous_letter] = did;
            c.letter_of_letter_doc[did] = previous_letter;
            c.letter_doc_bits[did >> 6] |= std::uint64_t{1} << (did & 63);
        }
    }
    c.determination_offsets.assign(c.letter_ids.size() + 1, 0);
    for (std::size_t i = 0; i < c.letter_ids.size(); ++i)
        c.determination_offsets[i + 1] = c.determination_offsets[i] + determinations_per_letter[i];
    c.determination_docs.resize(c.determination_offsets.back());
    std::vector<std::uint32_t> fill(c.determination_offsets.begin(), c.determination_offsets.end() - 1);
    for (Xapian::docid d = 1; d <= c.last_docid; ++d)
        if (c.letter_of[d] != FacetColumns::kNoLetter) c.determination_docs[fill[c.letter_of[d]]++] = d;

    std::vector<std::uint32_t> doc_length(size, 0);
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p)
        if (*p <= c.last_docid) doc_length[*p] = p.get_doclength();
    c.length_part = bm25_length_parts(doc_length, db.get_avlength());

    c.decision_date.assign(size, 0);
    c.injury_date.assign(size, 0);
    read_dates(db, schema::kSlotDecisionDate, c.decision_date);
    read_dates(db, schema::kSlotInjuryDate, c.injury_date);

    std::vector<std::uint32_t> drug_values;  // docid -> its drug's value id, for the brands
    for (const schema::Field* facet : schema::fields_with(schema::kFacet))
        c.facets.push_back(read_facet(db, c.codec, *facet, c.last_docid, dead, facet->prefix == schema::kDrug ? &drug_values : nullptr));
    c.stems = stems.valid() ? stems.get() : StemIndex::build(db, Analyzer());
    if (!drug_values.empty()) map_brands(db, drug_values, schema::kBrand, c.drug_ids_by_brand);
    return c;
}

}  // namespace imr
