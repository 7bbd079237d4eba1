// Turns decoded letter text (PDF-extraction noise and all) into the clean text that is indexed and shown.
#pragma once

#include <string>
#include <string_view>

namespace imr {

struct CleanedText {
    // One paragraph per line ("\n" between paragraphs), wrapped lines rejoined, page furniture
    // removed, quotes straightened, runs of spaces collapsed.
    std::string text;
    // The letter's case number ("CM15-0198233"): the labelled one ("Case Number: ..."), else one
    // repeated as page furniture; empty when not printed. The labelled one stays in the text once.
    std::string case_number;
    // Bytes of the text read to decide line-end hyphens: at most the text's size once, however
    // many words are broken (the tests hold the repair to linear work with it).
    std::size_t hyphen_bytes_scanned = 0;
};

// The whole clean-up: characters, line structure, hyphenation, page furniture, run-together words.
CleanedText clean_letter_text(std::string_view utf8);

// CRLF and CR -> LF; NBSP and other spaces -> ' '; curly quotes -> straight; en dash and Unicode
// hyphens -> '-'; ™ ® © dropped (a space kept before a following word); ligatures spelled out;
// zero-width characters, soft hyphens inside lines and form feeds dropped; tabs -> ' '.
std::string normalize_characters(std::string_view utf8);

// Inserts the space lost where two sentences or words were glued: "injury.The" -> "injury. The",
// "2014.In" -> "2014. In", "page 29Muscle" -> "page 29 Muscle", "Texas,California" -> "Texas, California".
// Never touches 9792.20, U.S., e.g., 10/325mg or 350MG.
std::string split_run_together(std::string_view text);

// Whether a line ending in "left-" followed by a line starting with "right" keeps its hyphen
// ("medication-" + "induced", "Non-" + "MTUS", "L4-" + "L5") or is one word broken by
// hyphenation ("medi-" + "cations"). `document` is the whole text, searched for either spelling.
bool keeps_hyphen(std::string_view left, std::string_view right, std::string_view document);

// Whether a case-number-like token starts at `pos`: two capital letters, two digits, '-', 4 to 8
// digits ("CM15-0198233"); returns its length or 0.
std::size_t case_number_length_at(std::string_view text, std::size_t pos);

}  // namespace imr
