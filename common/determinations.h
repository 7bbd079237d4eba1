// The determinations of a letter: each disputed item with its outcome, guidelines and rationale.
#pragma once

#include "citations.h"
#include "letter.h"
#include "lexicon.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

struct OutcomeLine {
    std::string item;
    Outcome outcome = Outcome::Unknown;
    std::size_t end = 0;  // where the outcome statement ends in the scanned text
};

// "<item>:  Upheld" / "<item>: Overturned" (the LAST such colon, so "Soma 350mg QTY: 15: Upheld"
// keeps its quantity); the statement may be followed by more text on the same line.
std::optional<OutcomeLine> outcome_line(std::string_view paragraph);

// The 2013 sentence "1. Omeprazole 20mg #60 is not medically necessary and appropriate." ->
// Upheld; "... is medically necessary and appropriate." -> Overturned. The numbering is dropped.
std::optional<OutcomeLine> outcome_sentence(std::string_view paragraph);

// The verdict of a rationale in words: its last statement that the request "is not medically
// necessary" (Upheld) or "is medically necessary" (Overturned); Unknown when it makes none.
Outcome verdict_in_words(std::string_view rationale);

struct DeterminationsFound {
    std::vector<Determination> determinations;
    std::vector<std::string> flags;  // "outcome-unreadable", "no-determinations"
};

// Reads the determinations of a letter already cut into sections (offsets into Letter::text).
// Item-level facts come from the lexicon: drug, category, citation sources and topics.
DeterminationsFound read_determinations(Layout layout, const std::vector<Section>& sections, const Lexicon& lexicon,
                                        const TopicIndex& topics);

}  // namespace imr
