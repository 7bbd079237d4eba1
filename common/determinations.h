// The determinations of a letter: each disputed item with its outcome, guidelines and rationale.
#pragma once

#include "citations.h"
#include "guideline_paragraph.h"
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

// The statement of a partly authorized request, as the item of its outcome line: "X was the
// original request. Y was authorized by the Claims Administrator. The remaining IMR eligible
// portion of the original request, Z is" (or "... The Claims Administrator authorized Y, leaving
// the original request IMR eligible. The original request, X is"). The determination is about Z.
struct PartlyAuthorized {
    std::string item;              // Z, the remaining IMR-eligible portion
    std::string original_request;  // X
    std::string authorized;        // Y
};
std::optional<PartlyAuthorized> partly_authorized(std::string_view statement);

// The 2013 sentence "1. Omeprazole 20mg #60 is not medically necessary and appropriate." ->
// Upheld; "... is medically necessary and appropriate." -> Overturned; also "MAXIMUS Federal
// Services, Inc. has determined the request for X is ..." and "... has determined the requested X
// is not medically necessary", with words run together by extraction ("notmedically necessary",
// "ismedically", "medicallynecessary", "andappropriate"). The numbering, the formula and the
// lead-ins "the request for" / "the requested" are dropped from the item; a sentence whose subject
// only refers to a request ("The request is not medically necessary.") has none.
std::optional<OutcomeLine> outcome_sentence(std::string_view paragraph);

// The verdict of a rationale in words: its last statement that the request "is not medically
// necessary" (Upheld) or "is medically necessary" (Overturned); Unknown when it makes none.
Outcome verdict_in_words(std::string_view rationale);

struct DeterminationsFound {
    std::vector<Determination> determinations;
    std::vector<std::string> flags;  // "outcome-unreadable", "no-determinations"
};

// Reads the determinations of a letter already cut into sections (offsets into Letter::text).
// Item-level facts come from the lexicon: drug, category; citations from the reader. Each item's
// printed ranges are its block (Determination::printed), kept only where they hold its guideline
// paragraphs and rationale and nothing of another item's.
DeterminationsFound read_determinations(Layout layout, const std::vector<Section>& sections, const Lexicon& lexicon,
                                        const CitationReader& citations);

}  // namespace imr
