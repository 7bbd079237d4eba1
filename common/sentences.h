// Where sentences and paragraphs start among a text's tokens, for the /s and /p connectors.
//
// Published letters come as PDF text: lines wrapped at about 100 characters, no blank line
// between paragraphs. A paragraph ends at a blank line, or at a line that ends a sentence (or a
// label, with ':') well short of the text's full line width, or at a short line before one that
// starts with a capital; in text that is not wrapped (lines far longer than a PDF's), at every
// line end. A sentence ends at '.', '?' or '!' before a word that starts with a capital or a
// digit, unless the word before is an abbreviation ("Dr.", "e.g.", "No.").
#pragma once

#include "analyzer.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace imr {

enum class TokenStart : std::uint8_t { None, Sentence, Paragraph };

// One entry per token: whether it starts a new sentence or paragraph. The first token starts
// neither (the caller knows where its text begins).
std::vector<TokenStart> token_starts(std::string_view text, const std::vector<Token>& tokens);

}  // namespace imr
