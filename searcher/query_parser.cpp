// The query language: a lexer, a recursive-descent grammar and its compilation to Xapian::Query.
#include "query_parser.h"

#include "query_tree.h"

#include "encoding.h"
#include "schema.h"
#include "section_check.h"
#include "text_scan.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

namespace imr {
namespace {

using scan::join;

constexpr std::size_t kMaxQueryBytes = 4096;
// The cost bound of a proximity chain (issue 19): its members and the words its window spans.
// Checking a chain reads every window of every candidate, so both are held to what a user means.
constexpr std::size_t kMaxProximityMembers = 8;
constexpr unsigned kMaxProximityWindow = 1000;
// Longer words are dropped by the analyzer (analyzer.cpp), on both sides.
constexpr std::size_t kMaxWordBytes = 64;
// Guideline and specialty values are few (hundreds); this only bounds a pathological index.
constexpr std::size_t kMaxFieldValues = 100000;
// Words read to fit a pattern with a wildcard inside ("wom?n"): those of its prefix, most frequent first.
constexpr std::size_t kPatternCandidates = 50000;

std::size_t column_of(std::string_view input, std::size_t byte) { return query_column(input, byte); }

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}
std::string_view scan_trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// A match-all query of its own: match_all() is one static object whose reference
// count (not atomic) every copy shares, so searches parsing on several threads raced on it (TSan).
Xapian::Query match_all() { return Xapian::Query(std::string()); }

bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), ascii_digit); }

Xapian::Query combine(Xapian::Query::op op, const std::vector<Xapian::Query>& parts, Xapian::termcount window = 0) {
    if (parts.size() == 1 && op != Xapian::Query::OP_PHRASE && op != Xapian::Query::OP_NEAR) return parts.front();
    return Xapian::Query(op, parts.begin(), parts.end(), window);
}

// ---- Field values ---------------------------------------------------------------------------
struct DateBound {
    int value = 0;  // YYYYMMDD
};

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// "2014", "2014-03" or "2014-03-09"; the first or the last day it covers.
std::optional<int> parse_date_bound(std::string_view s, bool upper) {
    int year = 0, month = 0, day = 0;
    auto number = [](std::string_view part, int& out) {
        if (!all_digits(part)) return false;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
        return ec == std::errc() && p == part.data() + part.size();
    };
    const std::size_t dash1 = s.find('-');
    const std::string_view y = s.substr(0, dash1);
    if (y.size() != 4 || !number(y, year) || year < 1900 || year > 2999) return std::nullopt;
    if (dash1 == std::string_view::npos) return year * 10000 + (upper ? 1231 : 101);
    const std::string_view rest = s.substr(dash1 + 1);
    const std::size_t dash2 = rest.find('-');
    const std::string_view m = rest.substr(0, dash2);
    if (m.empty() || m.size() > 2 || !number(m, month) || month < 1 || month > 12) return std::nullopt;
    if (dash2 == std::string_view::npos) return year * 10000 + month * 100 + (upper ? days_in_month(year, month) : 1);
    const std::string_view d = rest.substr(dash2 + 1);
    if (d.empty() || d.size() > 2 || !number(d, day) || day < 1 || day > days_in_month(year, month))
        return std::nullopt;
    return year * 10000 + month * 100 + day;
}

std::optional<int> parse_small_number(std::string_view s) {
    int value = 0;
    if (!all_digits(s) || s.size() > 3) return std::nullopt;
    std::from_chars(s.data(), s.data() + s.size(), value);
    return value;
}

// NAME:a..b, NAME:a.., NAME:..b or NAME:a of a field with a value slot: a date or a number.
MatchNode range_match(const schema::Field& field, const std::string& value) {
    const std::string name(field.name);
    const bool date = field.type == schema::Type::Date;
    const std::size_t dots = value.find("..");
    const std::string_view low = dots == std::string::npos ? std::string_view(value) : std::string_view(value).substr(0, dots);
    const std::string_view high = dots == std::string::npos ? std::string_view(value) : std::string_view(value).substr(dots + 2);
    if (low.empty() && high.empty()) throw FieldValueError(name + ": needs a bound", std::string("as in ") + name + (date ? ":2014..2015" : ":50..65"));
    auto bound = [&](std::string_view text, bool upper) -> std::optional<double> {
        if (text.empty()) return std::nullopt;
        std::optional<int> parsed = date ? parse_date_bound(text, upper) : parse_small_number(text);
        if (!parsed) {
            if (date)
                throw FieldValueError("bad date \"" + std::string(text) + "\" in " + name + ":",
                                      "expected YYYY, YYYY-MM or YYYY-MM-DD");
            throw FieldValueError("bad number \"" + std::string(text) + "\" in " + name + ":", "expected 0 to 999");
        }
        return static_cast<double>(*parsed);
    };
    const auto lo = bound(low, false);
    const auto hi = bound(high, true);
    if (lo && hi && *lo > *hi) throw FieldValueError("empty range \"" + value + "\" in " + name + ":", "the start is after the end");
    MatchNode node{MatchNode::Kind::Range};
    node.field = name;
    node.slot = field.slot;
    if (lo) node.low = Xapian::sortable_serialise(*lo);
    if (hi) node.high = Xapian::sortable_serialise(*hi);
    return node;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// Whether `value` holds `words` starting at a word boundary: "pain" is in "pain management" and
// "chronic pain", not in "spain".
bool contains_words(std::string_view value, std::string_view words) {
    if (words.empty()) return false;
    for (std::size_t at = value.find(words); at != std::string_view::npos; at = value.find(words, at + 1)) {
        if (at == 0) return true;
        const char before = value[at - 1];
        if (!ascii_alpha(before) && !ascii_digit(before)) return true;
    }
    return false;
}

Xapian::Query any_term(const std::vector<std::string>& terms) {
    std::vector<Xapian::Query> parts;
    for (const auto& t : terms) parts.emplace_back(t);
    if (parts.empty()) return Xapian::Query();
    return combine(Xapian::Query::OP_OR, parts);
}

// A field's match as a Xapian query: its terms, or its value range.
Xapian::Query xapian_of(const MatchNode& node) {
    if (node.kind == MatchNode::Kind::Terms) return any_term(node.terms);
    if (node.kind != MatchNode::Kind::Range) return Xapian::Query();
    if (!node.low.empty() && !node.high.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, node.slot, node.low, node.high);
    if (!node.low.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, node.slot, node.low);
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, node.slot, node.high);
}

}  // namespace

QueryParser::QueryParser(const Analyzer& analyzer, const Lexicon& lexicon, const QueryVocabulary* vocabulary)
    : analyzer_(analyzer), lexicon_(lexicon), vocabulary_(vocabulary) {
    const auto& drugs = lexicon_.drugs();
    auto key_of = [&](const std::string& name) {
        std::vector<std::string> terms;
        for (const Token& t : analyzer_.tokenize(name)) terms.push_back(t.term);
        return join(terms, " ");
    };
    for (std::size_t i = 0; i < drugs.size(); ++i) {
        std::vector<std::string> names{drugs[i].generic};
        names.insert(names.end(), drugs[i].brands.begin(), drugs[i].brands.end());
        names.insert(names.end(), drugs[i].aliases.begin(), drugs[i].aliases.end());
        // An ingredient's name finds the combinations that hold it, as the drug filter does:
        // "hydrocodone" finds letters that only say Norco.
        if (drugs[i].ingredients.size() > 1)
            names.insert(names.end(), drugs[i].ingredients.begin(), drugs[i].ingredients.end());
        for (const auto& name : names) {
            std::string key = key_of(name);
            if (key.empty()) continue;
            auto& list = drug_names_[key];
            if (std::find(list.begin(), list.end(), i) == list.end()) list.push_back(i);
        }
    }
    for (const auto& topic : lexicon_.guideline_topics()) add_unique(guideline_sources_, analyzer_.fold(topic.source));
}

std::vector<std::string> QueryParser::drug_synonyms(const std::string& folded_name) const {
    std::vector<std::string> names;
    auto it = drug_names_.find(folded_name);
    if (it == drug_names_.end()) return names;
    const auto& drugs = lexicon_.drugs();
    for (std::size_t i : it->second) {
        add_unique(names, drugs[i].generic);
        for (const auto& b : drugs[i].brands) add_unique(names, b);
        for (const auto& a : drugs[i].aliases) add_unique(names, a);
    }
    return names;
}

MatchNode QueryParser::field_match(const std::string& name, const std::string& raw_value) const {
    const schema::Field* registered = schema::find_field(name, schema::kQuery);
    if (!registered) throw FieldValueError("unknown field \"" + name + "\"", "fields: " + join(query_fields(), ", "));
    const std::string field(registered->name);
    const std::string value(scan_trim(raw_value));
    if (value.empty()) throw FieldValueError("empty value for " + field + ":", "");
    if (registered->slot != schema::kNoSlot) return range_match(*registered, value);

    const std::string folded = analyzer_.fold(value);
    if (!registered->choices.empty() &&
        std::find(registered->choices.begin(), registered->choices.end(), folded) == registered->choices.end())
        throw FieldValueError("unknown " + field + " \"" + value + "\"", scan::or_list(registered->choices));
    auto one = [&](std::string_view prefix, const std::string& v) { return MatchNode::any_of({schema::field_term(prefix, v)}); };

    if (field == "drug") {
        std::vector<std::string> terms;
        for (const DrugEntry* entry : lexicon_.drugs_matching(value)) add_unique(terms, schema::field_term(schema::kDrug, entry->generic));
        add_unique(terms, schema::field_term(schema::kDrug, value));
        add_unique(terms, schema::field_term(schema::kIngredient, value));
        add_unique(terms, schema::field_term(schema::kBrand, value));
        return MatchNode::any_of(std::move(terms));
    }
    if (field == "year") {
        const std::size_t dots = folded.find("..");
        const std::string first = dots == std::string::npos ? folded : folded.substr(0, dots);
        const std::string last = dots == std::string::npos ? folded : folded.substr(dots + 2);
        if (first.size() != 4 || !all_digits(first) || last.size() != 4 || !all_digits(last))
            throw FieldValueError("bad year \"" + value + "\"", "expected YYYY or YYYY..YYYY");
        const int from = std::stoi(first), to = std::stoi(last);
        if (from > to) throw FieldValueError("empty range \"" + value + "\" in year:", "the start is after the end");
        std::vector<std::string> terms;
        for (int y = from; y <= to; ++y) terms.push_back(std::string(schema::kYear) + std::to_string(y));
        return MatchNode::any_of(std::move(terms));
    }
    if (field == "state") return one(schema::kState, lexicon_.canonical_state(value).value_or(value));
    if (field == "specialty" || field == "guideline") {
        // An exact value, or every indexed value that contains the words typed:
        // specialty:pain finds "pain management", guideline:"muscle relaxants" every source's topic.
        const bool guideline = field == "guideline";
        const std::string_view prefix = guideline ? schema::kGuideline : schema::kSpecialty;
        std::vector<std::string> terms;
        if (guideline) {
            std::vector<std::string> sources = guideline_sources_;
            if (vocabulary_)
                for (const auto& t : vocabulary_->terms_with_prefix(std::string(schema::kGuideSource), kMaxFieldValues))
                    add_unique(sources, t.substr(schema::kGuideSource.size()));
            if (std::find(sources.begin(), sources.end(), folded) != sources.end())
                return one(schema::kGuideSource, folded);
        }
        const auto canonical = guideline ? std::nullopt : lexicon_.canonical_specialty(value);
        add_unique(terms, schema::field_term(prefix, canonical.value_or(value)));
        if (vocabulary_) {
            const std::string wanted = schema::field_term("", value);
            for (const auto& t : vocabulary_->terms_with_prefix(std::string(prefix), kMaxFieldValues))
                if (contains_words(std::string_view(t).substr(prefix.size()), wanted)) add_unique(terms, t);
            std::sort(terms.begin(), terms.end());
        }
        return MatchNode::any_of(std::move(terms));
    }
    // Any other field: its one term.
    return one(registered->prefix, value);
}

Xapian::Query QueryParser::field_query(const std::string& name, const std::string& value) const {
    return xapian_of(field_match(name, value));
}

// ---- Compilation ----------------------------------------------------------------------------
class QueryCompiler {
public:
    QueryCompiler(const QueryParser& parser, std::string_view input, ParsedQuery& out, Scope scope)
        : p_(parser), in_(input), out_(out), scope_(scope) {}

    struct Compiled {
        Xapian::Query query;  // for ranking only
        MatchNode match;      // what the matcher walks
        bool boolean = false;  // no weight of its own: a field search, a range, a negation
    };

    std::optional<Compiled> compile(const QueryNode& node, const std::string& scope) {
        switch (node.kind) {
        case QueryNode::Kind::Word: return word(node, scope);
        case QueryNode::Kind::Phrase: return phrase(node, scope);
        case QueryNode::Kind::Wildcard: return wildcard(node, scope);
        case QueryNode::Kind::Field: return field(node, scope);
        case QueryNode::Kind::Section: return section(node, scope);
        case QueryNode::Kind::And: return conjunction(node, scope);
        case QueryNode::Kind::Or: return disjunction(node, scope);
        case QueryNode::Kind::Not: {
            auto inner = negated(*node.children.front(), scope);
            if (!inner) return std::nullopt;
            return Compiled{Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), inner->query),
                            MatchNode::combine(MatchNode::Kind::AndNot, {MatchNode::all(), std::move(inner->match)}), true};
        }
        case QueryNode::Kind::Prox: return proximity(node, scope);
        case QueryNode::Kind::AtLeast: return at_least(node, scope);
        }
        return std::nullopt;
    }

private:
    const QueryParser& p_;
    std::string_view in_;
    ParsedQuery& out_;
    Scope scope_;
    int negation_depth_ = 0;

    [[noreturn]] void fail(const std::string& message) const { throw QuerySyntaxError(message); }
    std::string col(std::size_t byte) const { return std::to_string(column_of(in_, byte)); }

    // The analyzer drops a word longer than kMaxWordBytes; dropped from a query, it left the rest
    // to match (or everything, alone). Such a word is an error instead.
    void check_long_words(const std::string& text, const std::vector<Token>& tokens, std::size_t text_begin) const {
        auto word_byte = [](char c) { return ascii_alpha(c) || ascii_digit(c) || static_cast<unsigned char>(c) >= 0x80; };
        for (std::size_t i = 0; i < text.size();) {
            if (!word_byte(text[i])) {
                ++i;
                continue;
            }
            const std::size_t start = i;
            while (i < text.size() && word_byte(text[i])) ++i;
            if (i - start <= kMaxWordBytes) continue;
            const bool covered = std::any_of(tokens.begin(), tokens.end(),
                                             [&](const Token& t) { return t.begin <= start && start < t.end; });
            if (!covered)
                fail("the word at column " + col(text_begin + start) + " is " + std::to_string(i - start) +
                     " bytes long; no indexed word is longer than " + std::to_string(kMaxWordBytes));
        }
    }

    void note_words(const std::vector<Token>& tokens, std::size_t text_begin) {
        for (const Token& t : tokens) out_.words.push_back({t.term, text_begin + t.begin, text_begin + t.end});
    }
    // What a negation excludes is not marked in snippets.
    std::optional<Compiled> negated(const QueryNode& node, const std::string& scope) {
        ++negation_depth_;
        auto compiled = compile(node, scope);
        --negation_depth_;
        return compiled;
    }
    void mark_term(const std::string& term) {
        if (negation_depth_ == 0) add_unique(out_.highlight.terms, term);
    }
    void mark_stem(const std::string& stem) {
        if (negation_depth_ == 0) add_unique(out_.highlight.stems, stem);
    }
    // A free word: every indexed word with its stem, as one synonym (stems are not indexed, see
    // schema.h); the word itself when none is indexed, or when there is no vocabulary to ask.
    Compiled stem_of(const std::string& word) {
        std::vector<std::string> words = forms_of(word);
        Xapian::Query ranking = words.size() == 1 ? Xapian::Query(words.front())
                                                  : combine(Xapian::Query::OP_SYNONYM, std::vector<Xapian::Query>(words.begin(), words.end()));
        return Compiled{std::move(ranking), MatchNode::any_of(std::move(words)), false};
    }
    // The indexed words with the stem of `word` (marked for snippets), or `word` alone when none is.
    std::vector<std::string> forms_of(const std::string& word) {
        const std::string stem = p_.analyzer_.stem(word);
        mark_stem(stem);
        std::vector<std::string> words;
        if (p_.vocabulary_) words = p_.vocabulary_->words_with_stem(stem);
        if (words.empty()) return {word};
        return words;
    }
    // Whether a typed word has indexed forms, so that "did you mean" leaves it alone.
    void note_forms(const std::string& term) {
        if (!out_.words.empty() && out_.words.back().term == term && p_.vocabulary_ &&
            !p_.vocabulary_->words_with_stem(p_.analyzer_.stem(term)).empty())
            out_.words.back().has_forms = true;
    }
    void mark_prefix(const std::string& prefix) {
        if (negation_depth_ == 0) add_unique(out_.highlight.prefixes, prefix);
    }
    void mark_phrase(const std::vector<Token>& tokens) {
        if (negation_depth_ > 0) return;
        std::vector<std::string> terms;
        for (const Token& t : tokens) terms.push_back(t.term);
        if (std::find(out_.highlight.phrases.begin(), out_.highlight.phrases.end(), terms) == out_.highlight.phrases.end())
            out_.highlight.phrases.push_back(std::move(terms));
    }

    // The words as a phrase; inside section: (scope is the section's code) also checked against
    // the document's section spans.
    // With `possessives`, a word of several also matches its possessive ("the patient" finds "the
    // patient's"), which a reader takes for the same words.
    Compiled phrase_of(const std::vector<Token>& tokens, const std::string& scope, bool possessives = false) {
        std::vector<std::vector<std::string>> slots;
        for (const Token& t : tokens) {
            slots.push_back({t.term});
            if (possessives && tokens.size() > 1)
                for (auto& form : possessive_forms(t.term)) slots.back().push_back(std::move(form));
        }
        std::vector<Xapian::Query> parts;
        for (const auto& slot : slots) parts.push_back(any_term(slot));
        Xapian::Query plain = parts.size() == 1 ? parts.front()
                                                : Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                                                                static_cast<Xapian::termcount>(parts.size()));
        if (scope.empty() && slots.size() == 1) return Compiled{std::move(plain), MatchNode::any_of(std::move(slots.front())), false};
        SectionMatch match;
        match.kind = SectionMatch::Kind::Phrase;
        match.window = static_cast<Xapian::termcount>(tokens.size());
        for (auto& slot : slots) match.slots.push_back({std::move(slot), {}, scope.empty() ? '\0' : scope.front()});
        return Compiled{std::move(plain), MatchNode::of_positional(std::move(match)), false};
    }

    // "patient's" and "workers'" when the index holds them: forms with the word's stem that are
    // the word and an apostrophe.
    std::vector<std::string> possessive_forms(const std::string& term) const {
        std::vector<std::string> out;
        if (!p_.vocabulary_ || term.empty() || term.ends_with('\'') || term.ends_with("'s")) return out;
        for (auto& w : p_.vocabulary_->words_with_stem(p_.analyzer_.stem(term)))
            if (w == term + "'s" || w == term + "'") out.push_back(std::move(w));
        return out;
    }

    std::optional<Compiled> word(const QueryNode& node, const std::string& scope) {
        const std::vector<Token> tokens = p_.analyzer_.tokenize(node.text);
        check_long_words(node.text, tokens, node.text_begin);
        if (tokens.empty()) return std::nullopt;
        note_words(tokens, node.text_begin);
        out_.ranked = true;
        if (tokens.size() > 1 || !scope.empty()) {
            // "long-term" typed as a word is the phrase the analyzer made of it; section text has no stems.
            if (tokens.size() > 1) mark_phrase(tokens);
            else mark_term(tokens.front().term);
            return phrase_of(tokens, scope);
        }
        const std::string& term = tokens.front().term;
        note_forms(term);
        Compiled stemmed = stem_of(term);
        std::vector<Xapian::Query> alternatives{stemmed.query};
        std::vector<MatchNode> matches;
        matches.push_back(std::move(stemmed.match));
        std::vector<std::string> seen{stemmed.query.get_description()};
        for (const std::string& name : p_.drug_synonyms(term)) {
            const std::vector<Token> name_tokens = p_.analyzer_.tokenize(name);
            if (name_tokens.empty()) continue;
            Compiled alternative;
            if (name_tokens.size() == 1) {
                alternative = stem_of(name_tokens.front().term);
            } else {
                alternative = phrase_of(name_tokens, "");
                mark_phrase(name_tokens);
            }
            std::string description = alternative.query.get_description();
            if (std::find(seen.begin(), seen.end(), description) != seen.end()) continue;
            seen.push_back(std::move(description));
            alternatives.push_back(alternative.query);
            matches.push_back(std::move(alternative.match));
        }
        return Compiled{combine(Xapian::Query::OP_SYNONYM, alternatives), MatchNode::combine(MatchNode::Kind::Or, std::move(matches)),
                        false};
    }

    std::optional<Compiled> phrase(const QueryNode& node, const std::string& scope) {
        const std::vector<Token> tokens = p_.analyzer_.tokenize(node.text);
        check_long_words(node.text, tokens, node.text_begin);
        if (tokens.empty()) fail("the phrase at column " + col(node.begin) + " has no words");
        note_words(tokens, node.text_begin);
        out_.ranked = true;
        if (tokens.size() == 1) mark_term(tokens.front().term);
        else mark_phrase(tokens);
        return phrase_of(tokens, scope, true);
    }

    // A wildcard as typed: "carisoprod*" and "medic!" (root expansion: any completion), "wom?n"
    // and "wom*n" (one character inside a word).
    struct Pattern {
        std::string prefix;   // folded, before the first wildcard character
        std::string rest;     // folded, after it: '?' stands for one character
        bool open = false;    // any completion may follow
        bool inner() const { return !rest.empty(); }
    };

    Pattern wildcard_pattern(const QueryNode& node) const {
        std::string_view typed = node.text;
        Pattern p;
        while (!typed.empty() && (typed.back() == '*' || typed.back() == '!')) {
            typed.remove_suffix(1);
            p.open = true;
        }
        const std::string folded = p_.analyzer_.fold(typed);
        const std::size_t first = folded.find_first_of("*?!");
        if (first != std::string::npos && folded[first] == '!')
            fail("the root expander ! at column " + col(node.begin) + " goes at the end of a word, as in medic!");
        p.prefix = folded.substr(0, first);
        if (first != std::string::npos) {
            p.rest = folded.substr(first);
            std::replace(p.rest.begin(), p.rest.end(), '*', '?');
            if (p.rest.find('!') != std::string::npos)
                fail("the root expander ! at column " + col(node.begin) + " goes at the end of a word, as in medic!");
        }
        if (column_of(p.prefix, p.prefix.size()) - 1 < 2)
            fail("the wildcard \"" + node.text + "\" at column " + col(node.begin) + " needs at least 2 letters before " +
                 (p.inner() ? "its first ? or *" : "a trailing * or !"));
        return p;
    }

    // Whether `term` (which starts with the prefix) fits the rest of the pattern.
    static bool fits(const Pattern& p, std::string_view term) {
        std::string_view tail = term.substr(p.prefix.size());
        for (const char c : p.rest) {
            if (tail.empty()) return false;
            if (c == '?') {
                // One character: a UTF-8 lead byte and its continuation bytes.
                std::size_t n = 1;
                while (n < tail.size() && (static_cast<unsigned char>(tail[n]) & 0xC0) == 0x80) ++n;
                tail.remove_prefix(n);
            } else {
                if (tail.front() != c) return false;
                tail.remove_prefix(1);
            }
        }
        return p.open || tail.empty();
    }

    // The indexed words a pattern stands for, most frequent first, at most kWildcardLimit.
    std::vector<std::string> wildcard_terms(const Pattern& p) const {
        if (!p.inner()) return p_.vocabulary_->terms_with_prefix(p.prefix, QueryParser::kWildcardLimit);
        std::vector<std::string> out;
        for (auto& t : p_.vocabulary_->terms_with_prefix(p.prefix, kPatternCandidates)) {
            if (!fits(p, t)) continue;
            out.push_back(std::move(t));
            if (out.size() == QueryParser::kWildcardLimit) break;
        }
        return out;
    }

    std::optional<Compiled> wildcard(const QueryNode& node, const std::string& scope) {
        const Pattern pattern = wildcard_pattern(node);
        out_.ranked = true;
        // Without a vocabulary to expand it (tests), a prefix is expanded by the stream check itself.
        auto scoped = [&](Xapian::Query plain, std::vector<std::string> terms) {
            if (scope.empty() && !terms.empty()) return Compiled{std::move(plain), MatchNode::any_of(std::move(terms)), false};
            SectionMatch match;
            std::string wildcard = terms.empty() ? pattern.prefix : std::string();
            match.slots.push_back({std::move(terms), std::move(wildcard), scope.empty() ? '\0' : scope.front()});
            return Compiled{std::move(plain), MatchNode::of_positional(std::move(match)), false};
        };
        if (!p_.vocabulary_) {
            if (pattern.inner()) return Compiled{Xapian::Query(), MatchNode::nothing(), false};
            mark_prefix(pattern.prefix);
            return scoped(Xapian::Query(Xapian::Query::OP_WILDCARD, pattern.prefix, QueryParser::kWildcardLimit,
                                        Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT),
                          {});
        }
        // Expanded here rather than by Xapian, so that counting and ranking see the same terms.
        const auto terms = wildcard_terms(pattern);
        if (pattern.inner()) {
            for (const auto& t : terms) mark_term(t);
        } else {
            mark_prefix(pattern.prefix);
        }
        std::vector<Xapian::Query> parts(terms.begin(), terms.end());
        if (parts.empty()) return Compiled{Xapian::Query(), MatchNode::nothing(), false};
        return scoped(combine(Xapian::Query::OP_SYNONYM, parts), terms);
    }

    std::optional<Compiled> field(const QueryNode& node, const std::string& scope) {
        if (!scope.empty())
            fail(node.field + ": at column " + col(node.begin) + " cannot be used inside section:");
        try {
            MatchNode match = p_.field_match(node.field, node.text);
            Xapian::Query query = xapian_of(match);
            return Compiled{std::move(query), std::move(match), true};
        } catch (const FieldValueError& e) {
            fail(e.problem + " at column " + col(node.begin) + (e.hint.empty() ? "" : " (" + e.hint + ")"));
        }
    }

    std::optional<Compiled> section(const QueryNode& node, const std::string& scope) {
        if (!scope.empty()) fail("section: at column " + col(node.begin) + " is already inside section:");
        return compile(*node.children.front(), section_prefix(node));
    }

    // The code of the section a section: node names ("R" for rationale).
    std::string section_prefix(const QueryNode& node) const {
        std::string name = ascii_lower(node.text);
        if (name == "guideline") name = "guidelines";
        std::string code;
        std::vector<std::string> names;
        for (const auto& s : schema::kSectionCodes) {
            names.emplace_back(s.name);
            if (s.name == name) code = s.code;
        }
        if (code.empty())
            fail("unknown section \"" + node.text + "\" at column " + col(node.begin) + " (sections: " + join(names, ", ") + ")");
        return code;
    }

    std::optional<Compiled> conjunction(const QueryNode& node, const std::string& scope) {
        std::vector<Xapian::Query> text, filters, negatives;
        std::vector<MatchNode> required, excluded;
        for (const auto& child : node.children) {
            if (child->kind == QueryNode::Kind::Not) {
                if (auto inner = negated(*child->children.front(), scope)) {
                    negatives.push_back(inner->query);
                    excluded.push_back(std::move(inner->match));
                }
                continue;
            }
            auto compiled = compile(*child, scope);
            if (!compiled) continue;
            (compiled->boolean ? filters : text).push_back(compiled->query);
            required.push_back(std::move(compiled->match));
        }
        if (text.empty() && filters.empty() && negatives.empty()) return std::nullopt;
        Xapian::Query result;
        bool boolean = text.empty();
        if (!text.empty()) {
            result = combine(Xapian::Query::OP_AND, text);
            if (!filters.empty()) result = Xapian::Query(Xapian::Query::OP_FILTER, result, combine(Xapian::Query::OP_AND, filters));
        } else if (!filters.empty()) {
            result = combine(Xapian::Query::OP_AND, filters);
        } else {
            result = match_all();
        }
        if (!negatives.empty())
            result = Xapian::Query(Xapian::Query::OP_AND_NOT, result, combine(Xapian::Query::OP_OR, negatives));
        MatchNode match = required.empty() ? MatchNode::all() : MatchNode::combine(MatchNode::Kind::And, std::move(required));
        if (!excluded.empty()) {
            excluded.insert(excluded.begin(), std::move(match));
            match = MatchNode::combine(MatchNode::Kind::AndNot, std::move(excluded));
        }
        return Compiled{result, std::move(match), boolean};
    }

    std::optional<Compiled> disjunction(const QueryNode& node, const std::string& scope) {
        std::vector<Compiled> parts;
        for (const auto& child : node.children)
            if (auto compiled = compile(*child, scope)) parts.push_back(*compiled);
        if (parts.empty()) return std::nullopt;
        const bool all_boolean = std::all_of(parts.begin(), parts.end(), [](const Compiled& c) { return c.boolean; });
        std::vector<Xapian::Query> queries;
        std::vector<MatchNode> matches;
        for (auto& part : parts) {
            // A field search ORed with text must not add weight of its own to the documents it finds.
            queries.push_back(part.boolean && !all_boolean ? Xapian::Query(0.0, part.query) : part.query);
            matches.push_back(std::move(part.match));
        }
        return Compiled{combine(Xapian::Query::OP_OR, queries), MatchNode::combine(MatchNode::Kind::Or, std::move(matches)),
                        all_boolean};
    }

    // One member of a proximity chain: the alternatives for one word position.
    struct Slot {
        std::vector<std::string> terms;
        char section = '\0';  // the code of the section this member must lie in, or '\0'
        bool follows = false;  // right after the previous slot: a phrase's second and later words
    };

    void proximity_slots(const QueryNode& node, const std::string& scope, const std::string& op,
                         std::vector<Slot>& slots, unsigned& extra_width) {
        // A word joined by a connector matches the forms it matches alone (its stem's indexed words,
        // a drug's other one-word names); a phrase's words, and the pieces of a hyphenated word,
        // stay exact, as in a phrase.
        auto add_tokens = [&](const std::vector<Token>& tokens, bool forms) {
            for (const Token& t : tokens) {
                Slot slot;
                if (!scope.empty()) slot.section = scope.front();
                slot.follows = &t != &tokens.front();
                if (forms && tokens.size() == 1) {
                    note_forms(t.term);
                    for (const auto& w : forms_of(t.term)) add_unique(slot.terms, w);
                    for (const std::string& name : p_.drug_synonyms(t.term)) {
                        const auto name_tokens = p_.analyzer_.tokenize(name);
                        if (name_tokens.size() != 1) continue;  // a connector joins single words only
                        for (const auto& w : forms_of(name_tokens.front().term)) add_unique(slot.terms, w);
                    }
                } else {
                    slot.terms.push_back(t.term);
                    mark_term(t.term);
                }
                slots.push_back(std::move(slot));
            }
            if (tokens.size() > 1) extra_width += static_cast<unsigned>(tokens.size() - 1);
        };
        switch (node.kind) {
        case QueryNode::Kind::Word:
        case QueryNode::Kind::Phrase: {
            const auto tokens = p_.analyzer_.tokenize(node.text);
            check_long_words(node.text, tokens, node.text_begin);
            if (tokens.empty()) fail(op + " joins \"" + node.text + "\", which has no words");
            note_words(tokens, node.text_begin);
            add_tokens(tokens, node.kind == QueryNode::Kind::Word);
            return;
        }
        case QueryNode::Kind::Wildcard: {
            const Pattern pattern = wildcard_pattern(node);
            Slot slot;
            if (!scope.empty()) slot.section = scope.front();
            if (p_.vocabulary_) slot.terms = wildcard_terms(pattern);
            if (pattern.inner()) {
                for (const auto& t : slot.terms) mark_term(t);
            } else {
                mark_prefix(pattern.prefix);
            }
            slots.push_back(std::move(slot));
            return;
        }
        case QueryNode::Kind::Section: {
            // section:rationale soma w/5 denied: each member is checked against its own section,
            // so one member can be scoped and the others not.
            if (!scope.empty()) fail("section: at column " + col(node.begin) + " is already inside section:");
            proximity_slots(*node.children.front(), section_prefix(node), op, slots, extra_width);
            return;
        }
        case QueryNode::Kind::Or: {
            // (soma OR carisoprodol) w/5 denied: alternatives for one position.
            Slot slot;
            if (!scope.empty()) slot.section = scope.front();
            for (const auto& child : node.children) {
                std::vector<Slot> inner;
                unsigned inner_extra = 0;
                if (child->kind != QueryNode::Kind::Word && child->kind != QueryNode::Kind::Wildcard)
                    fail(op + " can join an OR of single words, not " + describe(*child));
                proximity_slots(*child, scope, op, inner, inner_extra);
                if (inner.size() != 1) fail(op + " can join an OR of single words, not " + describe(*child));
                for (const auto& t : inner.front().terms) add_unique(slot.terms, t);
            }
            slots.push_back(std::move(slot));
            return;
        }
        default: fail(op + " joins words, phrases and wildcards, not " + describe(node));
        }
    }

    std::string describe(const QueryNode& node) const {
        switch (node.kind) {
        case QueryNode::Kind::Field: return node.field + ": (column " + col(node.begin) + ")";
        case QueryNode::Kind::Section: return "section: (column " + col(node.begin) + ")";
        case QueryNode::Kind::And: return "an AND group (column " + col(node.begin) + ")";
        case QueryNode::Kind::Or: return "an OR group (column " + col(node.begin) + ")";
        case QueryNode::Kind::Not: return "a negation (column " + col(node.begin) + ")";
        case QueryNode::Kind::Prox: return "another proximity (column " + col(node.begin) + ")";
        default: return "\"" + node.text + "\" (column " + col(node.begin) + ")";
        }
    }

    std::optional<Compiled> proximity(const QueryNode& node, const std::string& scope) {
        std::vector<Slot> slots;
        unsigned width = 1;
        const ProximityUnit unit = node.connectors.front().unit;
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            const auto& c = node.connectors[i == 0 ? 0 : i - 1];
            const std::string op = c.typed + " at column " + col(c.begin);
            if (c.unit != unit)
                fail(op + " counts in " + unit_name(c.unit) + ", and " + node.connectors.front().typed + " at column " +
                     col(node.connectors.front().begin) + " in " + unit_name(unit) +
                     ": one chain of connectors counts in one unit");
            proximity_slots(*node.children[i], scope, op, slots, width);
        }
        bool ordered = true;
        for (const auto& c : node.connectors) {
            width += c.distance;
            ordered = ordered && c.ordered;
        }
        if (unit != ProximityUnit::Words) return in_unit(node, slots, unit, ordered);
        if (slots.size() > kMaxProximityMembers)
            fail("the proximity search at column " + col(node.begin) + " joins " + std::to_string(slots.size()) +
                 " words; at most " + std::to_string(kMaxProximityMembers) + " can be joined");
        if (width > kMaxProximityWindow + 1)
            fail("the proximity search at column " + col(node.begin) + " spans " + std::to_string(width - 1) +
                 " words; the limit is " + std::to_string(kMaxProximityWindow));
        return positional(slots, width, ordered, ProximityUnit::Words);
    }

    // The members as one proximity check for the matcher, and their words for ranking.
    Compiled positional(const std::vector<Slot>& slots, unsigned width, bool ordered, ProximityUnit unit) {
        out_.ranked = true;
        std::vector<Xapian::Query> parts;
        SectionMatch match;
        // Members in order with no room between them are a phrase, which has a faster check.
        const bool phrase = ordered && unit == ProximityUnit::Words && width <= slots.size();
        match.kind = phrase ? SectionMatch::Kind::Phrase : ordered ? SectionMatch::Kind::Ordered : SectionMatch::Kind::Near;
        match.window = width;
        match.unit = unit;
        for (const Slot& slot : slots) {
            // A wildcard that completes nothing.
            if (slot.terms.empty()) return Compiled{Xapian::Query(), MatchNode::nothing(), false};
            parts.push_back(any_term(slot.terms));
            match.slots.push_back({slot.terms, {}, slot.section, slot.follows});
        }
        mark_near(slots, unit == ProximityUnit::Words ? width : 0, ordered, unit);
        return Compiled{Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()), MatchNode::of_positional(std::move(match)),
                        false};
    }

    void mark_near(const std::vector<Slot>& slots, unsigned window, bool ordered, ProximityUnit unit) {
        if (negation_depth_ > 0) return;
        Highlight::Near near;
        for (const Slot& slot : slots) {
            near.slots.push_back(slot.terms);
            near.follows.push_back(slot.follows ? 1 : 0);
        }
        near.window = window;
        near.ordered = ordered;
        near.unit = unit;
        out_.highlight.nears.push_back(std::move(near));
    }

    std::optional<Compiled> at_least(const QueryNode& node, const std::string& scope) {
        if (!scope.empty()) fail("atleast at column " + col(node.begin) + " cannot be used inside section:");
        const std::vector<Token> tokens = p_.analyzer_.tokenize(node.text);
        check_long_words(node.text, tokens, node.text_begin);
        if (tokens.size() != 1)
            fail("atleast" + std::to_string(node.count) + "( at column " + col(node.begin) + " takes one word, as in atleast3(soma)");
        note_words(tokens, node.text_begin);
        note_forms(tokens.front().term);
        out_.ranked = true;
        std::vector<std::string> terms = forms_of(tokens.front().term);
        Xapian::Query words = combine(Xapian::Query::OP_SYNONYM, std::vector<Xapian::Query>(terms.begin(), terms.end()));
        MatchNode match{MatchNode::Kind::AtLeast};
        match.terms = std::move(terms);
        match.count = node.count;
        match.whole_letter = scope_ == Scope::Letter;
        return Compiled{std::move(words), std::move(match), false};
    }

    static std::string unit_name(ProximityUnit unit) {
        switch (unit) {
        case ProximityUnit::Sentence: return "sentences";
        case ProximityUnit::Paragraph: return "paragraphs";
        case ProximityUnit::Words: break;
        }
        return "words";
    }

    // /s, /p and their forms: members in one sentence or paragraph, whatever the words between.
    Compiled in_unit(const QueryNode& node, const std::vector<Slot>& slots, ProximityUnit unit, bool ordered) {
        if (slots.size() > kMaxProximityMembers)
            fail("the proximity search at column " + col(node.begin) + " joins " + std::to_string(slots.size()) +
                 " words; at most " + std::to_string(kMaxProximityMembers) + " can be joined");
        return positional(slots, 0, ordered, unit);
    }
};


namespace {
struct CostCount {
    std::size_t operators = 0, wildcards = 0, phrases = 0, sections = 0, units = 0;
    unsigned span = 0;
    void add(const QueryNode& node) {
        switch (node.kind) {
        case QueryNode::Kind::Prox:
            for (const auto& c : node.connectors) {
                ++operators;
                span += c.distance;
                if (c.unit != ProximityUnit::Words) ++units;
            }
            break;
        case QueryNode::Kind::Wildcard: ++wildcards; break;
        case QueryNode::Kind::Phrase: ++phrases; break;
        case QueryNode::Kind::Section: ++sections; break;
        default: break;
        }
        for (const auto& child : node.children) add(*child);
    }
};
}  // namespace

bool QueryParser::looks_costly(std::string_view input) {
    if (input.size() > kMaxQueryBytes) return false;
    try {
        const QueryTree tree = parse_query_tree(input);
        if (!tree.root) return false;
        CostCount c;
        c.add(*tree.root);
        // Each phrase, proximity and section check reads the candidates' streams again; a few
        // are what users type, dozens are what stalls a core (measured: 36 section phrases, 1.5 s).
        // A sentence or paragraph connector decodes every candidate's stream and its breaks.
        return c.operators >= 2 || c.span > 20 || (c.operators > 0 && c.wildcards > 0) || c.wildcards > 3 ||
               c.phrases + c.operators + c.sections > 4 || c.units > 0;
    } catch (const QuerySyntaxError&) {
        return false;
    }
}

ParsedQuery QueryParser::parse(std::string_view input, Scope scope) const {
    if (input.size() > kMaxQueryBytes)
        throw QuerySyntaxError("the query is too long (" + std::to_string(input.size()) + " bytes; the limit is " +
                               std::to_string(kMaxQueryBytes) + ")");
    // Bytes that are not UTF-8 or are control characters (other than whitespace) were dropped by
    // the analyzer, so "soma\x01denied" silently found nothing: name them instead.
    if (!is_valid_utf8(input)) {
        std::size_t bad = 0;
        while (bad < input.size()) {
            const auto lead = static_cast<unsigned char>(input[bad]);
            const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (!is_valid_utf8(input.substr(bad, length))) break;
            bad += length;
        }
        throw QuerySyntaxError("the query is not valid UTF-8 (at column " + std::to_string(column_of(input, bad)) + ")");
    }
    for (std::size_t i = 0; i < input.size(); ++i) {
        const auto c = static_cast<unsigned char>(input[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            char code[8];
            std::snprintf(code, sizeof code, "0x%02X", c);
            throw QuerySyntaxError("the query holds a control character (" + std::string(code) + ") at column " +
                                   std::to_string(column_of(input, i)));
        }
    }
    ParsedQuery out;
    QueryTree tree = parse_query_tree(input);
    const QueryNode* root = tree.root.get();
    out.notices = std::move(tree.notices);
    if (root) out.interpreted_as = describe(*root);
    std::optional<QueryCompiler::Compiled> compiled;
    if (root) compiled = QueryCompiler(*this, input, out, scope).compile(*root, "");
    if (root && !compiled)
        // "-", "?!" or "..." alone: nothing to search for, which is not "everything".
        throw QuerySyntaxError("the query has no words to search for (\"" + std::string(input) +
                               "\" is only punctuation)");
    if (!compiled) {
        out.ranking = match_all();
        out.match = MatchNode::all();
        out.match_all = true;
        out.ranked = false;
        return out;
    }
    out.ranking = compiled->query;
    out.match = std::move(compiled->match);
    if (compiled->boolean) out.ranked = false;
    return out;
}

}  // namespace imr
