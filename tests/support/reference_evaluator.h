// A reference evaluator of the query language for the differential test (tests/e2e/differential_test.cpp).
//
// It is written again from the README's semantics, over the letters' words, and shares no code
// with searcher/ (no query parser, matcher, section check, token stream or highlighter). What it
// takes from the rest of the project are definitions, not matching:
// - the Analyzer's tokens are "the letter's words" (a compound's parts, "10/325" -> 10, 325, are
//   searchable words without a place of their own, as analyzer.h says);
// - token_starts (sentences.h) says where sentences and paragraphs start;
// - which texts a letter's documents hold, and the gap between them, are the schema's (schema.h,
//   modelled here from its words, for letters as the parser makes them): the letter document holds
//   the letter's text with every rationale cut out, each piece left between two cuts read as one
//   run; a determination document its item's block as printed (its printed ranges, one run each),
//   or, when the letter does not place it, its item, guideline paragraphs and rationale, one run
//   each; runs are kSectionGap positions apart and each starts a paragraph, as do a letter's
//   section bodies and the headings before them;
// - the lexicon's drug names, and Xapian::Stem("english") for stems.
//
// Queries are trees (Node) made by the test's generator, which also writes them as query text;
// this file never reads query text.
#pragma once

#include "analyzer.h"
#include "document_builder.h"
#include "letter.h"
#include "lexicon.h"
#include "sentences.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace imr::ref {

// ---- The letters' words --------------------------------------------------------------------------
struct Word {
    std::string term;          // folded, as the analyzer gives it
    std::uint32_t pos = 0;     // position in its document: consecutive within a chunk
    std::uint32_t sentence = 0, paragraph = 0;  // unit numbers within the document
};

struct Doc {
    std::vector<Word> words;
    std::unordered_map<std::string, std::vector<std::uint32_t>> at;  // term -> indexes into `words`
    std::unordered_map<std::string, unsigned> count;                 // term -> occurrences, compound parts included
};

struct RefDetermination {
    std::string id;  // "<letter_id>/<ordinal>", as hits name it
    Doc own;
};

struct RefLetter {
    std::string letter_id;
    Doc shared;
    std::vector<RefDetermination> determinations;
};

// One run of a document's text, and the offsets in it where a paragraph starts whatever the
// text's shape says (where a section's body starts or ends).
struct Run {
    std::string text;
    std::vector<std::size_t> paragraph_at;
};

// A document's words from its runs, in order.
inline Doc make_doc(const Analyzer& analyzer, const std::vector<Run>& runs) {
    Doc doc;
    std::uint32_t pos = 0, sentence = 0, paragraph = 0;
    bool first_run = true;
    for (const auto& run : runs) {
        const std::vector<Token> tokens = analyzer.tokenize(run.text);
        if (tokens.empty()) continue;
        const std::vector<TokenStart> starts = token_starts(run.text, tokens);
        if (!first_run) {
            pos += static_cast<std::uint32_t>(kSectionGap);
            ++sentence;
            ++paragraph;
        }
        first_run = false;
        for (std::size_t k = 0; k < tokens.size(); ++k) {
            bool forced = false;
            for (std::size_t at : run.paragraph_at) forced = forced || (k > 0 && tokens[k - 1].end <= at && at <= tokens[k].begin);
            if (forced || starts[k] != TokenStart::None) ++sentence;
            if (forced || starts[k] == TokenStart::Paragraph) ++paragraph;
            doc.at[tokens[k].term].push_back(static_cast<std::uint32_t>(doc.words.size()));
            doc.words.push_back({tokens[k].term, ++pos, sentence, paragraph});
            ++doc.count[tokens[k].term];
            for (const auto& part : tokens[k].parts) ++doc.count[part];
        }
    }
    return doc;
}

// The letter's text with every rationale cut out: one run per piece left, with its section
// bodies' starts and ends.
inline std::vector<Run> shared_text(const Letter& letter) {
    std::vector<char> cut(letter.text.size(), 0);
    for (const auto& d : letter.determinations)
        for (std::size_t i = 0; i < d.rationale.size(); ++i) cut[d.rationale_offset + i] = 1;
    std::vector<Run> runs;
    std::size_t i = 0;
    while (i < cut.size()) {
        if (cut[i]) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < cut.size() && !cut[end]) ++end;
        Run run{letter.text.substr(i, end - i), {}};
        for (const auto& s : letter.sections)
            for (std::size_t at : {s.offset, s.offset + s.text.size()})
                if (at >= i && at <= end) run.paragraph_at.push_back(at - i);
        runs.push_back(std::move(run));
        i = end;
    }
    return runs;
}

inline RefLetter make_letter(const Analyzer& analyzer, const Letter& letter, const std::string& letter_id) {
    RefLetter out;
    out.letter_id = letter_id;
    out.shared = make_doc(analyzer, shared_text(letter));
    const std::size_t count = std::max<std::size_t>(1, letter.determinations.size());
    for (std::size_t i = 0; i < count; ++i) {
        RefDetermination d;
        d.id = letter_id + "/" + std::to_string(i);
        if (i < letter.determinations.size()) {
            const auto& det = letter.determinations[i];
            std::vector<Run> own;
            for (const auto& range : det.printed) own.push_back({letter.text.substr(range.begin, range.end - range.begin), {}});
            if (own.empty()) own = {{det.item, {}}, {det.guidelines, {}}, {det.rationale, {}}};
            d.own = make_doc(analyzer, own);
        }
        out.determinations.push_back(std::move(d));
    }
    return out;
}

// ---- Queries -------------------------------------------------------------------------------------
enum class Unit { Words, Sentence, Paragraph };

struct Connector {
    Unit unit = Unit::Words;
    unsigned n = 0;  // words
    bool ordered = false;
};

struct Node {
    enum class Kind {
        Word,      // any form of the word (same English stem); a drug name, its other names too
        Phrase,    // the exact words, adjacent
        Wildcard,  // `pattern`: "medic*" / "medic!" any completion, "wom?n" one character
        AtLeast,   // the word's forms at least `n` times
        Prox,      // children (Word, Phrase, Wildcard, Or of those) joined by `connectors`
        Or,
        And,       // its Not children exclude
        Not
    };
    Kind kind = Kind::Word;
    std::string text;                // Word, AtLeast: the folded word; Wildcard: the pattern
    std::vector<std::string> words;  // Phrase
    unsigned n = 0;                  // AtLeast
    std::vector<Connector> connectors;
    std::vector<Node> children;

    Node() = default;
    explicit Node(Kind k) : kind(k) {}
};

enum class Scope { Determination, Letter };

// ---- Evaluation ----------------------------------------------------------------------------------
class Evaluator {
public:
    Evaluator(std::vector<RefLetter> letters, const Lexicon& lexicon, const Analyzer& analyzer)
        : letters_(std::move(letters)), analyzer_(analyzer) {
        for (std::size_t l = 0; l < letters_.size(); ++l) {
            auto add_vocabulary = [&](const Doc& doc) {
                for (const auto& [term, n] : doc.count) vocabulary_[term] += n;
            };
            add_vocabulary(letters_[l].shared);
            for (const auto& d : letters_[l].determinations) {
                add_vocabulary(d.own);
                determination_letter_.push_back(l);
                ids_.push_back(d.id);
            }
        }
        for (const auto& [term, n] : vocabulary_) by_stem_[stem(term)].push_back(term);
        // Each name of a drug, and each ingredient of a combination, names the drug.
        for (const auto& drug : lexicon.drugs()) {
            std::vector<std::string> names{drug.generic};
            names.insert(names.end(), drug.brands.begin(), drug.brands.end());
            names.insert(names.end(), drug.aliases.begin(), drug.aliases.end());
            std::vector<std::string> keys = names;
            if (drug.ingredients.size() > 1) keys.insert(keys.end(), drug.ingredients.begin(), drug.ingredients.end());
            for (const auto& key : keys) {
                const auto tokens = analyzer_.tokenize(key);
                if (tokens.size() != 1) continue;  // a typed word is one token
                auto& list = drug_names_[tokens.front().term];
                for (const auto& name : names) {
                    std::vector<std::string> words;
                    for (const auto& t : analyzer_.tokenize(name)) words.push_back(t.term);
                    if (!words.empty() && std::find(list.begin(), list.end(), words) == list.end()) list.push_back(words);
                }
            }
        }
    }

    const std::vector<RefLetter>& letters() const { return letters_; }
    const std::map<std::string, unsigned>& vocabulary() const { return vocabulary_; }
    const std::vector<std::string>& ids() const { return ids_; }
    // The words that name a drug (a brand, generic, alias, or an ingredient of a combination).
    std::vector<std::string> drug_words() const {
        std::vector<std::string> out;
        for (const auto& [word, names] : drug_names_) out.push_back(word);
        std::sort(out.begin(), out.end());
        return out;
    }

    std::string stem(const std::string& term) const {
        auto found = stems_.find(term);
        if (found != stems_.end()) return found->second;
        return stems_.emplace(term, stemmer_(term)).first->second;
    }
    // Every indexed word with the stem of `word`.
    const std::vector<std::string>& forms(const std::string& word) const {
        static const std::vector<std::string> none;
        auto found = by_stem_.find(stem(word));
        return found == by_stem_.end() ? none : found->second;
    }
    // The other names of the drug(s) a word names, each as its words; empty for other words.
    const std::vector<std::vector<std::string>>& drug_names(const std::string& word) const {
        static const std::vector<std::vector<std::string>> none;
        auto found = drug_names_.find(word);
        return found == drug_names_.end() ? none : found->second;
    }
    // Indexed words a wildcard pattern stands for: '*' or '!' at the end, any completion; '?' (or
    // '*') inside, one character.
    std::vector<std::string> completions(const std::string& pattern) const {
        std::string body = pattern;
        bool open = false;
        while (!body.empty() && (body.back() == '*' || body.back() == '!')) {
            body.pop_back();
            open = true;
        }
        const std::size_t first = body.find_first_of("?*");
        const std::string prefix = body.substr(0, first);
        std::vector<std::string> out;
        for (auto it = vocabulary_.lower_bound(prefix); it != vocabulary_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
            if (fits(body, open, it->first)) out.push_back(it->first);
        return out;
    }

    // The ids of the determinations the query matches.
    std::set<std::string> run(const Node& query, Scope scope) const {
        std::set<std::string> out;
        if (scope == Scope::Determination) {
            const auto hits = eval(query, scope);
            for (std::size_t d = 0; d < hits.size(); ++d)
                if (hits[d]) out.insert(ids_[d]);
        } else {
            const auto hits = eval(query, scope);
            for (std::size_t l = 0; l < hits.size(); ++l)
                if (hits[l])
                    for (const auto& d : letters_[l].determinations) out.insert(d.id);
        }
        return out;
    }

private:
    std::vector<RefLetter> letters_;
    const Analyzer& analyzer_;
    Xapian::Stem stemmer_{"english"};
    mutable std::unordered_map<std::string, std::string> stems_;
    std::map<std::string, unsigned> vocabulary_;  // every indexed word, compound parts included
    std::unordered_map<std::string, std::vector<std::string>> by_stem_;
    std::unordered_map<std::string, std::vector<std::vector<std::string>>> drug_names_;
    std::vector<std::size_t> determination_letter_;
    std::vector<std::string> ids_;

    static bool fits(const std::string& body, bool open, const std::string& term) {
        // One character is one UTF-8 sequence.
        std::size_t t = 0;
        for (std::size_t b = 0; b < body.size(); ++b) {
            if (t >= term.size()) return false;
            if (body[b] == '?' || body[b] == '*') {
                ++t;
                while (t < term.size() && (static_cast<unsigned char>(term[t]) & 0xC0) == 0x80) ++t;
            } else {
                if (term[t] != body[b]) return false;
                ++t;
            }
        }
        return open || t == term.size();
    }

    // One place a proximity member takes: words [first, last] of the document.
    struct Occurrence {
        std::uint32_t first, last;
    };

    // Where a phrase's words lie one after another in `doc`: the index of each first word. With
    // `possessives` (a quoted phrase of several words, README), a word also matches itself with
    // "'s" or "'" after it.
    static std::vector<std::uint32_t> phrase_starts(const Doc& doc, const std::vector<std::string>& words,
                                                    bool possessives = false) {
        auto same = [&](const std::string& text, const std::string& word) {
            return text == word ||
                   (possessives && !word.ends_with('\'') && !word.ends_with("'s") && (text == word + "'s" || text == word + "'"));
        };
        std::vector<std::uint32_t> out;
        for (std::uint32_t i = 0; i < doc.words.size(); ++i) {
            if (!same(doc.words[i].term, words.front())) continue;
            bool all = i + words.size() <= doc.words.size();
            for (std::size_t k = 1; k < words.size() && all; ++k)
                all = same(doc.words[i + k].term, words[k]) && doc.words[i + k].pos == doc.words[i].pos + k;
            if (all) out.push_back(i);
        }
        return out;
    }

    // The words a connector's word operand stands for: its forms, and a drug's other one-word names' forms.
    std::set<std::string> member_terms(const Node& node) const {
        std::set<std::string> terms;
        switch (node.kind) {
        case Node::Kind::Word:
            for (const auto& f : forms(node.text)) terms.insert(f);
            for (const auto& name : drug_names(node.text))
                if (name.size() == 1)
                    for (const auto& f : forms(name.front())) terms.insert(f);
            break;
        case Node::Kind::Wildcard:
            for (auto& t : completions(node.text)) terms.insert(std::move(t));
            break;
        case Node::Kind::Or:
            for (const auto& c : node.children) {
                auto inner = member_terms(c);
                terms.insert(inner.begin(), inner.end());
            }
            break;
        default: break;
        }
        return terms;
    }

    std::vector<Occurrence> occurrences(const Node& member, const Doc& doc) const {
        std::vector<Occurrence> out;
        if (member.kind == Node::Kind::Phrase) {
            for (std::uint32_t i : phrase_starts(doc, member.words))
                out.push_back({i, static_cast<std::uint32_t>(i + member.words.size() - 1)});
            return out;
        }
        for (const auto& term : member_terms(member)) {
            auto found = doc.at.find(term);
            if (found == doc.at.end()) continue;
            for (std::uint32_t i : found->second) out.push_back({i, i});
        }
        std::sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) { return a.first < b.first; });
        return out;
    }

    // Whether the members take places of their own (no word shared) that satisfy the connectors:
    // in words, the whole span is at most the sum of the distances plus the extra words of
    // phrases; in a sentence or paragraph, all of them inside one; ordered when every connector is.
    bool proximity_in(const Node& node, const Doc& doc) const {
        std::vector<std::vector<Occurrence>> occ;
        for (const auto& member : node.children) {
            occ.push_back(occurrences(member, doc));
            if (occ.back().empty()) return false;
        }
        const Unit unit = node.connectors.front().unit;
        bool ordered = true;
        std::uint32_t limit = 0;
        for (const auto& c : node.connectors) {
            ordered = ordered && c.ordered;
            limit += c.n;
        }
        for (const auto& member : node.children)
            if (member.kind == Node::Kind::Phrase) limit += static_cast<std::uint32_t>(member.words.size() - 1);
        auto unit_of = [&](std::uint32_t i) {
            return unit == Unit::Sentence ? doc.words[i].sentence : doc.words[i].paragraph;
        };
        // Each member's places that can lie with the first member's: within the span limit of it,
        // or in its unit (units only grow along the words).
        auto key = [&](std::uint32_t i) { return unit == Unit::Words ? doc.words[i].pos : unit_of(i); };
        std::vector<Occurrence> chosen;
        std::function<bool(std::size_t)> place = [&](std::size_t m) -> bool {
            if (m == occ.size()) return true;
            auto from = occ[m].begin(), to = occ[m].end();
            if (!chosen.empty()) {
                const std::uint32_t lo_key = key(chosen.front().first), hi_key = key(chosen.front().last);
                const std::uint32_t lo = unit == Unit::Words ? (lo_key > limit ? lo_key - limit : 0) : lo_key;
                const std::uint32_t hi = unit == Unit::Words ? hi_key + limit : hi_key;
                from = std::lower_bound(from, to, lo, [&](const Occurrence& o, std::uint32_t k) { return key(o.first) < k; });
                to = std::upper_bound(from, to, hi, [&](std::uint32_t k, const Occurrence& o) { return k < key(o.first); });
            }
            for (auto it = from; it != to; ++it) {
                const Occurrence& o = *it;
                if (unit != Unit::Words && unit_of(o.first) != unit_of(o.last)) continue;
                bool ok = true;
                std::uint32_t lo = doc.words[o.first].pos, hi = doc.words[o.last].pos;
                for (std::size_t k = 0; k < chosen.size() && ok; ++k) {
                    const Occurrence& c = chosen[k];
                    ok = o.last < c.first || o.first > c.last;  // no shared word
                    if (ordered && k + 1 == chosen.size()) ok = ok && o.first > c.last;
                    if (unit != Unit::Words) ok = ok && unit_of(o.first) == unit_of(c.first);
                    lo = std::min(lo, doc.words[c.first].pos);
                    hi = std::max(hi, doc.words[c.last].pos);
                }
                if (!ok || (unit == Unit::Words && hi - lo > limit)) continue;
                chosen.push_back(o);
                if (place(m + 1)) return true;
                chosen.pop_back();
            }
            return false;
        };
        return place(0);
    }

    // Whether a text leaf (anything but AtLeast and the boolean operators) holds in one document.
    bool leaf_in(const Node& node, const Doc& doc) const {
        switch (node.kind) {
        case Node::Kind::Word: {
            for (const auto& f : forms(node.text))
                if (doc.count.count(f)) return true;
            for (const auto& name : drug_names(node.text)) {
                if (name.size() == 1) {
                    for (const auto& f : forms(name.front()))
                        if (doc.count.count(f)) return true;
                } else if (!phrase_starts(doc, name).empty()) {
                    return true;
                }
            }
            return false;
        }
        case Node::Kind::Phrase:
            // One exact word is a word (a compound's part too); more are adjacent words.
            if (node.words.size() == 1) return doc.count.count(node.words.front()) > 0;
            return !phrase_starts(doc, node.words, true).empty();
        case Node::Kind::Wildcard:
            for (const auto& t : completions(node.text))
                if (doc.count.count(t)) return true;
            return false;
        case Node::Kind::Prox: return proximity_in(node, doc);
        default: return false;
        }
    }

    unsigned occurrences_of_forms(const std::string& word, const Doc& doc) const {
        unsigned n = 0;
        for (const auto& f : forms(word)) {
            auto found = doc.count.find(f);
            if (found != doc.count.end()) n += found->second;
        }
        return n;
    }

    // One flag per determination (Scope::Determination) or per letter (Scope::Letter).
    std::vector<char> eval(const Node& node, Scope scope) const {
        const std::size_t size = scope == Scope::Determination ? ids_.size() : letters_.size();
        std::vector<char> out(size, 0);
        switch (node.kind) {
        case Node::Kind::Or:
            for (const auto& c : node.children) {
                const auto part = eval(c, scope);
                for (std::size_t i = 0; i < size; ++i) out[i] = out[i] || part[i];
            }
            return out;
        case Node::Kind::And: {
            std::fill(out.begin(), out.end(), 1);
            for (const auto& c : node.children) {
                const bool negated = c.kind == Node::Kind::Not;
                const auto part = eval(negated ? c.children.front() : c, scope);
                for (std::size_t i = 0; i < size; ++i) out[i] = out[i] && (negated ? !part[i] : part[i]);
            }
            return out;
        }
        case Node::Kind::Not: {
            const auto part = eval(node.children.front(), scope);
            for (std::size_t i = 0; i < size; ++i) out[i] = !part[i];
            return out;
        }
        case Node::Kind::AtLeast: {
            std::size_t d = 0;
            for (std::size_t l = 0; l < letters_.size(); ++l) {
                const RefLetter& letter = letters_[l];
                const unsigned shared = occurrences_of_forms(node.text, letter.shared);
                unsigned whole = shared;
                for (const auto& det : letter.determinations) {
                    const unsigned own = occurrences_of_forms(node.text, det.own);
                    whole += own;
                    if (scope == Scope::Determination) out[d] = shared + own >= node.n;
                    ++d;
                }
                if (scope == Scope::Letter) out[l] = whole >= node.n;
            }
            return out;
        }
        default: {
            std::size_t d = 0;
            for (std::size_t l = 0; l < letters_.size(); ++l) {
                const RefLetter& letter = letters_[l];
                const bool shared = leaf_in(node, letter.shared);
                bool any = shared;
                for (const auto& det : letter.determinations) {
                    const bool own = !shared && leaf_in(node, det.own);
                    any = any || own;
                    if (scope == Scope::Determination) out[d] = shared || own;
                    ++d;
                }
                if (scope == Scope::Letter) out[l] = any;
            }
            return out;
        }
        }
    }
};

}  // namespace imr::ref
