// The engine against a reference evaluator (tests/support/reference_evaluator.h) on random queries.
//
// The letters are indexed by the real imr-index: the project's samples, and a few hundred generated
// letters when ../shared is there. The reference reads the same letters (as each letter document
// stores them) and evaluates query trees; a generator makes the trees from the letters' own words,
// mostly close to each other so that connectors fall on both sides of their limits, writes each as
// query text (every spelling of every operator, lowercase operators, parentheses only where the
// precedence needs them and sometimes where it does not), and the engine's determinations for the
// text must be the reference's, in both scopes. Drug names are modelled (a brand finds its generic
// and the reverse, an ingredient its combinations); the hand-checked table at the end pins that
// model to what the README says on sample letters.
//
// Not generated: field searches and section: (they filter, and have tests of their own), a chain
// of connectors that mixes ordered and unordered ones (the README gives it no meaning), "-word"
// as an alternative of OR, and chains of more than the README's 8 words. Wildcards are kept to
// patterns with at most 100 completions, so that the engine's cap (the 100 most frequent) takes
// them all. The summary lists how many queries used each operator and spelling; IMR_DIFF_SEED and
// IMR_DIFF_QUERIES run other and longer hunts, IMR_DIFF_ALL prints every disagreement.
#include "reference_evaluator.h"

#include "engine.h"
#include "letter_codec.h"
#include "letter_json.h"
#include "lexicon.h"
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

namespace {

using imr::ref::Node;
using Kind = imr::ref::Node::Kind;
using imr::test::quote;
using imr::test::run;

// ---- The letters, as the reference sees them ---------------------------------------------------

std::filesystem::path index_folder(const imr::test::TempDir& tmp, const std::filesystem::path& folder) {
    const auto db = tmp.path() / "differential.db";
    const auto r = run(quote(imr::test::index_bin()) + " --quiet --db " + quote(db) + " " + quote(folder));
    REQUIRE_MESSAGE(r.exit_code <= 1, r.err);
    return db;
}

// Every letter of the database, from the letter its letter document stores; with `files`, the
// file name of each letter id.
std::vector<imr::ref::RefLetter> reference_letters(const std::filesystem::path& db_path, const imr::Analyzer& analyzer,
                                                   std::map<std::string, std::string>* files = nullptr) {
    std::vector<imr::ref::RefLetter> letters;
    Xapian::Database db(db_path.string());
    const imr::LetterCodec codec(db.get_metadata(std::string(imr::schema::kLetterDictionaryKey)));
    const std::string prefix(imr::schema::kDocId);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        const std::string term = *t;
        if (term.find('/') != std::string::npos) continue;  // letter documents only
        const auto doc = db.get_document(*db.postlist_begin(term));
        const auto data = nlohmann::json::parse(imr::schema::document_data(doc, imr::schema::stored_codec(db)));
        const imr::Letter letter =
            nlohmann::json::parse(codec.decompress(doc.get_value(imr::schema::kSlotLetter))).get<imr::Letter>();
        letters.push_back(imr::ref::make_letter(analyzer, letter, data["letter_id"].get<std::string>()));
        if (files) (*files)[letters.back().letter_id] = std::filesystem::path(letter.source).filename().string();
    }
    return letters;
}

// ---- Random queries ---------------------------------------------------------------------------

// A word the generator may type bare: letters only, and none that the query language reads as an
// operator or connector.
bool typable_word(const std::string& t) {
    if (t.size() < 2 || t.size() > 30) return false;
    for (char c : t)
        if (c < 'a' || c > 'z') return false;
    static const std::set<std::string> operators = {"or", "and", "not", "but", "near", "pre"};
    return !operators.count(t);
}

class Generator {
public:
    Generator(const imr::ref::Evaluator& ev, const imr::Analyzer& analyzer, unsigned seed)
        : ev_(ev), analyzer_(analyzer), rng_(seed) {
        for (const auto& letter : ev_.letters()) {
            if (letter.shared.words.size() > 1) docs_.push_back(&letter.shared);
            for (const auto& d : letter.determinations)
                if (d.own.words.size() > 1) docs_.push_back(&d.own);
        }
        for (const auto& [term, n] : ev_.vocabulary())
            if (typable_word(term)) plain_vocabulary_.push_back(term);
        // Drug names some letter says, in any of their names: they find each other.
        for (const auto& w : ev_.drug_words()) {
            if (!typable_word(w)) continue;
            bool said = ev_.vocabulary().count(w) > 0;
            for (const auto& name : ev_.drug_names(w)) said = said || ev_.vocabulary().count(name.front()) > 0;
            if (said) drug_words_.push_back(w);
        }
    }

    Node query() {
        Node q = expression(0);
        const unsigned r = below(100);
        if (r < 3) {
            // Only an exclusion: everything else.
            Node only(Kind::And);
            Node negation(Kind::Not);
            negation.children.push_back(std::move(q));
            only.children.push_back(std::move(negation));
            q = std::move(only);
        } else if (r < 20 && q.kind != Kind::And) {
            // Something to exclude from it.
            Node both(Kind::And);
            both.children.push_back(std::move(q));
            Node negation(Kind::Not);
            negation.children.push_back(below(3) == 0 ? proximity() : leaf());
            both.children.push_back(std::move(negation));
            if (below(4) == 0) std::swap(both.children.front(), both.children.back());
            q = std::move(both);
        } else if (r < 23) {
            // A leading lowercase "not" is a word.
            Node both(Kind::And);
            both.children.push_back(word("not"));
            both.children.push_back(std::move(q));
            leading_not_ = true;
            q = std::move(both);
        }
        return q;
    }

    bool take_leading_not() {
        const bool was = leading_not_;
        leading_not_ = false;
        return was;
    }
    std::mt19937& rng() { return rng_; }

private:
    const imr::ref::Evaluator& ev_;
    const imr::Analyzer& analyzer_;
    std::mt19937 rng_;
    std::vector<const imr::ref::Doc*> docs_;
    std::vector<std::string> plain_vocabulary_;
    std::vector<std::string> drug_words_;
    bool leading_not_ = false;

    unsigned below(unsigned n) { return static_cast<unsigned>(rng_() % n); }

    struct Place {
        const imr::ref::Doc* doc;
        std::uint32_t i;
    };
    Place place() {
        const auto* doc = docs_[below(static_cast<unsigned>(docs_.size()))];
        return {doc, below(static_cast<unsigned>(doc->words.size()))};
    }
    // A place holding a typable word.
    Place word_place() {
        for (int tries = 0;; ++tries) {
            Place p = place();
            if (typable_word(p.doc->words[p.i].term) || tries > 1000) return p;
        }
    }
    static Node word(std::string w) {
        Node n(Kind::Word);
        n.text = std::move(w);
        return n;
    }
    std::string random_word() {
        if (below(12) == 0 && !drug_words_.empty()) return drug_words_[below(static_cast<unsigned>(drug_words_.size()))];
        if (below(5) == 0) return plain_vocabulary_[below(static_cast<unsigned>(plain_vocabulary_.size()))];
        const Place p = word_place();
        return p.doc->words[p.i].term;
    }

    // `length` words of the document from `i`, when they are adjacent and typing them gives them back.
    std::optional<Node> phrase_at(const imr::ref::Doc& doc, std::uint32_t i, std::size_t length) {
        if (i + length > doc.words.size()) return std::nullopt;
        Node n(Kind::Phrase);
        std::string typed;
        for (std::size_t k = 0; k < length; ++k) {
            const auto& w = doc.words[i + k];
            if (k > 0 && w.pos != doc.words[i].pos + k) return std::nullopt;
            n.words.push_back(w.term);
            typed += (k ? " " : "") + w.term;
        }
        const auto tokens = analyzer_.tokenize(typed);
        if (tokens.size() != length) return std::nullopt;
        for (std::size_t k = 0; k < length; ++k)
            if (tokens[k].term != n.words[k]) return std::nullopt;
        return n;
    }
    Node phrase(std::size_t length) {
        for (int tries = 0; tries < 1000; ++tries) {
            const Place p = place();
            if (auto n = phrase_at(*p.doc, p.i, length)) return *n;
        }
        return word(random_word());
    }

    // A wildcard from a word of the letters whose completions are few enough that the engine's
    // cap (the 100 most frequent) takes them all.
    std::optional<Node> wildcard_of(const std::string& w) {
        if (w.size() < 4) return std::nullopt;
        Node n(Kind::Wildcard);
        const unsigned kind = below(4);
        if (kind < 2) {
            const std::size_t keep = 3 + below(static_cast<unsigned>(w.size() - 2));
            n.text = w.substr(0, std::min(keep, w.size())) + (kind == 0 ? "*" : "!");
        } else {
            // One character inside, never the last (a trailing '*' is a prefix, a trailing '?' a question mark).
            const std::size_t at = 2 + below(static_cast<unsigned>(w.size() - 3));
            n.text = w;
            n.text[at] = kind == 2 ? '?' : '*';
            if (below(4) == 0) n.text += '*';
        }
        const std::size_t count = ev_.completions(n.text).size();
        if (count == 0 || count > 100) return std::nullopt;
        return n;
    }
    Node wildcard() {
        for (int tries = 0; tries < 100; ++tries)
            if (auto n = wildcard_of(random_word())) return *n;
        return word(random_word());
    }

    Node at_least() {
        Node n(Kind::AtLeast);
        n.text = random_word();
        n.n = 1 + below(below(3) == 0 ? 12 : 5);
        return n;
    }

    Node leaf() {
        const unsigned r = below(100);
        if (r < 45) return word(random_word());
        if (r < 55) return phrase(1);  // one exact word
        if (r < 75) return phrase(2 + below(3) / 2 + below(3) / 2);
        if (r < 88) return wildcard();
        return at_least();
    }

    // A member of a proximity chain at or near `p`.
    Node member_at(Place p, bool allow_phrase) {
        const auto& doc = *p.doc;
        const unsigned r = below(100);
        if (allow_phrase && r < 15) {
            if (auto n = phrase_at(doc, p.i, 2 + below(2))) return *n;
        }
        const std::string& here = doc.words[p.i].term;
        if (!typable_word(here)) return word(random_word());
        if (r < 22) {
            if (auto n = wildcard_of(here)) return *n;
        }
        if (r < 27 && !drug_words_.empty()) return word(drug_words_[below(static_cast<unsigned>(drug_words_.size()))]);
        if (r < 32) {
            Node alternatives(Kind::Or);
            alternatives.children.push_back(word(here));
            alternatives.children.push_back(below(2) ? word(random_word()) : wildcard_or_word(random_word()));
            if (below(2)) std::swap(alternatives.children.front(), alternatives.children.back());
            return alternatives;
        }
        return word(here);
    }
    Node wildcard_or_word(const std::string& w) {
        if (auto n = wildcard_of(w)) return *n;
        return word(w);
    }

    Node proximity() {
        Node n(Kind::Prox);
        const unsigned u = below(100);
        const imr::ref::Unit unit = u < 60 ? imr::ref::Unit::Words : u < 85 ? imr::ref::Unit::Sentence : imr::ref::Unit::Paragraph;
        const bool ordered = below(5) < 2;
        const std::size_t members = below(7) == 0 ? 3 : 2;
        const Place anchor = word_place();
        n.children.push_back(member_at(anchor, true));
        std::int64_t reach = 0;
        for (std::size_t m = 1; m < members; ++m) {
            imr::ref::Connector c;
            c.unit = unit;
            c.ordered = ordered;
            if (unit == imr::ref::Unit::Words) {
                const unsigned r = below(20);
                c.n = r < 14 ? 1 + below(6) : r < 17 ? 10 : r < 19 ? 7 + below(20) : 95 + below(10);
            }
            n.connectors.push_back(c);
            reach += unit == imr::ref::Unit::Words ? c.n : 12;
        }
        for (std::size_t m = 1; m < members; ++m) {
            // A chain joins at most 8 words (README), a phrase's each counted.
            std::size_t words = 0;
            for (const auto& c : n.children) words += c.kind == Kind::Phrase ? c.words.size() : 1;
            const bool room_for_phrase = words + (members - m - 1) + 3 <= 8;
            // Mostly after the anchor, around the limit, and sometimes before it.
            std::int64_t offset = 1 + static_cast<std::int64_t>(below(static_cast<unsigned>(reach + 3)));
            if (below(4) == 0) offset = -offset;
            const std::int64_t at = static_cast<std::int64_t>(anchor.i) + offset + (n.children.front().kind == Kind::Phrase && offset > 0 ? 1 : 0);
            Place p = anchor;
            if (at >= 0 && at < static_cast<std::int64_t>(anchor.doc->words.size())) p.i = static_cast<std::uint32_t>(at);
            else p = word_place();
            n.children.push_back(member_at(p, room_for_phrase));
        }
        return n;
    }

    Node expression(int depth) {
        const unsigned r = below(100);
        if (depth >= 2 || r < 30) return leaf();
        if (r < 58) return proximity();
        if (r < 72) {
            Node n(Kind::Or);
            const std::size_t k = 2 + below(3) / 2;
            for (std::size_t i = 0; i < k; ++i) n.children.push_back(expression(depth + 1));
            return n;
        }
        Node n(Kind::And);
        const std::size_t k = 2 + below(3) / 2;
        for (std::size_t i = 0; i < k; ++i) n.children.push_back(expression(depth + 1));
        if (below(3) == 0) {
            Node negation(Kind::Not);
            negation.children.push_back(expression(depth + 1));
            n.children.insert(n.children.begin() + below(static_cast<unsigned>(n.children.size() + 1)), std::move(negation));
        }
        return n;
    }
};

// ---- Query text ---------------------------------------------------------------------------------

// Where a node is written: what the grammar reads there decides which nodes need parentheses.
enum class Context { Top, InAnd, InOr, InProx, AfterNot, AfterMinus };

class Writer {
public:
    Writer(std::mt19937& rng, const imr::ref::Evaluator& ev) : rng_(rng), ev_(ev) {}

    std::string write(const Node& q, bool leading_not) {
        features_.clear();
        if (leading_not) features_.insert("leading lowercase not (a word)");
        return node(q, Context::Top);
    }
    const std::set<std::string>& features() const { return features_; }

private:
    std::mt19937& rng_;
    const imr::ref::Evaluator& ev_;
    std::set<std::string> features_;

    unsigned below(unsigned n) { return static_cast<unsigned>(rng_() % n); }
    template <typename T>
    const T& pick(const std::vector<T>& options) { return options[below(static_cast<unsigned>(options.size()))]; }

    static bool needs_parentheses(const Node& n, Context c) {
        switch (n.kind) {
        case Kind::Or: return c == Context::AfterMinus;
        case Kind::Prox: return c == Context::InOr || c == Context::InProx || c == Context::AfterMinus;
        case Kind::And: return c != Context::Top;
        default: return false;
        }
    }

    std::string node(const Node& n, Context c) {
        std::string text = bare(n, c);
        if (needs_parentheses(n, c) || (c != Context::Top && below(14) == 0)) {
            features_.insert("parentheses");
            text = "(" + text + ")";
        }
        return text;
    }

    std::string connector(const imr::ref::Connector& c) {
        using imr::ref::Unit;
        std::string spelled;
        if (c.unit == Unit::Words) {
            const std::string n = std::to_string(c.n);
            std::vector<std::string> options = c.ordered ? std::vector<std::string>{"pre/" + n, "PRE/" + n, "+" + n}
                                                         : std::vector<std::string>{"w/" + n, "W/" + n, "/" + n, "NEAR/" + n, "near/" + n};
            if (!c.ordered && c.n == 10) options.push_back("NEAR");
            spelled = pick(options);
        } else {
            const std::string u = c.unit == Unit::Sentence ? "s" : "p";
            spelled = pick(c.ordered ? std::vector<std::string>{"+" + u, "pre/" + u} : std::vector<std::string>{"/" + u, "w/" + u});
        }
        std::string kind = spelled;
        if (c.unit == Unit::Words) kind = spelled == "NEAR" ? "NEAR" : spelled.substr(0, spelled.find_first_of("0123456789")) + "n";
        features_.insert("connector " + kind);
        return spelled;
    }

    std::string bare(const Node& n, Context c) {
        switch (n.kind) {
        case Kind::Word: {
            features_.insert(c == Context::InProx ? "word in a proximity" : "word");
            if (!ev_.drug_names(n.text).empty()) features_.insert(c == Context::InProx ? "drug name in a proximity" : "drug name");
            std::string w = n.text;
            if (below(10) == 0 && w != "not") w[0] = static_cast<char>(w[0] - 'a' + 'A');
            return w;
        }
        case Kind::Phrase: {
            std::string text;
            for (const auto& w : n.words) text += (text.empty() ? "" : " ") + w;
            features_.insert(n.words.size() == 1 ? "exact word \"w\"" : c == Context::InProx ? "phrase in a proximity" : "phrase");
            return "\"" + text + "\"";
        }
        case Kind::Wildcard: {
            std::string body = n.text;
            const char last = body.back();
            while (body.back() == '*' || body.back() == '!') body.pop_back();
            const bool inner = body.find_first_of("?*") != std::string::npos;
            features_.insert(inner ? "wildcard inside (? or *)" : last == '!' ? "wildcard !" : "wildcard *");
            return n.text;
        }
        case Kind::AtLeast:
            features_.insert("atleastN");
            return "atleast" + std::to_string(n.n) + "(" + n.text + ")";
        case Kind::Prox: {
            if (n.children.size() > 2) features_.insert("proximity chain of 3");
            std::string text = node(n.children.front(), Context::InProx);
            for (std::size_t i = 1; i < n.children.size(); ++i)
                text += " " + connector(n.connectors[i - 1]) + " " + node(n.children[i], Context::InProx);
            return text;
        }
        case Kind::Or: {
            std::string text = node(n.children.front(), Context::InOr);
            for (std::size_t i = 1; i < n.children.size(); ++i) {
                const bool lower = below(4) == 0;
                features_.insert(lower ? "lowercase or" : "OR");
                text += (lower ? " or " : " OR ") + node(n.children[i], Context::InOr);
            }
            return text;
        }
        case Kind::And: {
            std::string text;
            for (std::size_t i = 0; i < n.children.size(); ++i) {
                const Node& child = n.children[i];
                if (child.kind == Kind::Not) {
                    text += negation(child.children.front(), i == 0);
                    continue;
                }
                if (i > 0) {
                    static const std::vector<std::string> separators = {" ", " ", " AND ", " & ", " and "};
                    std::string s = pick(separators);
                    // After the word "not" that leads a query, "and" is a word too.
                    if (s == " and " && n.children[i - 1].kind == Kind::Word && n.children[i - 1].text == "not") s = " AND ";
                    features_.insert(s == " " ? "AND (space)" : s == " and " ? "lowercase and" : "AND" + std::string(s == " & " ? " (&)" : ""));
                    text += s;
                }
                text += node(child, Context::InAnd);
            }
            return text;
        }
        case Kind::Not: return negation(n.children.front(), true);
        }
        return {};
    }

    std::string negation(const Node& child, bool first) {
        const bool primary = child.kind != Kind::Or && child.kind != Kind::Prox && child.kind != Kind::And;
        std::vector<std::string> options = {"NOT", "%", "-"};
        if (!first) options.insert(options.end(), {"AND NOT", "BUT NOT", "but not", "not", "and not"});
        std::string op = pick(options);
        if (op == "-" && !primary && below(2)) op = "NOT";
        features_.insert(op == "-" ? "-word" : op == "not" ? "lowercase not" : "NOT" + (op == "NOT" ? std::string() : " (" + op + ")"));
        const std::string lead = first ? "" : " ";
        if (op == "-") return lead + "-" + node(child, Context::AfterMinus);
        return lead + op + " " + node(child, Context::AfterNot);
    }
};

// ---- The comparison -----------------------------------------------------------------------------

std::set<std::string> engine_ids(const imr::Engine& engine, const std::string& query, imr::Scope scope, std::string& error) {
    std::set<std::string> ids;
    imr::SearchRequest request;
    request.query = query;
    request.scope = scope;
    request.sort = imr::SortOrder::DecisionDate;
    request.with_facets = false;
    request.with_snippets = false;
    request.limit = 1000;
    try {
        for (;;) {
            const imr::SearchResult result = engine.search(request);
            for (const auto& hit : result.hits) ids.insert(hit.id);
            if (result.hits.empty() || request.offset + result.hits.size() >= result.total) break;
            request.offset += result.hits.size();
        }
    } catch (const std::exception& e) {
        error = e.what();
    }
    return ids;
}

struct Report {
    std::size_t queries = 0, comparisons = 0, disagreements = 0, nonempty = 0;
    std::map<std::string, std::size_t> per_feature;
    std::vector<std::string> details;
};

std::string listed(const std::vector<std::string>& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < 8; ++i) out += (i ? " " : "") + ids[i];
    if (ids.size() > 8) out += " ... (" + std::to_string(ids.size()) + ")";
    return out.empty() ? "-" : out;
}

Report compare(const std::filesystem::path& db, std::size_t queries, unsigned seed) {
    const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Analyzer analyzer;
    const imr::ref::Evaluator reference(reference_letters(db, analyzer), lexicon, analyzer);
    const imr::Engine engine(db, lexicon);
    Generator generator(reference, analyzer, seed);
    Writer writer(generator.rng(), reference);
    Report report;
    for (std::size_t q = 0; q < queries; ++q) {
        const Node tree = generator.query();
        const std::string text = writer.write(tree, generator.take_leading_not());
        ++report.queries;
        for (const auto& f : writer.features()) ++report.per_feature[f];
        for (const auto scope : {imr::ref::Scope::Determination, imr::ref::Scope::Letter}) {
            ++report.comparisons;
            const std::set<std::string> expected = reference.run(tree, scope);
            std::string error;
            const std::set<std::string> got =
                engine_ids(engine, text, scope == imr::ref::Scope::Letter ? imr::Scope::Letter : imr::Scope::Determination, error);
            if (!expected.empty()) ++report.nonempty;
            if (error.empty() && got == expected) continue;
            ++report.disagreements;
            std::vector<std::string> only_engine, only_reference;
            std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(), std::back_inserter(only_engine));
            std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(), std::back_inserter(only_reference));
            if (report.details.size() < (std::getenv("IMR_DIFF_ALL") ? 100000u : 25u))
                report.details.push_back(std::string("query ") + text + "  [scope=" +
                                         (scope == imr::ref::Scope::Letter ? "letter" : "determination") + "]" +
                                         (error.empty() ? "" : "  engine error: " + error) + "\n    only in engine: " +
                                         listed(only_engine) + "\n    only in reference: " + listed(only_reference));
        }
    }
    return report;
}

void print(const Report& r, const std::string& corpus, double seconds) {
    std::ostringstream s;
    s << corpus << ": " << r.queries << " queries, " << r.comparisons << " comparisons (both scopes), " << r.nonempty
      << " with results, " << r.disagreements << " disagreements, " << seconds << " s\n";
    for (const auto& [feature, n] : r.per_feature) s << "  " << feature << ": " << n << "\n";
    MESSAGE(s.str());
    for (const auto& d : r.details) MESSAGE(d);
}

constexpr const char* kAllFeatures[] = {
    "word", "word in a proximity", "exact word \"w\"", "phrase", "phrase in a proximity", "wildcard *", "wildcard !",
    "wildcard inside (? or *)", "atleastN", "OR", "lowercase or", "AND (space)", "AND", "AND (&)", "lowercase and",
    "NOT", "NOT (%)", "NOT (AND NOT)", "NOT (BUT NOT)", "NOT (but not)", "NOT (and not)", "lowercase not", "-word",
    "leading lowercase not (a word)", "parentheses", "proximity chain of 3", "connector w/n", "connector W/n",
    "connector /n", "connector NEAR/n", "connector near/n", "connector NEAR", "connector pre/n", "connector PRE/n",
    "connector +n", "connector /s", "connector w/s", "connector +s", "connector pre/s", "connector /p",
    "connector w/p", "connector +p", "connector pre/p", "drug name", "drug name in a proximity"};

// For a longer hunt: IMR_DIFF_SEED and IMR_DIFF_QUERIES override a run's seed and number of queries.
unsigned env_or(const char* name, unsigned fallback) {
    const char* value = std::getenv(name);
    return value ? static_cast<unsigned>(std::strtoul(value, nullptr, 10)) : fallback;
}

}  // namespace

TEST_CASE("the engine agrees with the reference evaluator on the sample letters") {
    imr::test::TempDir tmp;
    const auto started = std::chrono::steady_clock::now();
    const auto db = index_folder(tmp, imr::test::source_dir() / "data" / "samples" / "letters");
    const Report r = compare(db, env_or("IMR_DIFF_QUERIES", 2000), env_or("IMR_DIFF_SEED", 18));
    print(r, "sample letters", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    CHECK(r.queries >= 2000);
    for (const char* f : kAllFeatures) CHECK_MESSAGE(r.per_feature.count(f), "no query with " << f);
    CHECK(r.nonempty * 2 > r.comparisons);  // most queries find something: they test what matches
    CHECK(r.disagreements == 0);
}

TEST_CASE("the engine agrees with the reference evaluator on generated letters") {
    if (!imr::test::have_shared()) {
        MESSAGE("skipped: " << imr::test::shared_dir() << " is missing");
        return;
    }
    imr::test::TempDir tmp;
    const auto started = std::chrono::steady_clock::now();
    const auto r = run("python3 " + quote(imr::test::shared_dir() / "corpus" / "synth_letters.py") + " " +
                       quote(tmp.path() / "corpus") + " -n 300 --seed " + std::to_string(env_or("IMR_DIFF_SEED", 18)) +
                       " --published-share 0.5");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto db = index_folder(tmp, tmp.path() / "corpus");
    const Report report = compare(db, env_or("IMR_DIFF_QUERIES", 800), env_or("IMR_DIFF_SEED", 19));
    print(report, "generated letters", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    CHECK(report.disagreements == 0);
}

// The reference's model of drug names, pinned to the README on sample letters that name a drug one
// way only (checked by reading them): a brand finds its generic, the generic its brands, an
// ingredient the combinations that hold it, and a connector's operand the drug's one-word names.
TEST_CASE("drug names: the reference's model and the engine, on hand-checked sample letters") {
    imr::test::TempDir tmp;
    const auto db = index_folder(tmp, imr::test::source_dir() / "data" / "samples" / "letters");
    const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Analyzer analyzer;
    std::map<std::string, std::string> files;
    const imr::ref::Evaluator reference(reference_letters(db, analyzer, &files), lexicon, analyzer);
    const imr::Engine engine(db, lexicon);
    auto word = [](const std::string& w) {
        Node n(Kind::Word);
        n.text = w;
        return n;
    };
    auto near = [](Node a, Node b, imr::ref::Unit unit, unsigned n) {
        Node p(Kind::Prox);
        p.children = {std::move(a), std::move(b)};
        p.connectors = {imr::ref::Connector{unit, n, false}};
        return p;
    };
    Node phrase(Kind::Phrase);
    phrase.words = {"current", "medications", "include"};
    struct Case {
        std::string query;
        Node tree;
        std::vector<std::string> files;  // letters that say the drug only by another name
    };
    const std::vector<Case> cases = {
        {"norco", word("norco"), {"020-std-nocase.txt"}},  // Hydrocodone/APAP
        {"hydrocodone", word("hydrocodone"), {"001-std-hdr-CM14-0104871.txt", "039-std-hdr-CM24-0052276.pdf"}},  // Norco
        {"flexeril", word("flexeril"), {"009-std-hdr-CM17-0012977.txt"}},                                       // cyclobenzaprine
        {"zanaflex", word("zanaflex"), {"041-maximus2013-CM13-0090356.txt"}},                                   // Tizanidine
        {"prilosec", word("prilosec"), {"003-std-nocase.txt", "005-maximus2013-CM13-0021847.txt"}},             // omeprazole
        {"omeprazole", word("omeprazole"), {"029-std-nocase.txt"}},                                             // Prilosec
        {"neurontin", word("neurontin"),
         {"014-std-nocase.txt", "019-profreview-CM18-0120056.txt", "040-maximus2013-CM13-0082417.txt"}},        // Gabapentin
        // "Current medications include Tizanidine", "... include Gabapentin"
        {"zanaflex w/1 include", near(word("zanaflex"), word("include"), imr::ref::Unit::Words, 1),
         {"041-maximus2013-CM13-0090356.txt"}},
        {"\"current medications include\" /s neurontin", near(phrase, word("neurontin"), imr::ref::Unit::Sentence, 0),
         {"014-std-nocase.txt"}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.query.c_str()) {
            const std::set<std::string> expected = reference.run(c.tree, imr::ref::Scope::Letter);
            std::string error;
            const std::set<std::string> got = engine_ids(engine, c.query, imr::Scope::Letter, error);
            CHECK(error.empty());
            CHECK(got == expected);
            std::set<std::string> found;
            for (const auto& id : expected) found.insert(files[id.substr(0, id.find('/'))]);
            for (const auto& f : c.files) CHECK_MESSAGE(found.count(f), c.query << " finds " << f);
        }
    }
}
