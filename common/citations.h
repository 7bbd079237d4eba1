// Guideline citations of a determination: "Decision based on MTUS ... Carisoprodol (Soma), page 29".
#pragma once

#include "letter.h"
#include "lexicon.h"
#include "string_hash.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imr {

// The lexicon's guideline topics, indexed for finding every topic named in a run of text.
class TopicIndex {
public:
    explicit TopicIndex(const Lexicon& lexicon);

    struct Mention {
        std::size_t begin = 0;  // byte offsets in the searched text
        std::size_t end = 0;
        const std::string* topic = nullptr;  // canonical topic name
    };
    // Longest, non-overlapping topic phrases of one source in the text, in order; case and
    // punctuation do not matter, "&" is "and".
    std::vector<Mention> find(std::string_view source, std::string_view text,
                              std::size_t max_mentions = static_cast<std::size_t>(-1)) const;
    // Whether a topic phrase of the source starts at the token beginning at byte `pos`.
    bool topic_starts_at(std::string_view source, std::string_view text, std::size_t pos) const;
    // The same for text already folded into tokens as find() folds it: whether a topic phrase of
    // the source starts at the first of them.
    bool topic_starts(std::string_view source, const std::vector<std::string_view>& folded) const;
    // The most tokens a topic phrase has: no match reads more of the tokens given.
    std::size_t longest_phrase() const { return longest_phrase_; }

    // A topic reduced to what a comparison should see: its canonical topic names joined by ", ",
    // or, when the lexicon knows none, its lower-case letters and digits.
    std::string normalize(std::string_view source, std::string_view topic) const;

private:
    struct Variant {
        std::vector<std::string> tokens;
        const std::string* topic;
    };
    // first token -> variants starting with it, longest first
    using SourceIndex = StringMap<std::vector<Variant>>;
    const Variant* longest_at(const SourceIndex& index, const std::vector<std::string_view>& folded,
                              std::size_t i) const;

    StringMap<SourceIndex> by_source_;
    std::vector<std::string> topics_;  // stable storage for canonical names
    std::size_t longest_phrase_ = 0;
};

struct PageRef {
    std::size_t begin = 0;  // the whole reference, "Page(s): 29, 63-66" or ", page 29"
    std::size_t end = 0;
    std::string pages;  // "29, 63-66"
};

// The page reference starting at `pos` ("Page(s): 29; 65", "pages 63-66", "page 29", "pp. 3-4"),
// with its list normalized to ", " separators.
std::optional<PageRef> page_ref_at(std::string_view text, std::size_t pos);

// Every citation in the guideline text of one determination (one or more "Decision based on ..."
// and "Other Medical Treatment Guideline or Medical Evidence: ..." clauses), de-duplicated by
// source and topic. Topics are the lexicon's canonical names where it knows them.
std::vector<Citation> parse_citations(std::string_view guideline_text, const Lexicon& lexicon,
                                      const TopicIndex& topics);

}  // namespace imr
