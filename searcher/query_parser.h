// The search query language: a recursive-descent parser that tokenizes every text run with imr::Analyzer.
//
// Syntax (documented for users in the README and `imr-search --help`; the grammar is query_tree.h):
//   soma denied             free text; words are ANDed (what attorneys expect) and ranked by BM25;
//                           words are stemmed ("denied" finds "denial"), brand and generic drug
//                           names find each other ("soma" finds "carisoprodol")
//   "long-term use"         exact phrase: unstemmed, positional, the same tokens the indexer made
//   a OR b, a AND b, a & b, NOT a, a % b, a BUT NOT b, -a, ( ... )   boolean operators; lowercase
//                           and/or/not between terms too, with a notice; OR binds first
//   a NEAR/5 b, a w/5 b, a /5 b      a within 5 words of b, either order (NEAR alone means NEAR/10)
//   a pre/5 b, a +5 b       a before b, within 5 words
//   a /s b, a w/s b, a +s b, a /p b, a w/p b, a +p b    in one sentence or paragraph (+: in order)
//   carisoprod*, medic!     root expansion (the 100 most frequent completions)
//   wom?n, wom*n            one character inside a word
//   atleast3(soma)          the word (any form) at least 3 times in the determination's text
//   drug:soma decision:overturned class:opioid category:surgery specialty:"pain management"
//   guideline:mtus guideline:"muscle relaxants" state:texas year:2015 sex:female case:CM15-0198233
//   section:rationale "long-term use"       text inside one section of the letter
//   decided:2014-01-01..2014-12-31 injured:..2010 denied:2015 age:50..65   ranges (partial dates ok)
// Field searches filter and never change the ranking.
#pragma once

#include "analyzer.h"
#include "engine.h"
#include "lexicon.h"
#include "match_tree.h"
#include "query_tree.h"

#include <xapian.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace imr {

// A field value that can never be right (decision:maybe, decided:2014-13). what() is
// "<problem> (<hint>)"; the parser puts the column between the two.
struct FieldValueError : BadRequest {
    FieldValueError(const std::string& problem_text, const std::string& hint_text)
        : BadRequest(hint_text.empty() ? problem_text : problem_text + " (" + hint_text + ")"),
          problem(problem_text), hint(hint_text) {}
    std::string problem, hint;
};

// What the parser needs to know about the index: the Xapian database in the engine, a fake in tests.
class QueryVocabulary {
public:
    virtual ~QueryVocabulary() = default;
    // Terms that start with `prefix`, most frequent first, at most `limit` of them.
    virtual std::vector<std::string> terms_with_prefix(const std::string& prefix, std::size_t limit) const = 0;
    // The indexed words whose English stem is `stem`, sorted; stems are not indexed (schema.h).
    virtual std::vector<std::string> words_with_stem(const std::string& stem) const = 0;
};

// What to mark in snippets and letter views.
struct Highlight {
    std::vector<std::string> terms;   // exact folded tokens (phrase words, proximity words)
    std::vector<std::string> stems;   // a token whose stem is listed here is marked (free words)
    std::vector<std::vector<std::string>> phrases;  // token sequences marked as one unit
    std::vector<std::string> prefixes;              // wildcard prefixes, folded
    // Proximity searches: a snippet shows one place where all their members lie close enough.
    struct Near {
        std::vector<std::vector<std::string>> slots;  // each member's indexed forms
        std::vector<char> follows;  // per slot: right after the one before it (a phrase's next word)
        unsigned window = 0;                          // words: last - first < window
        bool ordered = false;
        ProximityUnit unit = ProximityUnit::Words;
    };
    std::vector<Near> nears;
    bool empty() const { return terms.empty() && stems.empty() && phrases.empty() && prefixes.empty() && nears.empty(); }
};

// One word the user typed, for "did you mean": where it is in the query and its folded term.
struct TypedWord {
    std::string term;
    std::size_t begin = 0, end = 0;  // byte offsets in the query string
    // Some indexed word has its stem ("deny" finds "denied"): no spelling suggestion replaces it.
    bool has_forms = false;
};

struct ParsedQuery {
    MatchNode match;              // what the matcher walks (match_tree.h)
    // Only for ranking: its weighted terms (ranker.h); Query::MatchAll when nothing was asked.
    Xapian::Query ranking;
    bool match_all = false;       // the query selects everything (empty, or only punctuation)
    bool ranked = false;          // holds weighted text, so relevance order means something
    Highlight highlight;
    std::vector<TypedWord> words;  // free-text and phrase words, in query order
    // The query as it was read, in canonical form (query_tree.h describe), and the notes on each
    // reading that could have been meant otherwise; both empty for an empty query.
    std::string interpreted_as;
    std::vector<std::string> notices;
};

class QueryParser {
public:
    // `vocabulary` may be null: wildcards inside NEAR and guideline topics then cannot be expanded
    // and match nothing.
    QueryParser(const Analyzer& analyzer, const Lexicon& lexicon, const QueryVocabulary* vocabulary);

    // Throws QuerySyntaxError with a message naming the problem and its column (1-based, in characters).
    // The scope matters to atleastN(word), whose count is the whole letter's in Scope::Letter.
    ParsedQuery parse(std::string_view input, Scope scope = Scope::Determination) const;

    // The boolean query for one facet filter value as the engine's filters and the `field:` syntax
    // resolve it: drug takes a brand, generic or one ingredient; guideline a source or a topic.
    // Throws FieldValueError for values that can never be right (decision:maybe, year:abc).
    Xapian::Query field_query(const std::string& field, const std::string& value) const;
    // The same as the matcher reads it: the field's terms, or its value range.
    MatchNode field_match(const std::string& field, const std::string& value) const;

    // Every name (generic, brand, alias) of the drugs a free-text word names; empty when none.
    std::vector<std::string> drug_synonyms(const std::string& folded_name) const;

    const Lexicon& lexicon() const { return lexicon_; }

    // Whether a query may cost far more than most (a proximity chain of three or more words, a
    // wide window, a wildcard in a proximity): the engine admits such searches one at a time, so
    // a cheap search never waits behind them. Lexes only; a query that does not lex is not costly.
    static bool looks_costly(std::string_view input);

    // How many completions a wildcard expands to, at most.
    static constexpr std::size_t kWildcardLimit = 100;

private:
    const Analyzer& analyzer_;
    const Lexicon& lexicon_;
    const QueryVocabulary* vocabulary_;
    // Folded drug name (tokens joined by one space) -> indexes into lexicon_.drugs().
    std::map<std::string, std::vector<std::size_t>> drug_names_;
    std::vector<std::string> guideline_sources_;  // folded: "mtus", "odg", ...

    friend class QueryCompiler;
};

}  // namespace imr
