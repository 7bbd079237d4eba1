// The words each document of a letter indexes, in the letter's reading order (schema.h).
#pragma once

#include "analyzer.h"
#include "letter.h"
#include "sentences.h"

#include <string>
#include <vector>

namespace imr {

// One unbroken run of positions: what a reader sees as one run of text. Runs are indexed
// kSectionGap positions apart (document_builder.h), and each starts a paragraph.
struct TextRun {
    struct Term {
        std::string text;                // unprefixed, positional
        std::vector<std::string> parts;  // compound parts, searchable without a place of their own
        char code = '\0';                // schema section code, '\0' for text in no section
        TokenStart start = TokenStart::None;  // within its run; a run's first word starts neither
    };
    std::vector<Term> terms;
};

// The letter document's text: Letter::text as printed, each heading in its place, cut only where a
// determination's rationale lies (that is its own text). A section's body, and the heading before
// it, each start a paragraph; bodies of the shared sections carry their section code. A letter
// whose sections or rationales are not slices of its text is read from those parts instead.
std::vector<TextRun> shared_runs(const Letter& letter, const Analyzer& analyzer);

// A determination document's own text: its block as printed (Determination::printed), one run per
// range, its item's words, guideline paragraphs and rationale carrying their section codes. When
// the letter does not place the block, its item, guideline paragraphs and rationale, one run each.
std::vector<TextRun> own_runs(const Letter& letter, const Determination& d, const Analyzer& analyzer);

}  // namespace imr
