// Sentence and paragraph starts of a text's tokens, from punctuation and the shape of its lines.
#include "sentences.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

// The text with a mark before each token that starts something: "|" a sentence, "¶" a paragraph.
std::string marked(const std::string& text) {
    static const imr::Analyzer analyzer;
    const auto tokens = analyzer.tokenize(text);
    const auto starts = imr::token_starts(text, tokens);
    std::string out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0) out += ' ';
        if (starts[i] == imr::TokenStart::Sentence) out += "| ";
        if (starts[i] == imr::TokenStart::Paragraph) out += "\xC2\xB6 ";
        out += tokens[i].term;
    }
    return out;
}

// Lines wrapped at about 90 characters, as the published PDFs' text comes.
const std::string kWrapped =
    "The injured worker is a 48 year old male who sustained an industrial injury on the job site. The\n"
    "worker was treated for neck strain and right shoulder pain with physical therapy and rest\n"
    "and medication. Dr. Smith saw him twice.\n"
    "MRI of the right shoulder without contrast: Upheld\n"
    "Claims Administrator guideline: Decision based on MTUS Shoulder Complaints 2004.\n"
    "Decision rationale: The guidelines state that imaging is for red flags, e.g. tumor. No red\n"
    "flag was documented in the records from the treating physician at the last visit in May.\n";

}  // namespace

TEST_CASE("sentences start after . ? ! before a capital or a digit, not after an abbreviation") {
    struct Case {
        const char* text;
        const char* expected;
    };
    const Case cases[] = {
        {"Soma was denied. Norco was approved.", "soma was denied | norco was approved"},
        {"Is it needed? Yes! It is.", "is it needed | yes | it is"},
        {"Seen by Dr. Smith on Monday.", "seen by dr smith on monday"},
        {"Tumor, e.g. Sarcoma.", "tumor e.g sarcoma"},
        {"Page(s): 64. Decision rationale: Baclofen", "page s 64 | decision rationale baclofen"},
        {"The dose was 10 mg. 30 tablets were given.", "the dose was 10 mg | 30 tablets were given"},
        {"version 9792.20 applies", "version 9792.20 applies"},
        {"a sentence. lower case goes on", "a sentence lower case goes on"},
        {"Said \"yes.\" Then left.", "said yes | then left"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) { CHECK(marked(c.text) == c.expected); }
    }
}

TEST_CASE("paragraphs start at blank lines, short lines that end a clause, and every line of unwrapped text") {
    SUBCASE("wrapped PDF text") {
        CHECK(marked(kWrapped) ==
              "the injured worker is a 48 year old male who sustained an industrial injury on the job site | the "
              "worker was treated for neck strain and right shoulder pain with physical therapy and rest "
              "and medication | dr smith saw him twice \xC2\xB6 mri of the right shoulder without contrast upheld "
              "\xC2\xB6 claims administrator guideline decision based on mtus shoulder complaints 2004 "
              "\xC2\xB6 decision rationale the guidelines state that imaging is for red flags e.g tumor | no red "
              "flag was documented in the records from the treating physician at the last visit in may");
    }
    SUBCASE("a blank line") { CHECK(marked("First part\n\nSecond part") == "first part \xC2\xB6 second part"); }
    SUBCASE("text that is not wrapped: a paragraph a line") {
        std::string long_line = "word";
        while (long_line.size() < 140) long_line += " word";
        std::string expected = long_line + " \xC2\xB6 next line";
        CHECK(marked(long_line + "\nnext line") == expected);
    }
    SUBCASE("one token, or none") {
        CHECK(marked("alone") == "alone");
        CHECK(marked("") == "");
    }
}
