// Turns one parsed letter into its Xapian documents: one for its shared text, one per determination (schema.h).
#pragma once

#include "analyzer.h"
#include "letter.h"
#include "letter_codec.h"
#include "term_ids.h"

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace imr {

// Positions left empty between two runs of a document's text (reading_order.h), so that no phrase
// or NEAR of fewer words matches across text the letter does not print together there.
inline constexpr Xapian::termpos kSectionGap = 100;

// The flag a letter gets when the parser found no determination at all; it is still indexed as
// one document (ordinal 0, decision Unknown) so that its text can be found.
inline constexpr const char* kFlagNoDeterminations = "no-determinations";

// A letter's documents, in the order they are written.
struct LetterDocuments {
    Xapian::Document letter;                     // shared text, the stored letter (schema::kSlotLetter); schema::letter_doc_term
    std::vector<Xapian::Document> determinations;  // determination i has ordinal i; schema::doc_id_term
    std::vector<std::string> spelling;             // distinct plain words of the letter (is_spelling_word), any order
};

// Words worth a place in the spelling dictionary: unprefixed terms made of letters only.
bool is_spelling_word(std::string_view term);

// The letter document and one document per determination, in letter order; a letter without
// determinations gets one "Unknown" determination. `file` is the path the letter id is derived
// from (schema::letter_id_for_path), `content_hash` is schema::hash_hex of its bytes. Words get
// their token stream ids from `ids` (a worker thread's cache of the shared TermIds), which the caller writes to the database before committing;
// the stored letter is compressed by `codec`, whose dictionary the database must hold.
LetterDocuments build_documents(const Letter& letter, const std::string& file, const std::string& content_hash,
                                const Analyzer& analyzer, TermIds::Cache& ids, const LetterCodec& codec);

// What the stored letters' dictionary is trained on: the stored letter and the data of each of
// its documents (schema::kSlotLetter, schema::kSlotData).
std::vector<std::string> codec_samples(const Letter& letter, const std::string& file);

// Whether the builder knows how to read the field of schema::kFields named `field` from a letter:
// every field needs its extraction (document_builder.cpp, kExtractions) besides its registry entry.
bool has_extraction(std::string_view field);

// The key of a letter flag as a term value: "outcome-unreadable: item 2" -> "outcome-unreadable".
std::string flag_key(const std::string& flag);

}  // namespace imr
