// The query language's lexer and grammar: text -> QueryTree, with the notes on how it was read.
#include "query_tree.h"

#include "engine.h"
#include "schema.h"
#include "text_scan.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace imr {
namespace {

constexpr int kMaxNesting = 64;
constexpr unsigned kMaxDistance = 1000;
constexpr unsigned kDefaultNear = 10;
constexpr unsigned kMaxAtLeast = 1000;

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), ascii_digit); }
std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Lengths of a typed separator at `i`: whitespace, including the no-break space PDFs paste.
std::size_t space_at(std::string_view s, std::size_t i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (s.compare(i, 2, "\xC2\xA0") == 0) return 2;
    return 0;
}
// Length of a double quote at `i`: straight, or the curly pair word processors type.
std::size_t quote_at(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.compare(i, 3, "\xE2\x80\x9C") == 0 || s.compare(i, 3, "\xE2\x80\x9D") == 0) return 3;
    return 0;
}

// ---- Lexer ----------------------------------------------------------------------------------
enum class Tok { Word, Phrase, LParen, RParen, And, Or, Not, Minus, Prox, Field, AtLeast, End };

struct Lexeme {
    Tok kind = Tok::End;
    std::string text;                // Word: the run; Phrase: its content; Field: the value
    std::size_t begin = 0, end = 0;  // bytes of the whole lexeme
    std::size_t text_begin = 0;      // bytes where `text` starts
    QueryNode::Connector connector;  // Prox
    unsigned count = 0;              // AtLeast
    std::string field;               // Field: lower-case name
};

// A query field by its name or alias (schema::find_field), or section:.
bool known_field(std::string_view name) { return name == "section" || schema::find_field(name, schema::kQuery); }

std::string unknown_field(const std::string& name) {
    return "unknown field \"" + name + "\" (fields: " + scan::join(query_fields(), ", ") + ")";
}

class Lexer {
public:
    explicit Lexer(std::string_view input) : in_(input) {}

    std::vector<Lexeme> run() {
        std::vector<Lexeme> out;
        std::size_t i = 0;
        bool after_separator = true;  // start, space or '(' before: where a '-' means NOT
        while (i < in_.size()) {
            if (std::size_t n = space_at(in_, i)) {
                i += n;
                after_separator = true;
                continue;
            }
            const char c = in_[i];
            if (c == '(' || c == ')') {
                out.push_back(simple(c == '(' ? Tok::LParen : Tok::RParen, i, i + 1));
                ++i;
                after_separator = c == '(';
                continue;
            }
            if (quote_at(in_, i)) {
                out.push_back(phrase(i));
                i = out.back().end;
                after_separator = false;
                continue;
            }
            if ((c == '-' || c == '+') && after_separator && i + 1 < in_.size() && !space_at(in_, i + 1) &&
                in_[i + 1] != ')') {
                // "+3", "+s" and "+p" are Westlaw's ordered connectors; "+word" only insists on it.
                if (c == '+') {
                    Lexeme run = bare_run(i);
                    if (run.kind == Tok::Prox) {
                        out.push_back(std::move(run));
                        i = out.back().end;
                        after_separator = false;
                        continue;
                    }
                }
                if (c == '-') out.push_back(simple(Tok::Minus, i, i + 1));
                ++i;
                after_separator = false;
                continue;
            }
            out.push_back(bare_run(i));
            i = out.back().end;
            after_separator = false;
        }
        out.push_back(simple(Tok::End, in_.size(), in_.size()));
        return out;
    }

private:
    std::string_view in_;

    static Lexeme simple(Tok kind, std::size_t begin, std::size_t end) {
        Lexeme l;
        l.kind = kind;
        l.begin = begin;
        l.end = end;
        return l;
    }

    [[noreturn]] void fail(const std::string& message) const { throw QuerySyntaxError(message); }
    std::string col(std::size_t byte) const { return std::to_string(query_column(in_, byte)); }

    // A quoted phrase starting at `open`; the content runs to the next quote of any kind.
    Lexeme phrase(std::size_t open) const {
        const std::size_t content = open + quote_at(in_, open);
        for (std::size_t j = content; j < in_.size(); ++j) {
            if (std::size_t q = quote_at(in_, j)) {
                Lexeme l = simple(Tok::Phrase, open, j + q);
                l.text = std::string(in_.substr(content, j - content));
                l.text_begin = content;
                return l;
            }
        }
        fail("unterminated phrase: the quote at column " + col(open) + " is never closed");
    }

    Lexeme bare_run(std::size_t begin) const {
        std::size_t j = begin;
        while (j < in_.size() && !space_at(in_, j) && in_[j] != '(' && in_[j] != ')' && !quote_at(in_, j)) ++j;
        const std::string_view run = in_.substr(begin, j - begin);

        if (run == "AND" || run == "&") return simple(Tok::And, begin, j);
        if (run == "OR") return simple(Tok::Or, begin, j);
        if (run == "NOT" || run == "%") return simple(Tok::Not, begin, j);
        if (run == "NEAR") return proximity(begin, j, ProximityUnit::Words, kDefaultNear, false, std::string(run));
        if (auto prox = proximity_operator(run, begin, j)) return *prox;
        if (auto at_least = at_least_operator(run, begin, j)) return *at_least;
        if (auto field = field_search(run, begin, j)) return *field;

        Lexeme l = simple(Tok::Word, begin, j);
        l.text = std::string(run);
        l.text_begin = begin;
        return l;
    }

    static Lexeme proximity(std::size_t begin, std::size_t end, ProximityUnit unit, unsigned distance, bool ordered,
                            std::string typed) {
        Lexeme l = simple(Tok::Prox, begin, end);
        l.connector.unit = unit;
        l.connector.distance = distance;
        l.connector.ordered = ordered;
        l.connector.typed = std::move(typed);
        l.connector.begin = begin;
        return l;
    }

    // NEAR/n, w/n, pre/n (Lexis), /n and +n (Westlaw), and the sentence and paragraph forms /s, +s,
    // w/s, pre/s, /p, +p, w/p, pre/p. NEAR/ is always an operator (and its number is checked); w/
    // and pre/ followed by anything but a number, s or p stay words, because "w/o" is common in
    // medical text.
    std::optional<Lexeme> proximity_operator(std::string_view run, std::size_t begin, std::size_t end) const {
        const std::size_t slash = run.find('/');
        std::string name;
        std::string_view number;
        if (!run.empty() && run.front() == '+') {
            name = "+";
            number = run.substr(1);
        } else if (slash == std::string_view::npos) {
            return std::nullopt;
        } else {
            name = ascii_lower(run.substr(0, slash));
            number = run.substr(slash + 1);
        }
        const bool strict = run.substr(0, slash) == "NEAR";
        if (name != "near" && name != "w" && name != "pre" && !name.empty() && name != "+") return std::nullopt;
        const std::string typed(run);
        const bool ordered = name == "pre" || name == "+";
        const std::string unit_word = ascii_lower(number);
        if (name != "near" && (unit_word == "s" || unit_word == "p"))
            return proximity(begin, end, unit_word == "s" ? ProximityUnit::Sentence : ProximityUnit::Paragraph, 0, ordered,
                             typed);
        // "w/o" stays a word; "w/-1", "w/3.5", "w/+3", "w/0x10" and "pre/" were read as words
        // too and matched nothing, silently: anything that starts like a number is an operator.
        const bool looks_numeric = !number.empty() && (ascii_digit(number.front()) || number.front() == '-' ||
                                                        number.front() == '+' || number.front() == '.');
        const std::string shown = name == "near" ? "NEAR/" : name == "+" ? "+" : name + "/";
        if (name.empty() || name == "+") {
            // "/5", "+3": a connector only when a number follows; "/" and "+" alone are punctuation.
            if (!looks_numeric) return std::nullopt;
        }
        const bool bare_operator = number.empty() && name != "w";
        if (!all_digits(number) && (looks_numeric || bare_operator) && !strict)
            fail(shown + "n needs a whole number from 1 to " + std::to_string(kMaxDistance) + ", got \"" +
                 std::string(number) + "\" at column " + col(begin));
        if (!all_digits(number)) {
            if (!strict) return std::nullopt;
            fail("NEAR/n needs a number, got \"" + std::string(number) + "\" at column " + col(begin));
        }
        unsigned distance = 0;
        auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), distance);
        if (ec != std::errc() || ptr != number.data() + number.size() || distance < 1 || distance > kMaxDistance)
            fail(shown + "n needs a number from 1 to " + std::to_string(kMaxDistance) + ", got \"" + std::string(number) +
                 "\" at column " + col(begin));
        return proximity(begin, end, ProximityUnit::Words, distance, ordered, typed);
    }

    // atleastN( ... ): Westlaw's ATLEAST, a word at least N times.
    std::optional<Lexeme> at_least_operator(std::string_view run, std::size_t begin, std::size_t end) const {
        if (run.size() <= 7 || ascii_lower(run.substr(0, 7)) != "atleast" || end >= in_.size() || in_[end] != '(')
            return std::nullopt;
        const std::string_view number = run.substr(7);
        unsigned count = 0;
        auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), count);
        if (!all_digits(number) || ec != std::errc() || ptr != number.data() + number.size() || count < 1 ||
            count > kMaxAtLeast)
            fail("atleast needs a number from 1 to " + std::to_string(kMaxAtLeast) + ", as in atleast3(word), at column " +
                 col(begin));
        Lexeme l = simple(Tok::AtLeast, begin, end);
        l.count = count;
        l.text = std::string(run);
        return l;
    }

    // name:value, name:"quoted value". A word such as "Note:" followed by a space stays a word.
    std::optional<Lexeme> field_search(std::string_view run, std::size_t begin, std::size_t end) const {
        const std::size_t colon = run.find(':');
        if (colon == std::string_view::npos || colon == 0) return std::nullopt;
        const std::string_view raw_name = run.substr(0, colon);
        if (!std::all_of(raw_name.begin(), raw_name.end(), [](char c) { return ascii_alpha(c) || c == '_'; }))
            return std::nullopt;
        const std::string name = ascii_lower(raw_name);
        const std::string_view value = run.substr(colon + 1);

        Lexeme l = simple(Tok::Field, begin, end);
        l.field = name;
        if (value.empty()) {
            const bool quoted_next = end < in_.size() && quote_at(in_, end);
            const bool group_next = end < in_.size() && in_[end] == '(';
            if (!known_field(name)) {
                if (quoted_next || group_next) fail(unknown_field(name));
                return std::nullopt;
            }
            if (quoted_next) {
                Lexeme quoted = phrase(end);
                l.end = quoted.end;
                l.text = quoted.text;
                l.text_begin = quoted.text_begin;
                if (std::all_of(l.text.begin(), l.text.end(), [](char c) { return c == ' ' || c == '\t'; }))
                    fail(name + ": at column " + col(begin) + " needs a value");
                return l;
            }
            if (group_next)
                fail(name + ": at column " + col(begin) + " takes one value; write (" + name + ":a OR " + name + ":b)");
            fail(name + ": at column " + col(begin) + " needs a value");
        }
        if (!known_field(name)) fail(unknown_field(name));
        l.text = std::string(value);
        l.text_begin = begin + colon + 1;
        return l;
    }
};

// Lowercase "or", "and", "not" and "but not" between two terms are read as the operators, as
// Lexis reads them; each reading that changes the results is noted. A "not" that opens the query
// stays a word: "not medically necessary" is a phrase typed without quotes far more often than an
// exclusion.
class OperatorWords {
public:
    OperatorWords(std::string_view input, std::vector<std::string>& notices) : in_(input), notices_(notices) {}

    void apply(std::vector<Lexeme>& lex) {
        for (std::size_t i = 0; i < lex.size(); ++i) {
            if (lex[i].kind != Tok::Word) continue;
            const std::string word = ascii_lower(lex[i].text);
            const Lexeme* prev = i > 0 ? &lex[i - 1] : nullptr;
            const Lexeme* next = i + 1 < lex.size() ? &lex[i + 1] : nullptr;
            const bool between = prev && ends_operand(*prev) && next && starts_operand(*next);
            if (word == "or" && between) {
                lex[i].kind = Tok::Or;
                note("lowercase \"" + lex[i].text + "\" at column " + col(lex[i].begin) +
                     " was read as OR (put it in quotes to search for the word)");
            } else if (word == "and" && prev && ends_operand(*prev) && next &&
                       (starts_operand(*next) || next->kind == Tok::Not ||
                        (next->kind == Tok::Word && ascii_lower(next->text) == "not"))) {
                lex[i].kind = Tok::And;
            } else if (word == "but" && prev && ends_operand(*prev) && next &&
                       (next->kind == Tok::Not || (next->kind == Tok::Word && ascii_lower(next->text) == "not"))) {
                const bool lower = lex[i].text != "BUT" || next->kind == Tok::Word;
                lex.erase(lex.begin() + static_cast<std::ptrdiff_t>(i));
                if (lex[i].kind == Tok::Word) lex[i].kind = Tok::Not;
                if (lower)
                    note("\"but not\" at column " + col(lex[i].begin) +
                         " was read as BUT NOT: the results exclude what follows (put it in quotes to search for the words)");
            } else if (word == "not" && lex[i].text != "NOT") {
                const bool after_and = prev && prev->kind == Tok::And;
                if (after_and && next && starts_operand(*next)) {
                    lex[i].kind = Tok::Not;
                } else if (between) {
                    lex[i].kind = Tok::Not;
                    note("lowercase \"" + lex[i].text + "\" at column " + col(lex[i].begin) +
                         " was read as NOT: the results exclude what follows it (put it in quotes to search for the word)");
                } else if ((!prev || prev->kind == Tok::LParen) && next && starts_operand(*next)) {
                    note("\"" + lex[i].text + "\" at column " + col(lex[i].begin) +
                         " was read as a word; to exclude what follows, write NOT in capitals after another term; "
                         "for the exact words, use quotes");
                }
            }
        }
    }

private:
    std::string_view in_;
    std::vector<std::string>& notices_;

    static bool ends_operand(const Lexeme& l) {
        return (l.kind == Tok::Word && !is_operator_word(l.text)) || l.kind == Tok::Phrase || l.kind == Tok::RParen ||
               l.kind == Tok::Field;
    }
    static bool starts_operand(const Lexeme& l) {
        return (l.kind == Tok::Word && !is_operator_word(l.text)) || l.kind == Tok::Phrase || l.kind == Tok::LParen ||
               l.kind == Tok::Field || l.kind == Tok::Minus || l.kind == Tok::AtLeast;
    }
    static bool is_operator_word(std::string_view text) {
        const std::string w = ascii_lower(text);
        return w == "or" || w == "and" || w == "not";
    }
    void note(std::string message) { notices_.push_back(std::move(message)); }
    std::string col(std::size_t byte) const { return std::to_string(query_column(in_, byte)); }
};

// ---- Grammar --------------------------------------------------------------------------------
class Grammar {
public:
    Grammar(std::string_view input, std::vector<Lexeme> lexemes, std::vector<std::string>& notices)
        : in_(input), lex_(std::move(lexemes)), notices_(notices) {}

    // Null when the query holds nothing at all.
    QueryNodePtr parse() {
        QueryNodePtr root = parse_and(0);
        if (peek().kind == Tok::RParen) fail("unbalanced parenthesis at column " + col(peek().begin));
        if (peek().kind != Tok::End) fail("unexpected " + shown(peek()) + " at column " + col(peek().begin));
        if (root) note_precedence(*root, nullptr);
        return root;
    }

private:
    std::string_view in_;
    std::vector<Lexeme> lex_;
    std::vector<std::string>& notices_;
    std::size_t pos_ = 0;
    std::vector<const QueryNode*> grouped_;  // nodes the user put in parentheses
    bool precedence_noted_ = false;

    const Lexeme& peek(std::size_t ahead = 0) const { return lex_[std::min(pos_ + ahead, lex_.size() - 1)]; }
    const Lexeme& take() { return lex_[std::min(pos_++, lex_.size() - 1)]; }
    [[noreturn]] void fail(const std::string& message) const { throw QuerySyntaxError(message); }
    std::string col(std::size_t byte) const { return std::to_string(query_column(in_, byte)); }

    std::string shown(const Lexeme& l) const {
        switch (l.kind) {
        case Tok::And: return "AND";
        case Tok::Or: return "OR";
        case Tok::Not: return "NOT";
        case Tok::Minus: return "-";
        case Tok::LParen: return "\"(\"";
        case Tok::RParen: return "\")\"";
        case Tok::End: return "end of query";
        default: return std::string(in_.substr(l.begin, l.end - l.begin));
        }
    }

    static bool ends_operand(Tok t) { return t == Tok::End || t == Tok::RParen || t == Tok::Or || t == Tok::And; }

    void need_operand_after(const Lexeme& op) const {
        const Tok next = peek().kind;
        if (ends_operand(next) || next == Tok::Prox)
            fail(shown(op) + " at column " + col(op.begin) + " needs a term after it");
    }

    static QueryNodePtr make(QueryNode::Kind kind, std::size_t begin) {
        auto node = std::make_unique<QueryNode>(kind);
        node->begin = begin;
        return node;
    }

    // An OR inside an AND or a proximity, or a group after NOT, that the user did not put in
    // parentheses: the Westlaw and Lexis order may not be the one meant, so the reading is shown.
    void note_precedence(const QueryNode& node, const QueryNode* parent) {
        const bool loose = std::find(grouped_.begin(), grouped_.end(), &node) == grouped_.end();
        if (!precedence_noted_ && parent && loose &&
            ((node.kind == QueryNode::Kind::Or &&
              (parent->kind == QueryNode::Kind::And || parent->kind == QueryNode::Kind::Prox ||
               parent->kind == QueryNode::Kind::Not)) ||
             (node.kind == QueryNode::Kind::Prox && parent->kind == QueryNode::Kind::Not))) {
            precedence_noted_ = true;
            notices_.push_back("OR binds before the proximity connectors, and they before AND and NOT, as on Westlaw "
                               "and Lexis: the query was read as " +
                               describe(*root_of_notes_) + " (use parentheses to group otherwise)");
        }
        for (const auto& child : node.children) note_precedence(*child, &node);
    }
    const QueryNode* root_of_notes_ = nullptr;

    QueryNodePtr parse_and(int depth) {
        std::vector<QueryNodePtr> items;
        while (true) {
            const Tok t = peek().kind;
            if (t == Tok::End || t == Tok::RParen) break;
            if (t == Tok::And) {
                const Lexeme& op = take();
                if (items.empty()) fail("AND at column " + col(op.begin) + " needs a term before it");
                need_operand_after(op);
                continue;
            }
            if (t == Tok::Not) {
                const Lexeme& op = take();
                need_operand_after(op);
                if (peek().kind == Tok::Not || peek().kind == Tok::Minus)
                    fail(shown(op) + " at column " + col(op.begin) + " is followed by another negation");
                auto node = make(QueryNode::Kind::Not, op.begin);
                node->children.push_back(parse_proximity(depth));
                items.push_back(std::move(node));
                continue;
            }
            items.push_back(parse_proximity(depth));
        }
        if (items.empty()) return nullptr;
        QueryNodePtr result;
        if (items.size() == 1) {
            result = std::move(items.front());
        } else {
            result = make(QueryNode::Kind::And, items.front()->begin);
            result->children = std::move(items);
        }
        if (depth == 0) root_of_notes_ = result.get();
        return result;
    }

    QueryNodePtr parse_proximity(int depth) {
        QueryNodePtr left = parse_or(depth);
        if (peek().kind != Tok::Prox) return left;
        auto node = make(QueryNode::Kind::Prox, left->begin);
        node->children.push_back(std::move(left));
        while (peek().kind == Tok::Prox) {
            const Lexeme& op = take();
            need_operand_after(op);
            if (peek().kind == Tok::Not || peek().kind == Tok::Minus)
                fail(op.connector.typed + " at column " + col(op.begin) + " cannot join a negated term");
            node->connectors.push_back(op.connector);
            node->children.push_back(parse_or(depth));
        }
        return node;
    }

    QueryNodePtr parse_or(int depth) {
        if (peek().kind == Tok::Or) fail("OR at column " + col(peek().begin) + " needs a term before it");
        QueryNodePtr first = parse_unit(depth);
        if (peek().kind != Tok::Or) return first;
        auto node = make(QueryNode::Kind::Or, first->begin);
        node->children.push_back(std::move(first));
        while (peek().kind == Tok::Or) {
            const Lexeme& op = take();
            need_operand_after(op);
            if (peek().kind == Tok::Not) fail("OR at column " + col(op.begin) + " cannot be followed by NOT; write -word");
            node->children.push_back(parse_unit(depth));
        }
        return node;
    }

    QueryNodePtr parse_unit(int depth) {
        if (peek().kind != Tok::Minus) return parse_primary(depth);
        const Lexeme& op = take();
        need_operand_after(op);
        if (peek().kind == Tok::Not || peek().kind == Tok::Minus)
            fail(shown(op) + " at column " + col(op.begin) + " is followed by another negation");
        auto node = make(QueryNode::Kind::Not, op.begin);
        node->children.push_back(parse_primary(depth));
        return node;
    }

    QueryNodePtr parse_primary(int depth) {
        const Lexeme& l = peek();
        switch (l.kind) {
        case Tok::LParen: {
            if (depth >= kMaxNesting) fail("too many nested parentheses at column " + col(l.begin));
            const std::size_t open = take().begin;
            QueryNodePtr inner = parse_and(depth + 1);
            if (peek().kind != Tok::RParen) fail("unbalanced parenthesis at column " + col(open));
            take();
            if (!inner) fail("empty parentheses at column " + col(open));
            grouped_.push_back(inner.get());
            return inner;
        }
        case Tok::Phrase: {
            take();
            auto node = make(QueryNode::Kind::Phrase, l.begin);
            node->text = l.text;
            node->text_begin = l.text_begin;
            return node;
        }
        case Tok::Word: {
            take();
            if (l.text.find_first_not_of("*!") == std::string::npos)
                fail("the wildcard \"" + l.text + "\" at column " + col(l.begin) +
                     " needs at least 2 letters before a trailing * or !");
            // A '?' that ends a word is a question mark, not Lexis's one-character wildcard.
            const std::size_t question = l.text.find('?');
            // Punctuation alone ("?!.") is no wildcard: it has no words, which the compiler says.
            const bool has_word = std::any_of(l.text.begin(), l.text.end(), [](char c) {
                return ascii_alpha(c) || ascii_digit(c) || static_cast<unsigned char>(c) >= 0x80;
            });
            const bool wildcard = l.text.size() > 1 && has_word &&
                                  (l.text.find_first_of("*!") != std::string::npos ||
                                   (question != std::string::npos && question + 1 < l.text.size()));
            auto node = make(wildcard ? QueryNode::Kind::Wildcard : QueryNode::Kind::Word, l.begin);
            node->text = l.text;
            node->text_begin = l.text_begin;
            return node;
        }
        case Tok::AtLeast: {
            take();
            const std::size_t open = peek().begin;
            take();  // the '(' the lexer saw
            const Lexeme& inner = peek();
            if (inner.kind != Tok::Word && inner.kind != Tok::Phrase)
                fail(l.text + " at column " + col(l.begin) + " takes one word, as in atleast3(soma)");
            take();
            if (peek().kind != Tok::RParen) {
                if (peek().kind == Tok::End) fail("unbalanced parenthesis at column " + col(open));
                fail(l.text + " at column " + col(l.begin) + " takes one word, as in atleast3(soma)");
            }
            take();
            auto node = make(QueryNode::Kind::AtLeast, l.begin);
            node->count = l.count;
            node->text = inner.text;
            node->text_begin = inner.text_begin;
            return node;
        }
        case Tok::Field: {
            take();
            if (l.field == "section") {
                auto node = make(QueryNode::Kind::Section, l.begin);
                node->text = l.text;
                node->text_begin = l.text_begin;
                const Tok next = peek().kind;
                if (next != Tok::Word && next != Tok::Phrase && next != Tok::LParen)
                    fail("section:" + l.text + " at column " + col(l.begin) +
                         " needs a word, a phrase or a group in parentheses after it");
                node->children.push_back(parse_primary(depth + 1));
                return node;
            }
            auto node = make(QueryNode::Kind::Field, l.begin);
            node->field = l.field;
            node->text = l.text;
            node->text_begin = l.text_begin;
            return node;
        }
        case Tok::RParen: fail("unbalanced parenthesis at column " + col(l.begin));
        case Tok::Prox: fail(l.connector.typed + " at column " + col(l.begin) + " needs a term before it");
        case Tok::Or:
        case Tok::And: fail(shown(l) + " at column " + col(l.begin) + " needs a term before it");
        case Tok::Not: fail("NOT at column " + col(l.begin) + " cannot stand here; write -word");
        default: fail("unexpected " + shown(l) + " at column " + col(l.begin));
        }
    }
};

std::string connector_text(const QueryNode::Connector& c) {
    const std::string op = c.ordered ? "pre/" : "w/";
    switch (c.unit) {
    case ProximityUnit::Sentence: return op + "s";
    case ProximityUnit::Paragraph: return op + "p";
    case ProximityUnit::Words: break;
    }
    return op + std::to_string(c.distance);
}

bool needs_quotes(std::string_view value) {
    return value.empty() || value.find_first_of(" \t()\"") != std::string_view::npos;
}

}  // namespace

std::size_t query_column(std::string_view input, std::size_t byte) {
    std::size_t column = 1;
    for (std::size_t i = 0; i < byte && i < input.size(); ++i)
        if ((static_cast<unsigned char>(input[i]) & 0xC0) != 0x80) ++column;
    return column;
}

const std::vector<std::string>& query_fields() {
    static const std::vector<std::string> fields = [] {
        std::vector<std::string> names;
        for (auto name : schema::names_with(schema::kQuery)) names.emplace_back(name);
        names.emplace_back("section");  // not a fact: where in the letter (section_check.h)
        return names;
    }();
    return fields;
}

QueryTree parse_query_tree(std::string_view input) {
    QueryTree tree;
    std::vector<Lexeme> lexemes = Lexer(input).run();
    OperatorWords(input, tree.notices).apply(lexemes);
    tree.root = Grammar(input, std::move(lexemes), tree.notices).parse();
    return tree;
}

std::string describe(const QueryNode& node) {
    using Kind = QueryNode::Kind;
    // A child that binds looser than its parent's operator is put in parentheses.
    auto inner = [](const QueryNode& child, Kind parent) {
        const bool group = child.children.size() > 1 &&
                           (child.kind == Kind::And || (child.kind == Kind::Or && parent != Kind::Or) ||
                            (child.kind == Kind::Prox && parent != Kind::And));
        const bool group_not = child.kind == Kind::Not && parent == Kind::Prox;
        return group || group_not ? "(" + describe(child) + ")" : describe(child);
    };
    switch (node.kind) {
    case Kind::Word:
    case Kind::Wildcard: return node.text;
    case Kind::Phrase: return "\"" + node.text + "\"";
    case Kind::Field: return node.field + ":" + (needs_quotes(node.text) ? "\"" + node.text + "\"" : node.text);
    case Kind::Section: {
        const QueryNode& child = *node.children.front();
        const bool group = child.children.size() > 1 || child.kind == Kind::Not;
        return "section:" + node.text + " " + (group ? "(" + describe(child) + ")" : describe(child));
    }
    case Kind::AtLeast: return "atleast" + std::to_string(node.count) + "(" + node.text + ")";
    case Kind::Not: {
        const QueryNode& child = *node.children.front();
        return "NOT " + (child.children.size() > 1 ? "(" + describe(child) + ")" : describe(child));
    }
    case Kind::And: {
        std::string out;
        for (std::size_t i = 0; i < node.children.size(); ++i) out += (i ? " AND " : "") + inner(*node.children[i], Kind::And);
        return out;
    }
    case Kind::Or: {
        std::string out;
        for (std::size_t i = 0; i < node.children.size(); ++i) out += (i ? " OR " : "") + inner(*node.children[i], Kind::Or);
        return out;
    }
    case Kind::Prox: {
        std::string out = inner(*node.children.front(), Kind::Prox);
        for (std::size_t i = 1; i < node.children.size(); ++i)
            out += " " + connector_text(node.connectors[i - 1]) + " " + inner(*node.children[i], Kind::Prox);
        return out;
    }
    }
    return {};
}

}  // namespace imr
