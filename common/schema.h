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
// A letter's shared text would otherwise be indexed once per determination. Each document holds its
// text in the letter's reading order (indexer/reading_order.h): the letter document the whole
// letter, headings in their places, cut where a rationale lies; a determination document its item's
// block as printed, item line through rationale. A phrase or NEAR lies inside one document, in one
// run of text the letter prints together (kSectionGap apart): so one that runs from a rationale
// into what follows it (the next item, the next heading) matches nowhere.
//
// THE FACET RULE: values of one facet are ORed, different facets are ANDed. A filter
// drug=carisoprodol&drug=tizanidine&decision=overturned means
//     (XDRUG:carisoprodol OR XDRUG:tizanidine) AND XDEC:overturned
// and because each determination document is one determination, it never matches a letter where
// Soma was upheld and another drug overturned.
#pragma once

#include "letter_codec.h"

#include <cstdint>
#include <span>
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
// table (kDatabaseFlags); replaced and removed letters are tombstoned (kDeadKeyPrefix). 7: structured
// citations (document, edition, chapter, section) with the basis of each party, partly authorized
// requests, priority and the application-received date. 8: sentence and paragraph starts of every
// document's token stream (kSlotBreaks), for the /s and /p connectors. 9: each document's text in
// the letter's reading order (headings in place, a determination's item line, labels, guideline
// lines and rationale as printed, one run), and the stored letter's printed ranges of each item.
inline constexpr std::string_view kVersionKey = "imr-schema";
inline constexpr std::string_view kVersion = "9";
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

// Field terms (boolean, folded values), on determination documents only; kFields below says what
// each is for.
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
inline constexpr std::string_view kGuideDocument = "XGD";  // "XGDmtus chronic pain medical treatment", "XGDodg low back"
inline constexpr std::string_view kBasis = "XBASIS";       // the reviewer's: "XBASISoutside mtus"
inline constexpr std::string_view kClaimsBasis = "XCABASIS";  // the claims administrator's: "XCABASISnone cited"
inline constexpr std::string_view kPriority = "XPRI";      // "XPRIstandard"

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
    kSlotReceived = 12,     // determination: Xapian::sortable_serialise(YYYYMMDD) of the application received
    kSlotBreaks = 13,       // both kinds: encode_breaks() of the sentences and paragraphs of the token stream
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
// ---- Sentence and paragraph starts (kSlotBreaks) -------------------------------------------------
// The position of the first word of each sentence after the document's first, and whether it
// also starts a paragraph (every run of text starts one, and so do a letter's headings and section bodies). Apart from the token stream, so that a
// phrase still reads across a sentence's end.
struct Break {
    Xapian::termpos pos;
    bool paragraph;
    bool operator==(const Break&) const = default;
};
// Byte format: per break, in position order, (pos - previous pos) * 2 + paragraph as a LEB128 varint.
std::string encode_breaks(const std::vector<Break>& breaks);
// The breaks of a kSlotBreaks value; a malformed value gives the breaks read before the fault.
std::vector<Break> decode_breaks(std::string_view bytes);
// The positions where units start in a kSlotBreaks value, read one at a time as a stream is
// scanned, without decoding them all: every break for sentences, paragraph breaks alone for
// paragraphs. next() is the next start after those advanced past; the largest position at the end.
class UnitStarts {
public:
    UnitStarts(std::string_view bytes, bool paragraphs) : bytes_(bytes), paragraphs_(paragraphs) { advance(); }
    Xapian::termpos next() const { return next_; }
    void advance();

private:
    std::string_view bytes_;
    bool paragraphs_;
    Xapian::termpos last_ = 0, next_ = 0;
};

// The code of a section name ("rationale" -> 'R'); '\0' when the name is not a section.
char section_code(std::string_view name);

// ---- Fields: the one registry of the facts a result carries -----------------------------------
// Every fact of a determination is declared once, in kFields: its names, where the index keeps it
// (term prefix, value slot, key of the document data) and what the rest of the program does with it.
// The indexer's terms, values and data, the engine's filters, facets, stats, suggestions and hits,
// the query language's field names, the CLI's flags and help, the HTTP parameters, the CSV columns
// and the page's facet panels (through GET /api/schema) all derive from this table. Adding a field
// is an entry here plus its extraction in indexer/document_builder.cpp (kExtractions).

// What the searcher does with a field: Field::uses is a set of these bits.
enum Use : unsigned {
    kFilter = 1u << 0,   // a facet filter: --NAME on the command line, ?NAME= over HTTP, the page's checkboxes
    kFacet = 1u << 1,    // counted per value in every search (needs a prefix; every filter is one)
    kStats = 1u << 2,    // a stats dimension: `stats --by NAME`, /api/stats?by=NAME, the page's chart
    kSuggest = 1u << 3,  // /api/suggest completes its values; the page gives its panel a filter box
    kColumn = 1u << 4,   // a hit field: in search results' JSON, the CSV export, read from the document data
    kQuery = 1u << 5,    // NAME:value in the query language; NAME:a..b when it has a value slot
};
// Where a fact belongs: a letter fact is in the data of the letter document and of each of its
// determination documents; a determination fact only in its determination document's.
enum class Level : std::uint8_t { Letter, Determination };
// What the document data holds: text ("" when absent), a list of text, an ISO date or a number
// (both null when absent). A slot holds sortable_serialise of the date as YYYYMMDD, or of the number.
enum class Type : std::uint8_t { Text, List, Date, Number };
// How a facet shows a value: its term's folded text, that with a capital first letter, or the
// spelling of the document data (the first document holding the value tells which).
enum class Shown : std::uint8_t { Folded, Capitalized, AsWritten };

inline constexpr Xapian::valueno kNoSlot = Xapian::BAD_VALUENO;

struct Field {
    std::string_view name;          // CLI flag, HTTP parameter, query field, stats dimension: --class, ?class=, class:
    std::string_view json;          // its name in JSON answers (the facets of a search) and in /api/schema
    std::string_view alias = {};    // one more name a request may give (the engine's filters, stats, suggest)
    std::string_view data = {};     // its key in the document data, hits and CSV header; "" when not stored
    std::string_view prefix = {};   // boolean term prefix, on determination documents; "" for none
    Xapian::valueno slot = kNoSlot; // value slot, on determination documents
    Level level = Level::Determination;
    Type type = Type::Text;
    bool multi_valued = false;      // one determination may hold several values
    unsigned uses = 0;              // Use bits
    std::string_view label = {};    // facet heading, help text
    int column = 0;                 // position among the CSV columns, from 1; 0 when not a column
    Shown shown = Shown::Folded;
    std::span<const std::string_view> choices = {};  // the only values it takes, folded; empty for any
    // A facet that also counts a determination toward the values of another prefix's terms, as
    // the values of the same name: the drug facet counts a compound toward each of its
    // ingredients, so that the count beside "cyclobenzaprine" is what ticking it selects.
    std::string_view facet_also = {};
};

inline constexpr std::string_view kDecisionChoices[] = {"upheld", "overturned", "unknown"};
inline constexpr std::string_view kSexChoices[] = {"female", "male"};
inline constexpr std::string_view kBasisChoices[] = {"mtus", "outside mtus", "none cited"};

// Facets come first, in the order the page and the CLI show them; the rest in CSV order.
inline constexpr Field kFields[] = {
    {.name = "decision", .json = "decision", .data = "decision", .prefix = kDecision,
     .uses = kFilter | kFacet | kColumn | kQuery, .label = "Outcome", .column = 2, .shown = Shown::Capitalized,
     .choices = kDecisionChoices},
    {.name = "drug", .json = "drug", .data = "drug", .prefix = kDrug,  // the generic; brand and ingredients below
     .uses = kFilter | kFacet | kStats | kSuggest | kColumn | kQuery, .label = "Drug", .column = 4,
     .facet_also = kIngredient},
    {.name = "class", .json = "drug_class", .alias = "drug_class", .data = "drug_class", .prefix = kDrugClass,
     .uses = kFilter | kFacet | kStats | kColumn | kQuery, .label = "Drug class", .column = 5},
    {.name = "category", .json = "category", .data = "category", .prefix = kCategory,
     .uses = kFilter | kFacet | kStats | kColumn | kQuery, .label = "Treatment category", .column = 6},
    {.name = "source", .json = "guideline_source", .alias = "guideline_source", .data = "guideline_sources",
     .prefix = kGuideSource, .type = Type::List, .multi_valued = true,
     .uses = kFilter | kFacet | kStats | kQuery,
     .label = "Guideline source", .shown = Shown::AsWritten},
    {.name = "document", .json = "guideline_document", .alias = "guideline_document", .data = "guideline_documents",
     .prefix = kGuideDocument, .type = Type::List, .multi_valued = true,
     .uses = kFilter | kFacet | kStats | kSuggest | kColumn | kQuery, .label = "Guideline document", .column = 16,
     .shown = Shown::AsWritten},
    {.name = "guideline", .json = "guideline", .data = "guidelines", .prefix = kGuideline, .type = Type::List,
     .multi_valued = true, .uses = kFilter | kFacet | kStats | kSuggest | kColumn | kQuery, .label = "Guideline",
     .column = 7, .shown = Shown::AsWritten},
    {.name = "basis", .json = "basis", .data = "basis", .prefix = kBasis,
     .uses = kFilter | kFacet | kStats | kColumn | kQuery, .label = "Reviewer's basis", .column = 15,
     .shown = Shown::AsWritten, .choices = kBasisChoices},
    {.name = "cabasis", .json = "claims_basis", .alias = "claims_basis", .data = "claims_basis", .prefix = kClaimsBasis,
     .uses = kFilter | kFacet | kColumn | kQuery, .label = "Claims administrator's basis", .column = 17,
     .shown = Shown::AsWritten, .choices = kBasisChoices},
    {.name = "specialty", .json = "specialty", .data = "specialties", .prefix = kSpecialty, .level = Level::Letter,
     .type = Type::List, .multi_valued = true, .uses = kFilter | kFacet | kStats | kSuggest | kColumn | kQuery,
     .label = "Reviewer specialty", .column = 8, .shown = Shown::AsWritten},
    {.name = "state", .json = "state", .data = "states", .prefix = kState, .level = Level::Letter, .type = Type::List,
     .multi_valued = true, .uses = kFilter | kFacet | kStats | kColumn | kQuery, .label = "Reviewer licensed in",
     .column = 9, .shown = Shown::AsWritten},
    {.name = "year", .json = "year", .prefix = kYear, .level = Level::Letter,  // of the decision date; not stored
     .uses = kFilter | kFacet | kStats | kQuery, .label = "Decision year"},
    {.name = "priority", .json = "priority", .data = "priority", .prefix = kPriority, .level = Level::Letter,
     .uses = kFilter | kFacet | kColumn | kQuery, .label = "Priority", .column = 20, .shown = Shown::Capitalized},
    {.name = "case", .json = "case_number", .data = "case_number", .prefix = kCase, .level = Level::Letter,
     .uses = kColumn | kQuery, .label = "Case number", .column = 1},
    {.name = "item", .json = "item", .data = "item", .uses = kColumn, .label = "Item", .column = 3},
    {.name = "age", .json = "age", .data = "age", .slot = kSlotAge, .level = Level::Letter, .type = Type::Number,
     .uses = kColumn | kQuery, .label = "Age", .column = 10},
    {.name = "sex", .json = "sex", .data = "sex", .prefix = kSex, .level = Level::Letter, .uses = kColumn | kQuery,
     .label = "Sex", .column = 11, .choices = kSexChoices},
    {.name = "injured", .json = "injury_date", .data = "injury_date", .slot = kSlotInjuryDate, .level = Level::Letter,
     .type = Type::Date, .uses = kColumn | kQuery, .label = "Injured", .column = 12},
    {.name = "denied", .json = "ur_denial_date", .data = "ur_denial_date", .slot = kSlotUrDenialDate,
     .level = Level::Letter, .type = Type::Date, .uses = kColumn | kQuery, .label = "UR denial", .column = 13},
    {.name = "decided", .json = "decision_date", .data = "decision_date", .slot = kSlotDecisionDate,
     .level = Level::Letter, .type = Type::Date, .uses = kColumn | kQuery, .label = "Decided", .column = 14},
    {.name = "assigned", .json = "assigned_date", .data = "assigned_date", .level = Level::Letter, .type = Type::Date,
     .label = "Assigned"},
    {.name = "received", .json = "application_received", .data = "application_received", .slot = kSlotReceived,
     .level = Level::Letter, .type = Type::Date, .uses = kColumn | kQuery, .label = "Application received",
     .column = 21},
    {.name = "original", .json = "original_request", .data = "original_request", .uses = kColumn,
     .label = "Original request", .column = 18},
    {.name = "authorized", .json = "authorized", .data = "authorized", .uses = kColumn, .label = "Authorized",
     .column = 19},
    // Terms the drug and guideline filters and fields reach through (searcher/query_parser.cpp).
    {.name = "brand", .json = "brand", .data = "brand", .prefix = kBrand, .label = "Brand"},
    {.name = "ingredient", .json = "ingredient", .prefix = kIngredient, .type = Type::List, .multi_valued = true,
     .label = "Ingredient"},
};

// The field a request names, by its name or its alias; nullptr when none. The one place aliases resolve.
const Field* find_field(std::string_view name);
// The same, among the fields with every bit of `uses`.
const Field* find_field(std::string_view name, unsigned uses);
// The fields with every bit of `uses`, in kFields order.
std::vector<const Field*> fields_with(unsigned uses);
// Their names.
std::vector<std::string_view> names_with(unsigned uses);
// The hit columns (kColumn), in CSV order.
const std::vector<const Field*>& columns();

// Builds a boolean term: prefix + folded value, cut to Xapian's term length limit.
std::string field_term(std::string_view prefix, std::string_view value);
// Letter id from a file path: 16 hex digits of a 64-bit hash of the path, stable across runs.
std::string letter_id_for_path(std::string_view path);
// 16 hex digits of a 64-bit hash of bytes (content hashes).
std::string hash_hex(std::string_view bytes);
std::string doc_id_term(std::string_view letter_id, int ordinal);  // a determination document
std::string letter_doc_term(std::string_view letter_id);            // a letter document: "Q<letter_id>"

}  // namespace imr::schema
