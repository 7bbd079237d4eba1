// Builds the Xapian documents of a letter: positional text by section, compound parts, field terms, values, data.
#include "document_builder.h"

#include "input_names.h"
#include "reading_order.h"

#include "json_text.h"
#include "letter_json.h"
#include "schema.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace imr {
namespace {

namespace schema = imr::schema;

// Per-thread scratch of add_text, indexed by term id. An array by id replaces the string hash
// map a document's words were counted in (one lookup per token, then one more per word for its
// id); it is sized by the vocabulary, far too big to make per document, so a thread keeps one.
struct IdScratch {
    std::vector<Xapian::termcount> wdf;  // by id; all zero between two documents
    std::vector<std::uint32_t> listed;   // by id: the serial of the last letter that listed it for spelling
    std::uint32_t letter_serial = 0;

    void fit(TermIds::TermId id) {
        if (id < wdf.size()) return;
        const std::size_t size = std::max<std::size_t>(std::size_t{id} + 1, 2 * wdf.size());
        wdf.resize(size, 0);
        listed.resize(size, 0);
    }
};

IdScratch& id_scratch() {
    thread_local IdScratch scratch;
    return scratch;
}

// A document's distinct terms, in the order they first occur; on the way out their counts go
// back to zero, whatever happens in between.
struct DistinctTerms {
    explicit DistinctTerms(IdScratch& s) : scratch(s) {}
    ~DistinctTerms() {
        for (const auto& known : terms) scratch.wdf[known.id] = 0;
    }
    DistinctTerms(const DistinctTerms&) = delete;
    DistinctTerms& operator=(const DistinctTerms&) = delete;

    void count(const TermIds::Cache::Known& known) {
        scratch.fit(known.id);
        if (scratch.wdf[known.id]++ == 0) terms.push_back(known);
    }

    IdScratch& scratch;
    std::vector<TermIds::Cache::Known> terms;
};

// "MTUS: Muscle relaxants (for pain)"; a citation of a whole document or chapter shows that
// ("MTUS: Shoulder Complaints", "ODG: Low Back"), one of another source its own words.
std::string citation_display(const Citation& c) {
    const std::string& what = !c.topic.empty() ? c.topic : !c.chapter.empty() ? c.chapter : c.document;
    return c.source + ": " + what;
}

// The document a citation is from, as the guideline document facet shows it: "MTUS Chronic Pain
// Medical Treatment", "ODG Low Back" (a chapter of the ODG), "ACOEM", "CCR"; "other" for the rest.
std::string citation_document(const Citation& c) {
    if (c.source == "other") return "other";
    if (c.source == "MTUS" && !c.document.empty()) return "MTUS " + c.document;
    if (c.source == "ODG" && !c.chapter.empty()) return "ODG " + c.chapter;
    return c.source;
}

nlohmann::json optional_date(const std::optional<Date>& date) {
    return date ? nlohmann::json(date->iso()) : nlohmann::json(nullptr);
}

void add_unique_boolean(Xapian::Document& doc, std::string_view prefix, std::string_view value) {
    if (!value.empty()) doc.add_boolean_term(schema::field_term(prefix, value));
}

}  // namespace

bool is_spelling_word(std::string_view term) {
    if (term.size() < 2 || term.size() > 32) return false;
    return std::all_of(term.begin(), term.end(), [](char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; });
}

std::string flag_key(const std::string& flag) {
    auto colon = flag.find(':');
    std::string key = flag.substr(0, colon);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    return key;
}

namespace {

// ---- Extraction: how each field of the registry (schema::kFields) is read from a letter ------------

// A letter and one of its determinations, as the extractions read them.
struct Facts {
    const Letter& letter;
    const Determination& d;
    const std::vector<std::string>& guidelines;  // guideline_displays(d)
};

// A field's value as the document data holds it (schema::Type): text, a list of text, an ISO date
// or a number; null when absent.
using Extract = nlohmann::json (*)(const Facts&);
struct Extraction {
    std::string_view field;  // schema::Field::name
    Extract extract;
};

std::vector<std::string> citation_documents(const Determination& d) {
    std::vector<std::string> documents;
    for (const auto& c : d.citations) {
        std::string document = citation_document(c);
        if (std::find(documents.begin(), documents.end(), document) == documents.end()) documents.push_back(std::move(document));
    }
    return documents;
}

std::vector<std::string> citation_sources(const Determination& d) {
    std::vector<std::string> sources;
    for (const auto& c : d.citations)
        if (std::find(sources.begin(), sources.end(), c.source) == sources.end()) sources.push_back(c.source);
    return sources;
}

// One per field of schema::kFields, in its order; a field without one stops the indexer at its first letter.
constexpr Extraction kExtractions[] = {
    {"decision", [](const Facts& f) -> nlohmann::json { return to_string(f.d.outcome); }},
    {"drug", [](const Facts& f) -> nlohmann::json { return f.d.drug ? f.d.drug->generic : std::string(); }},
    {"class", [](const Facts& f) -> nlohmann::json { return f.d.drug ? f.d.drug->drug_class : std::string(); }},
    {"category", [](const Facts& f) -> nlohmann::json { return f.d.category; }},
    {"guideline", [](const Facts& f) -> nlohmann::json { return f.guidelines; }},
    {"specialty", [](const Facts& f) -> nlohmann::json { return f.letter.specialties; }},
    {"state", [](const Facts& f) -> nlohmann::json { return f.letter.states; }},
    {"year", [](const Facts& f) -> nlohmann::json {
         return f.letter.decision_date ? std::to_string(f.letter.decision_date->year) : std::string();
     }},
    {"case", [](const Facts& f) -> nlohmann::json { return f.letter.case_number; }},
    {"item", [](const Facts& f) -> nlohmann::json { return f.d.item; }},
    {"age", [](const Facts& f) -> nlohmann::json { return f.letter.age ? nlohmann::json(*f.letter.age) : nlohmann::json(nullptr); }},
    {"sex", [](const Facts& f) -> nlohmann::json { return f.letter.sex; }},
    {"injured", [](const Facts& f) { return optional_date(f.letter.injury_date); }},
    {"denied", [](const Facts& f) { return optional_date(f.letter.ur_denial_date); }},
    {"decided", [](const Facts& f) { return optional_date(f.letter.decision_date); }},
    {"assigned", [](const Facts& f) { return optional_date(f.letter.assigned_date); }},
    {"brand", [](const Facts& f) -> nlohmann::json { return f.d.drug ? f.d.drug->brand : std::string(); }},
    {"ingredient", [](const Facts& f) -> nlohmann::json {
         return f.d.drug ? f.d.drug->ingredients : std::vector<std::string>();
     }},
    {"basis", [](const Facts& f) -> nlohmann::json { return to_string(f.d.basis); }},
    {"document", [](const Facts& f) -> nlohmann::json { return citation_documents(f.d); }},
    {"cabasis", [](const Facts& f) -> nlohmann::json { return to_string(f.d.claims_basis); }},
    {"original", [](const Facts& f) -> nlohmann::json { return f.d.original_request; }},
    {"authorized", [](const Facts& f) -> nlohmann::json { return f.d.authorized; }},
    {"priority", [](const Facts& f) -> nlohmann::json { return f.letter.priority; }},
    {"received", [](const Facts& f) { return optional_date(f.letter.application_received); }},
    {"source", [](const Facts& f) -> nlohmann::json { return citation_sources(f.d); }},
};

const Extraction* extraction_of(std::string_view field) {
    for (const auto& e : kExtractions)
        if (e.field == field) return &e;
    return nullptr;
}

// The extraction of every registry field, by its index in schema::kFields.
const std::vector<Extract>& extractions() {
    static const std::vector<Extract> table = [] {
        std::vector<Extract> out;
        for (const auto& field : schema::kFields) {
            const Extraction* e = extraction_of(field.name);
            if (!e) throw std::logic_error("no extraction for the field \"" + std::string(field.name) + "\" (kExtractions)");
            out.push_back(e->extract);
        }
        return out;
    }();
    return table;
}

// Every field's value, read once: `letter` holds the letter fields' (read with no determination:
// a letter field's extraction reads the letter alone), a determination's the rest.
std::vector<nlohmann::json> field_values(const Facts& facts, schema::Level level) {
    std::vector<nlohmann::json> values(std::size(schema::kFields));
    for (std::size_t i = 0; i < std::size(schema::kFields); ++i)
        if (schema::kFields[i].level == level) values[i] = extractions()[i](facts);
    return values;
}

// An ISO date's YYYYMMDD, as Date::as_number gives it.
double iso_number(const std::string& iso) {
    double n = 0;
    for (char c : iso)
        if (c >= '0' && c <= '9') n = n * 10 + (c - '0');
    return n;
}

// A determination document's field terms and values, from the registry.
void add_field_terms_and_values(Xapian::Document& doc, const std::vector<nlohmann::json>& letter_values,
                                const std::vector<nlohmann::json>& values) {
    for (std::size_t i = 0; i < std::size(schema::kFields); ++i) {
        const schema::Field& field = schema::kFields[i];
        if (field.prefix.empty() && field.slot == schema::kNoSlot) continue;
        const nlohmann::json& value = field.level == schema::Level::Letter ? letter_values[i] : values[i];
        if (!field.prefix.empty()) {
            if (value.is_string()) add_unique_boolean(doc, field.prefix, value.get_ref<const std::string&>());
            if (value.is_array())
                for (const auto& v : value) add_unique_boolean(doc, field.prefix, v.get_ref<const std::string&>());
        }
        if (field.slot != schema::kNoSlot && !value.is_null()) {
            const double number =
                field.type == schema::Type::Date ? iso_number(value.get_ref<const std::string&>()) : value.get<double>();
            doc.add_value(field.slot, Xapian::sortable_serialise(number));
        }
    }
}

// ---- Document data: the JSON a hit shows without opening the stored letter --------------------------
// Written as text in the order nlohmann::json's std::map wrote the same object (its keys sorted),
// which the searcher reads back; building the tree first was most of the cost.

enum class DataEntry : std::uint8_t { LetterId, File, Layout, Determinations, Id, Citations, Ordinal, Field };
struct DataKey {
    std::string_view key;
    DataEntry entry;
    std::size_t field = 0;  // index in schema::kFields, for DataEntry::Field
};

// The keys of a letter document's data, or a determination document's, sorted.
const std::vector<DataKey>& data_keys(bool determination) {
    auto make = [](bool det) {
        std::vector<DataKey> keys = {{"letter_id", DataEntry::LetterId},
                                     {"file", DataEntry::File},
                                     {"layout", DataEntry::Layout},
                                     {"determinations", DataEntry::Determinations},
                                     {"id", DataEntry::Id}};
        if (det) {
            keys.push_back({"citations", DataEntry::Citations});
            keys.push_back({"ordinal", DataEntry::Ordinal});
        }
        for (std::size_t i = 0; i < std::size(schema::kFields); ++i) {
            const schema::Field& field = schema::kFields[i];
            if (!field.data.empty() && (det || field.level == schema::Level::Letter))
                keys.push_back({field.data, DataEntry::Field, i});
        }
        std::sort(keys.begin(), keys.end(), [](const DataKey& a, const DataKey& b) { return a.key < b.key; });
        for (std::size_t k = 1; k < keys.size(); ++k)
            if (keys[k].key == keys[k - 1].key)
                throw std::logic_error("two values under the document data key \"" + std::string(keys[k].key) + "\"");
        return keys;
    };
    static const std::vector<DataKey> letter = make(false);
    static const std::vector<DataKey> det = make(true);
    return determination ? det : letter;
}

// What every document of one letter shares in its data.
struct LetterData {
    const Letter& letter;
    const std::string& letter_id;
    std::string file;  // stored_file_name: valid UTF-8, as the JSON needs
    std::size_t count;
    std::vector<nlohmann::json> values;  // field_values(Level::Letter)
};

LetterData letter_data(const Letter& letter, const std::string& letter_id, const std::string& file, std::size_t count) {
    const Determination none;
    return {letter, letter_id, stored_file_name(file), count, field_values(Facts{letter, none, {}}, schema::Level::Letter)};
}

// The data of the letter document (`d` null) or of determination `ordinal`.
std::string document_data_text(const LetterData& l, const Determination* d, const std::vector<nlohmann::json>* values,
                               std::size_t ordinal) {
    std::string out;
    out.reserve(1024);
    out += '{';
    bool first = true;
    for (const DataKey& k : data_keys(d != nullptr)) {
        if (!first) out += ',';
        first = false;
        json_text::append_key(out, k.key);
        switch (k.entry) {
            case DataEntry::LetterId: json_text::append_string(out, l.letter_id); break;
            case DataEntry::File: json_text::append_string(out, l.file); break;
            case DataEntry::Layout: json_text::append_string(out, to_string(l.letter.layout)); break;
            case DataEntry::Determinations: json_text::append_number(out, std::uint64_t{l.count}); break;
            case DataEntry::Id:
                json_text::append_string(out, d ? l.letter_id + "/" + std::to_string(ordinal) : l.letter_id);
                break;
            case DataEntry::Citations: append_json_text(out, d->citations); break;
            case DataEntry::Ordinal: json_text::append_number(out, std::uint64_t{ordinal}); break;
            case DataEntry::Field: {
                const bool letter_field = schema::kFields[k.field].level == schema::Level::Letter;
                json_text::append(out, letter_field ? l.values[k.field] : (*values)[k.field]);
                break;
            }
        }
    }
    out += '}';
    return out;
}

// A determination's guideline display values, de-duplicated, in citation order.
std::vector<std::string> guideline_displays(const Determination& d) {
    std::vector<std::string> guidelines;
    for (const auto& c : d.citations) {
        std::string display = citation_display(c);
        if (std::find(guidelines.begin(), guidelines.end(), display) == guidelines.end()) guidelines.push_back(std::move(display));
    }
    return guidelines;
}

void add_identity(Xapian::Document& doc, const std::string& id_term, const std::string& letter_id) {
    doc.add_boolean_term(id_term);
    doc.add_boolean_term(std::string(schema::kLetterId) + letter_id);
    doc.add_value(schema::kSlotLetterId, letter_id);
}

// Adds runs one after another, kSectionGap positions apart, with their parts, and records their
// section spans and their token stream: words have no Xapian positions (token_stream.h says why).
// Compound parts get ids too (they are counted by id) but have no place in the stream. The
// letter's plain words not yet listed go into `spelling`.
void add_text(Xapian::Document& doc, const std::vector<TextRun>& runs, TermIds::Cache& ids, Xapian::valueno stream_slot,
              std::vector<std::string>& spelling) {
    IdScratch& scratch = id_scratch();
    DistinctTerms distinct(scratch);
    token_stream::Encoder stream;
    std::vector<schema::SectionSpan> spans;
    std::vector<schema::Break> breaks;
    Xapian::termpos pos = 0;
    for (const auto& run : runs) {
        if (run.terms.empty()) continue;
        if (pos > 0) {
            pos += kSectionGap;
            breaks.push_back({pos + 1, true});
        }
        char code = '\0';  // of the span being read
        Xapian::termpos first = 0;
        for (const auto& term : run.terms) {
            const auto known = ids.id_of(term.text);
            distinct.count(known);
            stream.add(++pos, known.id);
            if (term.start != TokenStart::None) breaks.push_back({pos, term.start == TokenStart::Paragraph});
            for (const auto& part : term.parts) distinct.count(ids.id_of(part));
            if (term.code == code) continue;
            if (code != '\0') spans.push_back({code, first, pos - 1});
            code = term.code;
            first = pos;
        }
        if (code != '\0') spans.push_back({code, first, pos});
    }

    for (const auto& known : distinct.terms) {
        doc.add_term(std::string(known.term), scratch.wdf[known.id]);
        if (scratch.listed[known.id] != scratch.letter_serial && is_spelling_word(known.term)) {
            scratch.listed[known.id] = scratch.letter_serial;
            spelling.emplace_back(known.term);
        }
    }
    doc.add_value(schema::kSlotSections, schema::encode_section_spans(spans));
    if (!breaks.empty()) doc.add_value(schema::kSlotBreaks, schema::encode_breaks(breaks));
    if (!stream.bytes().empty()) doc.add_value(stream_slot, stream.bytes());
}

}  // namespace

LetterDocuments build_documents(const Letter& letter, const std::string& file, const std::string& content_hash,
                                const Analyzer& analyzer, TermIds::Cache& ids, const LetterCodec& codec) {
    const std::string letter_id = schema::letter_id_for_path(file);
    ++id_scratch().letter_serial;  // a new letter: every word may be listed for spelling again
    LetterDocuments out;
    std::vector<std::string>& spelling = out.spelling;

    std::vector<std::string> flags;
    for (const auto& flag : letter.flags) {
        std::string key = flag_key(flag);
        if (!key.empty() && std::find(flags.begin(), flags.end(), key) == flags.end()) flags.push_back(std::move(key));
    }

    Determination unknown;
    unknown.unknown_reason = "no determinations found";
    const std::size_t count = std::max<std::size_t>(1, letter.determinations.size());
    // The parser flags this too; the builder makes sure of it because it is what adds the stand-in.
    if (letter.determinations.empty() &&
        std::find(flags.begin(), flags.end(), kFlagNoDeterminations) == flags.end())
        flags.emplace_back(kFlagNoDeterminations);

    const LetterData data = letter_data(letter, letter_id, file, count);

    // The letter document: the shared text, in reading order (reading_order.h), and the whole letter.
    {
        Xapian::Document& doc = out.letter;
        add_identity(doc, schema::letter_doc_term(letter_id), letter_id);
        add_text(doc, shared_runs(letter, analyzer), ids, schema::kSlotLetterTokens, spelling);
        doc.add_value(schema::kSlotContentHash, content_hash);
        doc.add_value(schema::kSlotData, codec.compress(document_data_text(data, nullptr, nullptr, 0)));
        doc.add_value(schema::kSlotLetter, codec.compress(letter_json_text(letter)));  // letter_json.h
    }

    out.determinations.reserve(count);
    for (std::size_t ordinal = 0; ordinal < count; ++ordinal) {
        const Determination& d = letter.determinations.empty() ? unknown : letter.determinations[ordinal];
        Xapian::Document doc;
        add_identity(doc, schema::doc_id_term(letter_id, static_cast<int>(ordinal)), letter_id);

        // Its own text: its block as printed, item line through rationale (reading_order.h).
        add_text(doc, own_runs(letter, d, analyzer), ids, schema::kSlotTokens, spelling);
        const std::vector<std::string> guidelines = guideline_displays(d);

        // Field terms and values (schema::kFields), and the letter's flags.
        const std::vector<nlohmann::json> values = field_values(Facts{letter, d, guidelines}, schema::Level::Determination);
        add_field_terms_and_values(doc, data.values, values);
        for (const auto& f : flags) add_unique_boolean(doc, schema::kFlag, f);
        doc.add_value(schema::kSlotOrdinal, Xapian::sortable_serialise(static_cast<double>(ordinal)));

        doc.add_value(schema::kSlotData, codec.compress(document_data_text(data, &d, &values, ordinal)));
        out.determinations.push_back(std::move(doc));
    }
    return out;
}

bool has_extraction(std::string_view field) { return extraction_of(field) != nullptr; }

std::vector<std::string> codec_samples(const Letter& letter, const std::string& file) {
    const std::string letter_id = schema::letter_id_for_path(file);
    const std::size_t count = std::max<std::size_t>(1, letter.determinations.size());
    const LetterData data = letter_data(letter, letter_id, file, count);
    std::vector<std::string> samples{letter_json_text(letter), document_data_text(data, nullptr, nullptr, 0)};
    for (std::size_t ordinal = 0; ordinal < letter.determinations.size(); ++ordinal) {
        const Determination& d = letter.determinations[ordinal];
        const std::vector<nlohmann::json> values =
            field_values(Facts{letter, d, guideline_displays(d)}, schema::Level::Determination);
        samples.push_back(document_data_text(data, &d, &values, ordinal));
    }
    return samples;
}

}  // namespace imr
