// The texts of a stored letter that a search looks in: what a determination's documents index
// (for snippets), the same in the letter's reading order (for a match across a heading), what a
// determination is about (for `similar`), and the words `similar` then looks for.
#pragma once

#include "analyzer.h"
#include "letter.h"

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

// A named piece of a letter's text; views into the Letter, which must outlive it.
struct TextPiece {
    std::string_view name;  // a section name, or "item", "guidelines", "rationale", "shared"
    std::string_view text;
};

// The texts of a letter that the document of determination `ordinal` indexes, in letter order:
// the shared sections, then its item, guidelines and rationale. With `every_item` (Scope::Letter),
// every determination's own texts, since any may hold the match.
std::vector<TextPiece> indexed_texts(const Letter& letter, int ordinal, bool every_item = false);

// The texts as the documents hold them, in the letter's reading order (schema.h), for a match that
// runs across the pieces above: the letter's text cut at each rationale, and the determination's
// block as printed (every determination's, with `every_item`). None when a rationale lies outside
// the letter's text, as in a damaged stored letter.
std::vector<TextPiece> reading_order_texts(const Letter& letter, int ordinal, bool every_item = false);

// The texts that say what a determination is about, for `similar`: its item and rationale (every
// determination's, for a whole letter, when `ordinal` is nullopt); the letter's shared texts when
// those are empty.
std::vector<TextPiece> own_texts(const Letter& letter, std::optional<int> ordinal);

// Relevance feedback: the `count` words of the pieces with the highest tf-idf among `db`'s
// documents, best first; words in more than half of the documents, or shorter than three
// characters, or without a letter, are left out.
std::vector<std::string> feedback_terms(const Xapian::Database& db, const Analyzer& analyzer, const std::vector<TextPiece>& pieces,
                                        std::size_t count);

}  // namespace imr
