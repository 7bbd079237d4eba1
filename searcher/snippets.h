// The snippet of a hit: the best window of the letter's text pieces, its matches marked.
#pragma once

#include "analyzer.h"
#include "highlighter.h"
#include "letter_texts.h"

#include <cstddef>
#include <string>
#include <vector>

namespace imr {

// The best window of `words` words in the piece with the most distinct query items (a proximity's
// place first, then the weightiest items, then a rationale over a summary over the header's item
// lists); when no piece holds any, of the reading-order piece that does (a phrase across a heading
// or a label); when none does either (a filter-only query), the rationale's start, else the first
// piece with text. Empty when every piece is.
std::string make_snippet(const Analyzer& analyzer, const Highlight& highlight, const std::vector<TextPiece>& pieces,
                         const std::vector<TextPiece>& in_reading_order, std::size_t words);

}  // namespace imr
