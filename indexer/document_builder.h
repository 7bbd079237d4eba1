// Turns one parsed letter into its Xapian documents, one per determination (see brief DOC_FORMAT.md).
#pragma once

#include "analyzer.h"
#include "letter.h"

#include <string>
#include <vector>

#include <xapian.h>

namespace imr {

// Positions left empty between two indexed sections, so that no phrase or NEAR of fewer words
// can match across a section boundary.
inline constexpr Xapian::termpos kSectionGap = 100;

// The flag a letter gets when the parser found no determination at all; it is still indexed as
// one document (ordinal 0, decision Unknown) so that its text can be found.
inline constexpr const char* kFlagNoDeterminations = "no-determinations";

// One document per determination of the letter, in letter order (document i has ordinal i); a
// letter without determinations gives one "Unknown" document. `file` is the path the letter id
// is derived from (schema::letter_id_for_path), `content_hash` is schema::hash_hex of its bytes.
// The documents are ready for WritableDatabase::replace_document(schema::doc_id_term(...), doc).
std::vector<Xapian::Document> build_documents(const Letter& letter, const std::string& file,
                                              const std::string& content_hash, const Analyzer& analyzer);

// The key of a letter flag as a term value: "outcome-unreadable: item 2" -> "outcome-unreadable".
std::string flag_key(const std::string& flag);

}  // namespace imr
