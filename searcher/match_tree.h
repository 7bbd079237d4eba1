// What the matcher walks: the project's query tree (query_tree.h) compiled against the index, each
// word resolved to the terms it matches (its stem's indexed forms, a drug's other names, a
// wildcard's completions, a field value's terms). Xapian queries are built beside it only to rank.
//
// The tree is immutable once compiled, so both threads of a split search read the same one (a
// Xapian::Query could not be shared: its reference counts are not thread-safe).
#pragma once

#include "section_check.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace imr {

struct MatchNode {
    enum class Kind {
        All,         // every live determination
        Nothing,     // a wildcard that completes nothing
        Terms,       // the documents holding any of `terms`
        Range,       // the documents whose value in `slot` lies in [low, high]
        And,         // every child
        Or,          // any child
        AndNot,      // the first child without any of the others
        Positional,  // `positional`: a phrase, proximity or section check of token streams
        AtLeast,     // `terms` at least `count` times in the determination's text (or its letter's)
    };

    explicit MatchNode(Kind k = Kind::Nothing) : kind(k) {}

    Kind kind;
    std::vector<std::string> terms;                 // Terms, AtLeast
    std::string field;                              // Range: the field's name, for descriptions
    Xapian::valueno slot = Xapian::BAD_VALUENO;     // Range
    std::string low, high;                          // Range: sortable_serialise'd, empty when open
    std::shared_ptr<const SectionMatch> positional; // Positional
    unsigned count = 0;                             // AtLeast
    bool whole_letter = false;                      // AtLeast: the letter's count (Scope::Letter)
    std::vector<MatchNode> children;                // And, Or, AndNot

    static MatchNode all() { return MatchNode{Kind::All}; }
    static MatchNode nothing() { return MatchNode{Kind::Nothing}; }
    // Any of `terms`; Nothing when there are none.
    static MatchNode any_of(std::vector<std::string> terms);
    static MatchNode of_positional(SectionMatch match);
    // `kind` (And, Or, AndNot) of `children`; one child of And or Or is that child. Terms nodes
    // among an Or's children become one: one pass over their postlists.
    static MatchNode combine(Kind kind, std::vector<MatchNode> children);
};

// The node in a canonical form: what the parser tests compare, and the matcher's cache key (every
// field that changes the answer is in it). Terms as "a|b", phrases and proximities as
// SectionMatch's description ("phrase 2 long term", "near 6 R:soma|carisoprodol denied").
std::string describe(const MatchNode& node);

// A SectionMatch in the same form.
std::string describe(const SectionMatch& match);

// Whether a node is boolean structure over terms alone, readable from postlists.
bool reads_postlists_only(const MatchNode& node);

}  // namespace imr
