// The index schema: the one registry of term prefixes, value slots and facets (cf. Omega's values.h).
//
// Two kinds of document. Unit of retrieval: one DETERMINATION DOCUMENT per determination (one
// disputed item of one letter), holding its own item, outcome, drug, category, guidelines and
// rationale, every field term and value, and the letter's shared facts. The text every
// determination of a letter shares (header, reviewer, documents, case summary, guideline list,
// decision lines) is indexed once, in the letter's LETTER DOCUMENT, which also stores the whole
// letter in its data for snippets and the letter view. A letter's documents are written together:
// the letter document, then its determinations in order.
//
// A determination matches a text query as if its letter's shared text and its own text were one
// document: every term, phrase, NEAR or section check that matches a letter document counts for
// each determination of that letter (searcher/matcher.h), and then the boolean operators combine.
// No phrase or NEAR can span the two, as none can span two sections (kSectionGap). A letter's
// shared text would otherwise be indexed once per determination.
//
// THE FACET RULE: values of one facet are ORed, different facets are ANDed. A filter
// drug=carisoprodol&drug=tizanidine&decision=overturned means
//     (XDRUG:carisoprodol OR XDRUG:tizanidine) AND XDEC:overturned
// and because each determination document is one determination, it never matches a letter where
// Soma was upheld and another drug overturned.
#pragma once

#include "letter_codec.h"

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace imr::schema {

// ---- Version ----------------------------------------------------------------------------------
// The layout of documents, terms and values below. imr-index writes it as user metadata under
// kVersionKey and refuses to add to a database of another version; the searcher refuses to read
// one. 1: every determination document held its letter's shared text and "Z" stems (no version
// key was written). 2: letter documents, no stems. 3: words without Xapian positions, which are
// in each document's token stream (kSlotTokens) instead. 4: the stored letter compressed with a
// trained dictionary in kSlotLetter, not in the letter document's data. 5: every document's data
// compressed with that dictionary in kSlotData; Xapian's document data is empty. 6: no termlist
// table (kDatabaseFlags); replaced and removed letters are tombstoned (kDeadKeyPrefix).
inline constexpr std::string_view kVersionKey = "imr-schema";
inline constexpr std::string_view kVersion = "6";
// What is wrong with a database's version for this build, or "" when it can be read: an empty
// database of any version can.
std::string version_problem(const Xapian::Database& db);

// ---- Database flags and removed letters ------------------------------------------------------
// Databases are created without Xapian's termlist table. Measured on 100k letters: it was 43% of
// the index (1,924 bytes a letter) and about 30% of the build time (every termlist is deflated
// with zlib). Nothing reads a document's terms: the searcher works from postlists, values and
// token streams. But without termlists Xapian cannot delete or replace a document, so a letter
// that is replaced or removed keeps its documents and becomes DEAD: the docid range of its
// documents is recorded in user metadata, "dead:<first docid, 8 hex digits>" -> "<last docid>"
// (decimal), in the same commit that adds its new version. Every reader treats dead docids as
// absent (no facet value, no letter, no match); collection statistics (document count, term
// frequencies) still count them, which only BM25's idf sees. Indexing the letters again into a
// new database drops them.
inline constexpr int kDatabaseFlags = Xapian::DB_NO_TERMLIST;
inline constexpr std::string_view kDeadKeyPrefix = "dead:";
struct DocidRange {
    Xapian::docid first;  // inclusive
    Xapian::docid last;   // inclusive
    bool operator==(const DocidRange&) const = default;
};
std::string dead_key(Xapian::docid first);
// The dead ranges of a database, in docid order; a malformed entry is skipped.
std::vector<DocidRange> dead_ranges(const Xapian::Database& db);
// One flag per docid 0..db.get_lastdocid(): 1 where the docid is dead.
std::vector<char> dead_docids(const Xapian::Database& db);
// Whether `dead` flags `did`; docids past its end (added since it was read) are not dead.
inline bool is_dead(const std::vector<char>& dead, Xapian::docid did) { return did < dead.size() && dead[did]; }
// The first and last docid holding `term` that `dead` (dead_docids) does not flag; {0, 0} when
// none does. A letter's live documents are consecutive, so for its "XL" term this is their range.
DocidRange live_range(const Xapian::Database& db, const std::string& term, const std::vector<char>& dead);

// ---- Term prefixes --------------------------------------------------------------------------
// Free text: unprefixed terms (the Analyzer's folded tokens), with their wdf but without Xapian
// positions: where each word lies is in the document's token stream (kSlotTokens,
// common/token_stream.h), which the searcher's phrase, NEAR and section checks read. Compound parts
// ("10/325" -> "10", "325") are added as unprefixed terms and are not in the stream. Stems are NOT
// indexed (no "Z" terms, unlike Xapian::TermGenerator): a free-text word is expanded at query time
// to every indexed word with its stem (searcher/stem_index.h), as one synonym. That keeps a third
// of the terms, and about 40% of the indexing time, out of every document.

// Sections have no terms of their own: a document records where each of its sections lies among
// its word positions (kSlotSections), and `section:NAME "phrase"` checks a match's positions in
// the token stream against that. A second, section-prefixed copy of every word would double the
// terms of every document.
struct SectionCode { std::string_view name; std::string_view code; };
inline constexpr SectionCode kSectionCodes[] = {
    {"header", "H"}, {"reviewer", "V"}, {"documents", "D"}, {"summary", "S"},
    {"item", "I"}, {"guidelines", "G"}, {"rationale", "R"},
};

// Identity and bookkeeping (boolean terms).
inline constexpr std::string_view kDocId = "Q";        // "Q<letter_id>/<ordinal>" (determination), "Q<letter_id>" (letter)
inline constexpr std::string_view kLetterId = "XL";    // "XL<letter_id>": every document of a letter, both kinds
inline constexpr std::string_view kFlag = "XFLAG";     // "XFLAGoutcome-unreadable": letters with problems

// Field terms (boolean, folded values), on determination documents only. Every facet below has
// one; so do case numbers and sex.
inline constexpr std::string_view kCase = "XCASE";         // "XCASEcm15-0198233"
inline constexpr std::string_view kDecision = "XDEC";      // "XDECupheld" | "XDECoverturned" | "XDECunknown"
inline constexpr std::string_view kDrug = "XDRUG";         // generic: "XDRUGhydrocodone/acetaminophen"
inline constexpr std::string_view kIngredient = "XING";    // each ingredient: "XINGhydrocodone"
inline constexpr std::string_view kBrand = "XBRAND";       // brand as named in the item: "XBRANDnorco"
inline constexpr std::string_view kDrugClass = "XCLASS";   // "XCLASSmuscle relaxant"
inline constexpr std::string_view kCategory = "XCAT";      // "XCATdiagnostic imaging"
inline constexpr std::string_view kGuideline = "XGL";      // "XGLmtus: muscle relaxants (for pain)"
inline constexpr std::string_view kGuideSource = "XGS";    // "XGSmtus"
inline constexpr std::string_view kSpecialty = "XSPEC";    // "XSPECpain management"
inline constexpr std::string_view kState = "XSTATE";       // "XSTATEcalifornia"
inline constexpr std::string_view kYear = "XYEAR";         // decision year: "XYEAR2015"
inline constexpr std::string_view kSex = "XSEX";           // "XSEXfemale"

// ---- Value slots ----------------------------------------------------------------------------
enum Slot : Xapian::valueno {
    kSlotLetterId = 0,      // both kinds: letter id string; the collapse key for --group letter
    kSlotDecisionDate = 1,  // determination: Xapian::sortable_serialise(YYYYMMDD); absent when not printed
    kSlotInjuryDate = 2,    // determination: Xapian::sortable_serialise(YYYYMMDD)
    kSlotAge = 3,           // determination: Xapian::sortable_serialise(age)
    kSlotContentHash = 4,   // letter: 16 hex digits of the file content's hash, for incremental runs
    kSlotOrdinal = 5,       // determination only (what tells the kinds apart): Xapian::sortable_serialise(index in its letter)
    kSlotUrDenialDate = 6,  // determination: Xapian::sortable_serialise(YYYYMMDD)
    kSlotSections = 7,      // both kinds: encode_section_spans() of the document's own positions
    kSlotTokens = 8,        // determination: the token stream of the document's words (token_stream.h)
    kSlotLetterTokens = 9,  // letter: the same. Apart, so that checking only one kind of document
                            // reads only that kind's value chunks (measured: half the reads).
    kSlotLetter = 10,       // letter: the whole letter (imr::to_json(Letter)) as a LetterCodec frame, for
                            // snippets and the letter view; a value, as Xapian would zlib document data again
    kSlotData = 11,         // both kinds: the document's data (the JSON a result shows) as a LetterCodec frame.
                            // Not Xapian's document data, which glass deflates with zlib: the trained
                            // dictionary compresses it about three times smaller, and faster.
};

// User metadata: "imr-schema" (kVersionKey), "imr-letter-dictionary" (kLetterDictionaryKey: the
// zstd dictionary of kSlotLetter and kSlotData, written once, with the first letters that use it; absent when
// the database was started with too few letters to train one) and one "t:<word>" key per word
// holding its token stream id (token_stream::term_id_key).
inline constexpr std::string_view kLetterDictionaryKey = "imr-letter-dictionary";

// The codec of a database's stored letters and document data; throws LetterCodecError when zstd
// refuses its dictionary.
LetterCodec stored_codec(const Xapian::Database& db);
// A document's data JSON (kSlotData) as text, "" when it has none; throws LetterCodecError when
// the value is not a frame `codec` can read.
std::string document_data(const Xapian::Document& doc, const LetterCodec& codec);

// ---- Section spans (kSlotSections) ------------------------------------------------------------
// One span per indexed run of text that belongs to a section: the section's code and the first
// and last position of its words. Runs of one section may appear several times in a document.
struct SectionSpan {
    char code;               // kSectionCodes[].code
    Xapian::termpos first;   // inclusive
    Xapian::termpos last;    // inclusive
    bool operator==(const SectionSpan&) const = default;
};
// Byte format: per span, the code byte, then `first` minus the previous span's `last`, then
// `last - first`, both as LEB128 varints; spans are in position order.
std::string encode_section_spans(const std::vector<SectionSpan>& spans);
// The spans of a kSlotSections value; a malformed value gives the spans read before the fault.
std::vector<SectionSpan> decode_section_spans(std::string_view bytes);
// The code of a section name ("rationale" -> 'R'); '\0' when the name is not a section.
char section_code(std::string_view name);

// ---- Facets ---------------------------------------------------------------------------------
// Display values are stored in the document data; the term prefix is what filters and counts use.
struct Facet {
    std::string_view name;    // API and CLI name: --drug, ?drug=
    std::string_view prefix;  // boolean term prefix
    bool multi_valued;        // one determination may hold several values
};
inline constexpr Facet kFacets[] = {
    {"decision", kDecision, false},  {"drug", kDrug, false},           {"class", kDrugClass, false},
    {"category", kCategory, false},  {"guideline", kGuideline, true},  {"specialty", kSpecialty, true},
    {"state", kState, true},         {"year", kYear, false},
};
// The facet names as the JSON contract spells them (drug_class for the "class" filter).
inline constexpr std::string_view facet_json_name(std::string_view name) {
    return name == "class" ? std::string_view("drug_class") : name;
}
const Facet* find_facet(std::string_view name);  // nullptr when unknown

// Builds a boolean term: prefix + folded value, cut to Xapian's term length limit.
std::string field_term(std::string_view prefix, std::string_view value);
// Letter id from a file path: 16 hex digits of a 64-bit hash of the path, stable across runs.
std::string letter_id_for_path(std::string_view path);
// 16 hex digits of a 64-bit hash of bytes (content hashes).
std::string hash_hex(std::string_view bytes);
std::string doc_id_term(std::string_view letter_id, int ordinal);  // a determination document
std::string letter_doc_term(std::string_view letter_id);            // a letter document: "Q<letter_id>"

}  // namespace imr::schema
