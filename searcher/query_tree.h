// The project's own query tree: what the grammar reads a query as, before any index is asked.
//
// Precedence follows Westlaw and Lexis, tightest first: OR, then the proximity connectors
// (w/n, pre/n, /s, /p ...), then AND (or a space), then NOT (and NOT, but not, %), which excludes
// the proximity or OR group after it. `describe` writes a tree back as a query in canonical form,
// with every group in parentheses: it is the "interpreted as" a user is shown, and what the
// parser's tests compare.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

// What a proximity connector counts in.
enum class ProximityUnit { Words, Sentence, Paragraph };

struct QueryNode {
    enum class Kind {
        Word,      // a typed word, matched in every form with its stem
        Phrase,    // "exact words", adjacent, unstemmed
        Wildcard,  // carisoprod*, medic! (root), wom?n (one character)
        Field,     // drug:soma, decided:2014..2015
        Section,   // section:rationale <child>
        AtLeast,   // atleast3(word): the word at least n times
        And,
        Or,
        Not,       // the documents without its child
        Prox       // children joined by connectors (one per gap)
    };
    struct Connector {
        ProximityUnit unit = ProximityUnit::Words;
        unsigned distance = 0;  // words; 0 for sentence and paragraph
        bool ordered = false;   // pre/n, +n, +s, +p: the left one first
        std::string typed;      // as typed, for messages
        std::size_t begin = 0;  // byte offset of the connector
    };

    Kind kind;
    std::size_t begin = 0;       // byte offset, for messages
    std::string text;            // Word, Phrase, Wildcard (pattern as typed), Field value, Section name
    std::size_t text_begin = 0;  // byte offset of `text`
    std::string field;           // Field: the name typed, lower case
    unsigned count = 0;          // AtLeast
    std::vector<Connector> connectors;  // Prox: children.size() - 1 of them
    std::vector<std::unique_ptr<QueryNode>> children;

    explicit QueryNode(Kind k) : kind(k) {}
};
using QueryNodePtr = std::unique_ptr<QueryNode>;

// A parsed query: its tree (null when nothing was asked) and the notes on how it was read where
// it could have been meant otherwise ("lowercase \"or\" read as OR ...").
struct QueryTree {
    QueryNodePtr root;
    std::vector<std::string> notices;
};

// Lexes and parses; throws QuerySyntaxError (engine.h) naming the problem and its column.
QueryTree parse_query_tree(std::string_view input);

// The tree as a query in canonical form: upper-case operators, connectors as w/n, pre/n, w/s,
// pre/s, w/p, pre/p, groups in parentheses ("soma AND NOT norco", "(soma OR norco) w/5 denied").
std::string describe(const QueryNode& node);

// Fields of the query language, in the order the error message lists them.
const std::vector<std::string>& query_fields();

// 1-based column of a byte offset, counted in characters.
std::size_t query_column(std::string_view input, std::size_t byte);

}  // namespace imr
