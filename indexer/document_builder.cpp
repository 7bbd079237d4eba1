// Builds the Xapian documents of a letter: positional text by section, compound parts, field terms, values, data.
#include "document_builder.h"

#include "letter_json.h"
#include "schema.h"
#include "string_hash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace imr {
namespace {

namespace schema = imr::schema;

// A run of text analyzed once and posted into every document of the letter that contains it.
// Stems are not indexed: the query side expands a word to the indexed words of its stem
// (searcher/stem_index.h), which keeps a third of the terms out of every document.
struct Chunk {
    char code = '\0';  // schema section code, or '\0' for text that belongs to no section
    struct Term {
        std::string text;  // unprefixed, positional
        std::vector<std::string> parts;
    };
    std::vector<Term> terms;
};

Chunk analyze(std::string_view text, std::string_view section_name, const Analyzer& analyzer) {
    Chunk chunk;
    chunk.code = schema::section_code(section_name);
    auto tokens = analyzer.tokenize(text);
    chunk.terms.reserve(tokens.size());
    for (auto& token : tokens) {
        Chunk::Term term;
        term.text = std::move(token.term);
        term.parts = std::move(token.parts);
        chunk.terms.push_back(std::move(term));
    }
    return chunk;
}

// Nothing has Xapian positions: counting words and parts here and adding each once spares Xapian's
// per-call term map lookups, which are most of the cost of building a document. One entry per
// distinct term carries everything the document needs of it, so each word is hashed once.
struct TermEntry {
    Xapian::termcount wdf = 0;
    TermIds::TermId id = 0;  // set for words (parts have no place in the token stream)
    bool word = false;
};
using TermCounts = std::unordered_map<std::string_view, TermEntry>;

// A document's words in position order (null in the gaps between chunks), and its distinct words
// in the order they first occur, which is the order they get new ids in.
struct DocumentWords {
    std::vector<TermEntry*> by_position;  // position - 1
    std::vector<std::string_view> distinct;
    std::vector<TermEntry*> distinct_entries;
};

// Counts a chunk's words and parts after a gap from the previous chunk, notes its section span and
// where its words lie; returns the last position used.
Xapian::termpos post(const Chunk& chunk, Xapian::termpos pos, TermCounts& counts, DocumentWords& words,
                     std::vector<schema::SectionSpan>& spans) {
    if (chunk.terms.empty()) return pos;
    if (pos > 0) pos += kSectionGap;
    const Xapian::termpos first = pos + 1;
    for (const auto& term : chunk.terms) {
        ++pos;
        TermEntry& entry = counts[term.text];
        ++entry.wdf;
        if (!entry.word) {
            entry.word = true;
            words.distinct.push_back(term.text);
            words.distinct_entries.push_back(&entry);  // unordered_map nodes never move
        }
        words.by_position.resize(pos, nullptr);
        words.by_position[pos - 1] = &entry;
        for (const auto& part : term.parts) ++counts[part].wdf;
    }
    if (chunk.code != '\0') spans.push_back({chunk.code, first, pos});
    return pos;
}

// The text of the decision block(s) that is not any determination's rationale (item lines,
// outcomes, guideline lines): indexed, without a section code, so that any phrase of the letter
// finds it, while one determination's document never holds another's rationale.
std::vector<std::string_view> decision_text_outside_rationales(const Letter& letter) {
    std::vector<std::pair<std::size_t, std::size_t>> rationales;  // [begin, end) in letter.text
    for (const auto& d : letter.determinations)
        if (!d.rationale.empty()) rationales.emplace_back(d.rationale_offset, d.rationale_offset + d.rationale.size());
    std::sort(rationales.begin(), rationales.end());

    std::vector<std::string_view> pieces;
    for (const auto& section : letter.sections) {
        if (section.name != section::decisions && section.name != section::rationale) continue;
        std::size_t begin = section.offset;
        const std::size_t end = section.offset + section.text.size();
        const std::string_view body = section.text;
        for (const auto& [r_begin, r_end] : rationales) {
            if (r_end <= begin || r_begin >= end) continue;
            if (r_begin > begin) pieces.push_back(body.substr(begin - section.offset, r_begin - begin));
            begin = std::max(begin, r_end);
        }
        if (begin < end) pieces.push_back(body.substr(begin - section.offset, end - begin));
    }
    return pieces;
}

std::string citation_display(const Citation& c) { return c.source + ": " + c.topic; }

std::string citation_text(const Citation& c) {
    std::string text = citation_display(c);
    if (!c.pages.empty()) text += " Page(s): " + c.pages;
    return text;
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

// Facts every document of a letter shows without opening the stored letter.
nlohmann::json letter_facts(const Letter& letter, const std::string& letter_id, const std::string& file, std::size_t count) {
    return {
        {"letter_id", letter_id},
        {"file", file},
        {"case_number", letter.case_number},
        {"specialties", letter.specialties},
        {"states", letter.states},
        {"age", letter.age ? nlohmann::json(*letter.age) : nlohmann::json(nullptr)},
        {"sex", letter.sex},
        {"injury_date", optional_date(letter.injury_date)},
        {"ur_denial_date", optional_date(letter.ur_denial_date)},
        {"decision_date", optional_date(letter.decision_date)},
        {"assigned_date", optional_date(letter.assigned_date)},
        {"layout", to_string(letter.layout)},
        {"determinations", count},
    };
}

nlohmann::json letter_document_data(const Letter& letter, const std::string& letter_id, const std::string& file,
                                    std::size_t count) {
    nlohmann::json data = letter_facts(letter, letter_id, file, count);
    data["id"] = letter_id;
    return data;
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

// What a result shows without opening the letter.
nlohmann::json determination_data(const Letter& letter, const std::string& letter_id, const std::string& file,
                                  std::size_t count, std::size_t ordinal, const Determination& d,
                                  const std::vector<std::string>& guidelines) {
    nlohmann::json citations = nlohmann::json::array();
    for (const auto& c : d.citations) citations.push_back({{"source", c.source}, {"topic", c.topic}, {"pages", c.pages}});
    nlohmann::json data = letter_facts(letter, letter_id, file, count);
    data["id"] = letter_id + "/" + std::to_string(ordinal);
    data["item"] = d.item;
    data["decision"] = to_string(d.outcome);
    data["drug"] = d.drug ? d.drug->generic : std::string();
    data["brand"] = d.drug ? d.drug->brand : std::string();
    data["drug_class"] = d.drug ? d.drug->drug_class : std::string();
    data["category"] = d.category;
    data["guidelines"] = guidelines;
    data["citations"] = std::move(citations);
    data["ordinal"] = ordinal;
    return data;
}

void add_identity(Xapian::Document& doc, const std::string& id_term, const std::string& letter_id) {
    doc.add_boolean_term(id_term);
    doc.add_boolean_term(std::string(schema::kLetterId) + letter_id);
    doc.add_value(schema::kSlotLetterId, letter_id);
}

// A letter's distinct plain words.
using SpellingWords = StringSet;

// Adds chunks one after another, with their parts, and records their section spans and their
// token stream: words have no Xapian positions (token_stream.h says why). The document's plain
// words go into `spelling`.
void add_text(Xapian::Document& doc, const std::vector<Chunk>& chunks, TermIds::Cache& ids, Xapian::valueno stream_slot,
              SpellingWords& spelling) {
    TermCounts counts;
    Xapian::termpos pos = 0;
    std::vector<schema::SectionSpan> spans;
    DocumentWords words;
    for (const auto& chunk : chunks) pos = post(chunk, pos, counts, words, spans);

    const auto assigned = ids.assign(words.distinct);
    for (std::size_t i = 0; i < assigned.size(); ++i) words.distinct_entries[i]->id = assigned[i];
    token_stream::Encoder stream;
    for (std::size_t i = 0; i < words.by_position.size(); ++i)
        if (const TermEntry* entry = words.by_position[i]) stream.add(static_cast<Xapian::termpos>(i + 1), entry->id);

    for (const auto& [term, entry] : counts) {
        doc.add_term(std::string(term), entry.wdf);
        if (is_spelling_word(term) && spelling.find(term) == spelling.end()) spelling.emplace(term);
    }
    doc.add_value(schema::kSlotSections, schema::encode_section_spans(spans));
    if (!stream.bytes().empty()) doc.add_value(stream_slot, stream.bytes());
}

}  // namespace

LetterDocuments build_documents(const Letter& letter, const std::string& file, const std::string& content_hash,
                                const Analyzer& analyzer, TermIds::Cache& ids, const LetterCodec& codec) {
    const std::string letter_id = schema::letter_id_for_path(file);
    SpellingWords spelling;

    // Facts every determination of the letter carries.
    const std::string year = letter.decision_date ? std::to_string(letter.decision_date->year) : std::string();
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

    LetterDocuments out;

    // The letter document: the shared text, in letter order, and the whole letter.
    {
        std::vector<Chunk> shared;
        for (const auto& section : letter.sections) {
            if (section.name == section::header || section.name == section::reviewer ||
                section.name == section::documents || section.name == section::summary ||
                section.name == section::guidelines) {
                shared.push_back(analyze(section.text, section.name, analyzer));
            }
        }
        for (auto piece : decision_text_outside_rationales(letter)) shared.push_back(analyze(piece, {}, analyzer));
        Xapian::Document& doc = out.letter;
        add_identity(doc, schema::letter_doc_term(letter_id), letter_id);
        add_text(doc, shared, ids, schema::kSlotLetterTokens, spelling);
        doc.add_value(schema::kSlotContentHash, content_hash);
        doc.add_value(schema::kSlotData, codec.compress(letter_document_data(letter, letter_id, file, count).dump()));
        doc.add_value(schema::kSlotLetter, codec.compress(nlohmann::json(letter).dump()));  // letter_json.h
    }

    out.determinations.reserve(count);
    for (std::size_t ordinal = 0; ordinal < count; ++ordinal) {
        const Determination& d = letter.determinations.empty() ? unknown : letter.determinations[ordinal];
        Xapian::Document doc;
        add_identity(doc, schema::doc_id_term(letter_id, static_cast<int>(ordinal)), letter_id);

        // Its own text: item, guidelines and rationale.
        std::vector<Chunk> own;
        own.push_back(analyze(d.item, "item", analyzer));
        for (const auto& c : d.citations) own.push_back(analyze(citation_text(c), "guidelines", analyzer));
        const std::vector<std::string> guidelines = guideline_displays(d);
        own.push_back(analyze(d.rationale, "rationale", analyzer));
        add_text(doc, own, ids, schema::kSlotTokens, spelling);

        // Field terms.
        add_unique_boolean(doc, schema::kDecision, to_string(d.outcome));
        if (d.drug) {
            add_unique_boolean(doc, schema::kDrug, d.drug->generic);
            for (const auto& ingredient : d.drug->ingredients) add_unique_boolean(doc, schema::kIngredient, ingredient);
            add_unique_boolean(doc, schema::kBrand, d.drug->brand);
            add_unique_boolean(doc, schema::kDrugClass, d.drug->drug_class);
        }
        add_unique_boolean(doc, schema::kCategory, d.category);
        for (const auto& g : guidelines) add_unique_boolean(doc, schema::kGuideline, g);
        for (const auto& c : d.citations) add_unique_boolean(doc, schema::kGuideSource, c.source);
        for (const auto& s : letter.specialties) add_unique_boolean(doc, schema::kSpecialty, s);
        for (const auto& s : letter.states) add_unique_boolean(doc, schema::kState, s);
        add_unique_boolean(doc, schema::kYear, year);
        add_unique_boolean(doc, schema::kSex, letter.sex);
        add_unique_boolean(doc, schema::kCase, letter.case_number);
        for (const auto& f : flags) add_unique_boolean(doc, schema::kFlag, f);

        // Values.
        if (letter.decision_date)
            doc.add_value(schema::kSlotDecisionDate, Xapian::sortable_serialise(letter.decision_date->as_number()));
        if (letter.injury_date)
            doc.add_value(schema::kSlotInjuryDate, Xapian::sortable_serialise(letter.injury_date->as_number()));
        if (letter.ur_denial_date)
            doc.add_value(schema::kSlotUrDenialDate, Xapian::sortable_serialise(letter.ur_denial_date->as_number()));
        if (letter.age) doc.add_value(schema::kSlotAge, Xapian::sortable_serialise(*letter.age));
        doc.add_value(schema::kSlotOrdinal, Xapian::sortable_serialise(static_cast<double>(ordinal)));

        doc.add_value(schema::kSlotData,
                      codec.compress(determination_data(letter, letter_id, file, count, ordinal, d, guidelines).dump()));
        out.determinations.push_back(std::move(doc));
    }
    out.spelling.reserve(spelling.size());
    while (!spelling.empty()) out.spelling.push_back(std::move(spelling.extract(spelling.begin()).value()));
    return out;
}

std::vector<std::string> codec_samples(const Letter& letter, const std::string& file) {
    const std::string letter_id = schema::letter_id_for_path(file);
    const std::size_t count = std::max<std::size_t>(1, letter.determinations.size());
    std::vector<std::string> samples{nlohmann::json(letter).dump(), letter_document_data(letter, letter_id, file, count).dump()};
    for (std::size_t ordinal = 0; ordinal < letter.determinations.size(); ++ordinal) {
        const Determination& d = letter.determinations[ordinal];
        samples.push_back(determination_data(letter, letter_id, file, count, ordinal, d, guideline_displays(d)).dump());
    }
    return samples;
}

}  // namespace imr
