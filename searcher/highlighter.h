// Marks a query's terms in letter text (snippets, letter view): HTML-escaped, matches in <mark>…</mark>.
#pragma once

#include "analyzer.h"
#include "query_parser.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

class Highlighter {
public:
    Highlighter(const Analyzer& analyzer, const Highlight& highlight);

    // One match in analyzed text: tokens [first, last] (a phrase is one match), its byte span,
    // and which query item it matched (for counting distinct matches).
    struct Match {
        std::size_t first_token = 0, last_token = 0;
        std::size_t begin = 0, end = 0;
        std::size_t item = 0;
    };
    struct Analysis {
        std::vector<Token> tokens;
        std::vector<Match> matches;  // in text order, never overlapping
        std::size_t distinct = 0;    // different query items matched
        // How much the matched items say: a word 1, a phrase its length; the snippet shows the
        // window, and the piece, that say the most.
        std::size_t weight = 0;
        // Tokens [first, last] of each place where a proximity search's members all lie, shortest first.
        std::vector<std::pair<std::size_t, std::size_t>> nears;
    };
    Analysis analyze(std::string_view text) const;

    // False when the text cannot hold any match: a byte search that saves tokenizing most of a
    // letter's sections. True for text that is not ASCII, which folding could change.
    bool might_match(std::string_view text) const;

    // The whole text, escaped, with every match marked; runs of white space are kept as they are.
    std::string mark_all(std::string_view text) const;

    // A window of about `words` words around the densest matches of an analysed text: escaped,
    // white space collapsed, "…" where it was cut. Without matches, the text's first words.
    std::string window(std::string_view text, const Analysis& analysis, std::size_t words) const;

private:
    const Analyzer& analyzer_;
    const Highlight& highlight_;
    std::vector<std::vector<std::string>> phrases_;  // longest first
    std::size_t item_count_ = 0;
    std::vector<std::string> needles_;  // lower-case ASCII fragments every match starts with

    std::string render(std::string_view text, std::size_t begin, std::size_t end, const std::vector<Match>& matches,
                       bool collapse_space) const;
    std::size_t item_weight(std::size_t item) const { return item < phrases_.size() ? phrases_[item].size() : 1; }
    void find_nears(std::string_view text, Analysis& a) const;
};

}  // namespace imr
