// The one text analyzer, on ICU, that both the indexer and the query side use.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

struct Token {
    std::string term;   // NFKC-normalized and case-folded: "soma", "10/325", "l5-s1", "9792.20", "#60"
    std::size_t begin = 0;  // byte offsets of the token in the analyzed text, for snippets
    std::size_t end = 0;
    // Searchable pieces of a compound token, without positions of their own:
    // "10/325" -> {"10", "325"}, "l5-s1" -> {"l5", "s1"}, "#60" -> {"60"}.
    std::vector<std::string> parts;
};

class Analyzer {
public:
    Analyzer();
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    // UAX #29 words of UTF-8 text, normalized and folded, with compounds kept whole
    // (10/325, 350mg, L5-S1, C5-6, 9792.20, #60). Not thread-safe: use one Analyzer per thread.
    std::vector<Token> tokenize(std::string_view utf8) const;
    // English (Porter2) stem of an already folded term, as Xapian::Stem("english") gives it.
    std::string stem(const std::string& term) const;
    // Normalize and fold one string as tokenize() would (for facet values and field terms).
    std::string fold(std::string_view utf8) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace imr
