// Loads the plain-text lexicons of data/lexicon/ and finds drugs, specialties, states, guidelines and categories in text.
#include "lexicon.h"
#include "string_hash.h"
#include "text_scan.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <utility>

#ifndef IMR_DEFAULT_DATA_DIR
#define IMR_DEFAULT_DATA_DIR "data"
#endif

namespace imr {
namespace {

using scan::join;

// ---- Tokens ------------------------------------------------------------------------------------
// Matching works on ASCII tokens: a run of letters or a run of digits. Everything else (spaces,
// punctuation, "/", "#", "&", "%", curly quotes, ™, non-breaking spaces) separates tokens, and a
// letter-digit change is a boundary too, so "Soma350mg" reads as soma|350|mg and "page 29Muscle"
// as page|29|muscle. The connectives "and" and "with" are dropped from both the lexicon names and
// the text, so "hydrocodone/APAP" = "hydrocodone and APAP" and
// "Physical Medicine & Rehabilitation" = "Physical Medicine and Rehabilitation".

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char fold_char(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

struct Token {
    std::size_t begin = 0;  // byte offsets in the original text (and in the folded copy)
    std::size_t end = 0;
};

bool is_connective(std::string_view folded) { return folded == "and" || folded == "with"; }

class Tokens {
public:
    explicit Tokens(std::string_view text) : text_(text), folded_(text) {
        for (auto& c : folded_) c = fold_char(c);
        tokens_.reserve(text.size() / 5 + 1);
        std::size_t i = 0;
        while (i < text.size()) {
            char c = text[i];
            if (!is_alpha(c) && !is_digit(c)) {
                ++i;
                continue;
            }
            bool digits = is_digit(c);
            std::size_t j = i + 1;
            while (j < text.size() && (digits ? is_digit(text[j]) : is_alpha(text[j]))) ++j;
            if (!is_connective(std::string_view(folded_).substr(i, j - i))) tokens_.push_back({i, j});
            i = j;
        }
    }
    std::size_t size() const { return tokens_.size(); }
    const Token& operator[](std::size_t i) const { return tokens_[i]; }
    std::string_view folded(std::size_t i) const {
        return std::string_view(folded_).substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
    }
    std::string_view original(std::size_t i) const {
        return text_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
    }
    std::string_view text() const { return text_; }

private:
    std::string_view text_;
    std::string folded_;
    std::vector<Token> tokens_;
};

std::vector<std::string> folded_tokens(std::string_view text) {
    Tokens t(text);
    std::vector<std::string> out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) out.emplace_back(t.folded(i));
    return out;
}

std::string key_of(std::string_view text) { return join(folded_tokens(text), " "); }

// Extracted text often glues the next word onto a name: "Pain Managementand is licensed",
// "Soma 350 MG Qty 15According", "NorcoThe". A token may therefore carry a run-on tail after the
// name when the tail is a short function word (only after names of 4+ letters, so "PT" never
// matches "PTs" or "pta"), or when a capital follows a lower-case letter (camel-case join).
constexpr std::array<std::string_view, 20> kRunonWords = {"and", "is", "in", "has", "who", "with", "was",
                                                          "are", "for", "the", "he", "she", "of", "on",
                                                          "at", "to", "or", "as", "by", "from"};
constexpr std::size_t kMinRunonName = 4;

bool is_runon_word(std::string_view folded_tail) {
    return std::find(kRunonWords.begin(), kRunonWords.end(), folded_tail) != kRunonWords.end();
}

bool runon_tail_at(const Tokens& toks, std::size_t i, std::size_t name_len) {
    const Token& t = toks[i];
    std::size_t len = t.end - t.begin;
    if (name_len == 0 || name_len >= len) return false;
    std::string_view original = toks.original(i);
    if (is_lower(original[name_len - 1]) && is_upper(original[name_len])) return true;
    return name_len >= kMinRunonName && is_runon_word(toks.folded(i).substr(name_len));
}

// Doses between the ingredients of a combination: "Flurbiprofen 20%/Lidocaine 5%".
bool is_dose_token(std::string_view folded) {
    if (!folded.empty() && is_digit(folded[0])) return true;
    return folded == "mg" || folded == "mcg" || folded == "g" || folded == "gm" || folded == "ml" ||
           folded == "percent";
}

// ---- Matcher -----------------------------------------------------------------------------------
// Names compiled into a map from their first folded token to candidate patterns, so that a scan
// of a text costs one hash lookup per token whatever the size of the lexicon.

struct Pattern {
    std::vector<std::string> tokens;  // folded
    std::vector<std::string> exact;   // original spelling, when case must match (state abbreviations)
    bool skip_doses = false;
    std::uint32_t target = 0;  // the owner's entry
    std::uint32_t tag = 0;     // owner-specific (the brand of a drug name)
};

struct Match {
    std::uint32_t pattern = 0;
    std::size_t first = 0;  // token index
    std::size_t next = 0;   // token index after the match
    std::size_t begin = 0;  // bytes
    std::size_t end = 0;
};

class Matcher {
public:
    // Adds a pattern unless one with the same tokens exists; returns the index of the one kept.
    std::uint32_t add(Pattern p) {
        std::string key = join(p.tokens, " ");
        if (auto it = whole_.find(key); it != whole_.end()) return it->second;
        auto index = static_cast<std::uint32_t>(patterns_.size());
        by_first_[p.tokens.front()].push_back(index);
        whole_.emplace(std::move(key), index);
        patterns_.push_back(std::move(p));
        return index;
    }
    const Pattern& pattern(std::uint32_t i) const { return patterns_[i]; }
    std::optional<std::uint32_t> find_key(const std::string& key) const {
        auto it = whole_.find(key);
        if (it == whole_.end()) return std::nullopt;
        return it->second;
    }

    // Calls on_match for every pattern that matches at token i.
    template <typename OnMatch>
    void each_at(const Tokens& toks, std::size_t i, OnMatch on_match) const {
        auto consider = [&](std::string_view first, bool runon_first) {
            auto it = by_first_.find(first);
            if (it == by_first_.end()) return;
            for (std::uint32_t index : it->second) {
                if (runon_first && patterns_[index].tokens.size() != 1) continue;
                if (auto m = match_at(toks, i, index)) on_match(*m);
            }
        };
        std::string_view token = toks.folded(i);
        consider(token, false);
        // A one-word name glued to what follows ("Chiropracticand", "SomaThe"): look up its prefixes.
        for (std::string_view tail : kRunonWords) {
            if (tail.back() == token.back() && token.size() >= kMinRunonName + tail.size() && token.ends_with(tail))
                consider(token.substr(0, token.size() - tail.size()), true);
        }
        std::string_view original = toks.original(i);
        for (std::size_t k = 1; k < original.size(); ++k) {
            if (is_lower(original[k - 1]) && is_upper(original[k])) consider(token.substr(0, k), true);
        }
    }

    // The longest pattern starting at token i.
    std::optional<Match> longest_at(const Tokens& toks, std::size_t i) const {
        std::optional<Match> best;
        each_at(toks, i, [&](const Match& m) {
            if (!best || m.end > best->end) best = m;
        });
        return best;
    }

    // Calls on_match for each longest match, scanning left to right without overlaps.
    template <typename OnMatch>
    void scan(const Tokens& toks, OnMatch on_match) const {
        std::size_t i = 0;
        while (i < toks.size()) {
            if (auto m = longest_at(toks, i)) {
                on_match(*m);
                i = m->next;
            } else {
                ++i;
            }
        }
    }

private:
    std::optional<Match> match_at(const Tokens& toks, std::size_t i, std::uint32_t index) const {
        const Pattern& p = patterns_[index];
        std::size_t j = i;
        std::size_t end = 0;
        for (std::size_t k = 0; k < p.tokens.size(); ++k) {
            const std::string& want = p.tokens[k];
            if (k > 0 && p.skip_doses) {
                for (int skipped = 0; skipped < 2 && j < toks.size() && toks.folded(j) != want &&
                                      is_dose_token(toks.folded(j));
                     ++skipped)
                    ++j;
            }
            if (j >= toks.size()) return std::nullopt;
            std::string_view got = toks.folded(j);
            bool last = k + 1 == p.tokens.size();
            if (got == want) {
                end = toks[j].end;
            } else if (last && got.starts_with(want) && runon_tail_at(toks, j, want.size())) {
                end = toks[j].begin + want.size();
            } else {
                return std::nullopt;
            }
            if (!p.exact.empty() && toks.text().substr(toks[j].begin, p.exact[k].size()) != p.exact[k])
                return std::nullopt;
            ++j;
        }
        return Match{index, i, j, toks[i].begin, end};
    }

    std::vector<Pattern> patterns_;
    StringMap<std::vector<std::uint32_t>> by_first_;
    std::unordered_map<std::string, std::uint32_t> whole_;
};

// ---- Reading the files -------------------------------------------------------------------------

struct Line {
    int number = 0;
    std::vector<std::string> columns;
};

std::string trim(std::string_view s) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

class LexiconFile {
public:
    LexiconFile(const std::filesystem::path& dir, std::string name) : name_(std::move(name)) {
        std::filesystem::path path = dir / name_;
        std::ifstream in(path, std::ios::binary);
        if (!in) throw LexiconError(path.string() + ": cannot open lexicon file");
        std::ostringstream buffer;
        buffer << in.rdbuf();
        content_ = buffer.str();
        if (content_.starts_with("\xEF\xBB\xBF")) content_.erase(0, 3);
    }

    // The data lines (not blank, not comments), split on tabs and trimmed; checks the column count.
    std::vector<Line> lines(std::size_t columns) const {
        std::vector<Line> out;
        std::istringstream in(content_);
        std::string raw;
        int number = 0;
        while (std::getline(in, raw)) {
            ++number;
            if (!raw.empty() && raw.back() == '\r') raw.pop_back();
            std::string stripped = trim(raw);
            if (stripped.empty() || stripped.front() == '#') continue;
            Line line{number, {}};
            std::size_t start = 0;
            while (true) {
                std::size_t tab = raw.find('\t', start);
                line.columns.push_back(trim(std::string_view(raw).substr(start, tab - start)));
                if (tab == std::string::npos) break;
                start = tab + 1;
            }
            if (line.columns.size() != columns) {
                throw error(number, "expected " + std::to_string(columns) + " tab-separated columns, got " +
                                        std::to_string(line.columns.size()));
            }
            out.push_back(std::move(line));
        }
        if (out.empty()) throw LexiconError(name_ + ": no entries");
        return out;
    }

    LexiconError error(int line, const std::string& message) const {
        return LexiconError(name_ + ":" + std::to_string(line) + ": " + message);
    }

    void require(const Line& line, std::size_t column, const char* what) const {
        if (line.columns[column].empty())
            throw error(line.number, "column " + std::to_string(column + 1) + " (" + what + ") is empty");
    }

    // A "|"-separated list; "-" or an empty column means none.
    static std::vector<std::string> list(const std::string& column) {
        std::vector<std::string> out;
        if (column == "-") return out;
        std::size_t start = 0;
        while (start <= column.size()) {
            std::size_t bar = column.find('|', start);
            std::string item = trim(std::string_view(column).substr(start, bar - start));
            if (!item.empty()) out.push_back(std::move(item));
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        return out;
    }

    // Folded tokens of a name, which must have some letter or digit to be findable.
    std::vector<std::string> tokens_of(const Line& line, const std::string& name) const {
        auto tokens = folded_tokens(name);
        if (tokens.empty()) throw error(line.number, "\"" + name + "\" has no letters or digits to match");
        return tokens;
    }

    const std::string& name() const { return name_; }

private:
    std::string name_;
    std::string content_;
};

// Adds names to a matcher and rejects one name claimed by two different entries (Pattern::target),
// which would make the lexicon's answer depend on file order.
class NameRegistry {
public:
    NameRegistry(const LexiconFile& file, Matcher& matcher) : file_(file), matcher_(matcher) {}

    void add(const Line& line, const std::string& name, Pattern pattern, const std::string& owner_name) {
        pattern.tokens = file_.tokens_of(line, name);
        std::string key = join(pattern.tokens, " ");
        if (auto it = owners_.find(key); it != owners_.end()) {
            if (it->second.target != pattern.target) {
                throw file_.error(line.number, "\"" + name + "\" already names " + it->second.owner + " (line " +
                                                   std::to_string(it->second.line) + ")");
            }
            return;
        }
        owners_.emplace(key, Owner{pattern.target, owner_name, line.number});
        matcher_.add(std::move(pattern));
    }

private:
    struct Owner {
        std::uint32_t target = 0;
        std::string owner;
        int line = 0;
    };
    const LexiconFile& file_;
    Matcher& matcher_;
    std::unordered_map<std::string, Owner> owners_;
};

constexpr std::uint32_t kNoBrand = std::numeric_limits<std::uint32_t>::max();

template <typename T>
std::uint32_t index_of(const std::vector<T>& v) {
    return static_cast<std::uint32_t>(v.size());
}

}  // namespace

// ---- Lexicon -------------------------------------------------------------------------------------

struct Lexicon::Impl {
    std::vector<DrugEntry> drugs;
    Matcher drug_names;
    std::vector<std::string> brand_names;  // Pattern::tag of drug names
    std::unordered_map<std::string, std::vector<std::uint32_t>> drugs_by_ingredient;  // folded key

    std::vector<std::string> specialties;
    Matcher specialty_names;

    std::vector<std::string> states;
    Matcher state_names;

    std::vector<std::string> sources;  // in precedence order
    Matcher source_names;
    std::vector<GuidelineTopic> topics;
    std::vector<GuidelinePart> parts;
    std::deque<Matcher> topic_names;  // one per source; a deque, so registries keep their references

    std::vector<std::string> categories;  // in precedence order
    Matcher category_keywords;

    void load_drugs(const std::filesystem::path& dir);
    void load_specialties(const std::filesystem::path& dir);
    void load_states(const std::filesystem::path& dir);
    void load_guidelines(const std::filesystem::path& dir);
    void load_categories(const std::filesystem::path& dir);
    Drug drug_of(std::uint32_t entry, std::uint32_t brand_tag) const;
};

void Lexicon::Impl::load_drugs(const std::filesystem::path& dir) {
    LexiconFile file(dir, "drugs.tsv");
    NameRegistry names(file, drug_names);
    auto lines = file.lines(4);
    // A generic may appear on a second line for a dosage form with a class of its own (topical
    // ketoprofen cream is a topical analgesic, the tablets an NSAID); its plain name stays with the
    // first line, and the second line is found by its brands and aliases.
    struct FirstLine {
        int line = 0;
        std::string drug_class;
    };
    std::unordered_map<std::string, FirstLine> generic_lines;
    std::vector<bool> primary;
    for (const Line& line : lines) {
        file.require(line, 0, "generic name");
        file.require(line, 1, "drug class");
        DrugEntry entry;
        entry.generic = line.columns[0];
        if (std::any_of(entry.generic.begin(), entry.generic.end(), is_upper))
            throw file.error(line.number, "generic name \"" + entry.generic + "\" must be lower case");
        auto [first, fresh] = generic_lines.emplace(entry.generic, FirstLine{line.number, line.columns[1]});
        if (!fresh && first->second.drug_class == line.columns[1]) {
            throw file.error(line.number, "generic name \"" + entry.generic + "\" already listed at line " +
                                              std::to_string(first->second.line));
        }
        std::size_t start = 0;
        while (true) {
            std::size_t slash = entry.generic.find('/', start);
            std::string ingredient = trim(std::string_view(entry.generic).substr(start, slash - start));
            if (ingredient.empty())
                throw file.error(line.number, "generic name \"" + entry.generic + "\" has an empty ingredient");
            entry.ingredients.push_back(std::move(ingredient));
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
        entry.drug_class = line.columns[1];
        entry.brands = LexiconFile::list(line.columns[2]);
        entry.aliases = LexiconFile::list(line.columns[3]);

        auto target = index_of(drugs);
        if (fresh) {
            names.add(line, entry.generic, Pattern{{}, {}, entry.ingredients.size() > 1, target, kNoBrand},
                      entry.generic);
        } else if (entry.brands.empty() && entry.aliases.empty()) {
            throw file.error(line.number, "a second line for \"" + entry.generic +
                                              "\" needs brands or aliases to tell it from line " +
                                              std::to_string(first->second.line));
        }
        primary.push_back(fresh);
        for (const auto& brand : entry.brands) {
            names.add(line, brand, Pattern{{}, {}, false, target, index_of(brand_names)}, entry.generic);
            brand_names.push_back(brand);
        }
        // Aliases name dosage forms, so a dose may sit inside them: "ketoprofen 20% cream".
        for (const auto& alias : entry.aliases)
            names.add(line, alias, Pattern{{}, {}, true, target, kNoBrand}, entry.generic);
        drugs.push_back(std::move(entry));
    }

    // Other spellings of each ingredient: the generic and aliases of its single-ingredient entry.
    std::unordered_map<std::string, std::vector<std::vector<std::string>>> spellings;
    for (std::size_t k = 0; k < drugs.size(); ++k) {
        const auto& d = drugs[k];
        if (d.ingredients.size() != 1 || !primary[k]) continue;
        auto& s = spellings[d.generic];
        for (const auto& alias : d.aliases) s.push_back(folded_tokens(alias));
    }
    // Combinations are findable in any order of their ingredients and with any spelling of each:
    // "APAP/hydrocodone", "hydrocodone bitartrate and acetaminophen". Explicit names win collisions.
    for (std::uint32_t target = 0; target < drugs.size(); ++target) {
        const auto& ingredients = drugs[target].ingredients;
        if (ingredients.size() < 2) continue;
        std::vector<std::size_t> order(ingredients.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::size_t generated = 0;
        do {
            std::vector<std::vector<std::string>> sequence{{}};
            for (std::size_t i : order) {
                std::vector<std::vector<std::string>> choices{folded_tokens(ingredients[i])};
                if (auto it = spellings.find(ingredients[i]); it != spellings.end())
                    choices.insert(choices.end(), it->second.begin(), it->second.end());
                std::vector<std::vector<std::string>> next;
                for (const auto& prefix : sequence) {
                    for (const auto& choice : choices) {
                        auto tokens = prefix;
                        tokens.insert(tokens.end(), choice.begin(), choice.end());
                        next.push_back(std::move(tokens));
                    }
                }
                sequence = std::move(next);
            }
            for (auto& tokens : sequence) {
                if (tokens.empty() || ++generated > 256) break;
                drug_names.add(Pattern{std::move(tokens), {}, true, target, kNoBrand});
            }
        } while (ingredients.size() <= 3 && std::next_permutation(order.begin(), order.end()));
    }

    for (std::uint32_t target = 0; target < drugs.size(); ++target) {
        for (const auto& ingredient : drugs[target].ingredients) {
            auto& list = drugs_by_ingredient[key_of(ingredient)];
            if (list.empty() || list.back() != target) list.push_back(target);
        }
    }
    for (std::size_t k = 0; k < drugs.size(); ++k) {
        const auto& d = drugs[k];
        if (d.ingredients.size() != 1 || !primary[k]) continue;
        auto it = drugs_by_ingredient.find(key_of(d.generic));
        if (it == drugs_by_ingredient.end()) continue;
        auto containing = it->second;
        for (const auto& alias : d.aliases) drugs_by_ingredient.emplace(key_of(alias), containing);
    }
}

void Lexicon::Impl::load_specialties(const std::filesystem::path& dir) {
    LexiconFile file(dir, "specialties.tsv");
    NameRegistry names(file, specialty_names);
    for (const Line& line : file.lines(2)) {
        file.require(line, 0, "specialty");
        const std::string& canonical = line.columns[0];
        if (std::find(specialties.begin(), specialties.end(), canonical) != specialties.end())
            throw file.error(line.number, "specialty \"" + canonical + "\" is listed twice");
        auto target = index_of(specialties);
        names.add(line, canonical, Pattern{{}, {}, false, target, 0}, canonical);
        for (const auto& variant : LexiconFile::list(line.columns[1]))
            names.add(line, variant, Pattern{{}, {}, false, target, 0}, canonical);
        specialties.push_back(canonical);
    }
}

void Lexicon::Impl::load_states(const std::filesystem::path& dir) {
    LexiconFile file(dir, "states.tsv");
    NameRegistry names(file, state_names);
    for (const Line& line : file.lines(3)) {
        file.require(line, 0, "state");
        file.require(line, 1, "abbreviation");
        const std::string& state = line.columns[0];
        const std::string& abbreviation = line.columns[1];
        if (abbreviation.size() != 2 || !is_upper(abbreviation[0]) || !is_upper(abbreviation[1]))
            throw file.error(line.number, "abbreviation \"" + abbreviation + "\" must be two capital letters");
        auto target = index_of(states);
        names.add(line, state, Pattern{{}, {}, false, target, 0}, state);
        // Two capitals in prose are an abbreviation only as printed: "CA", never the word "in" or "or".
        names.add(line, abbreviation, Pattern{{}, {abbreviation}, false, target, 0}, state);
        for (const auto& variant : LexiconFile::list(line.columns[2]))
            names.add(line, variant, Pattern{{}, {}, false, target, 0}, state);
        states.push_back(state);
    }
}

void Lexicon::Impl::load_guidelines(const std::filesystem::path& dir) {
    LexiconFile file(dir, "guidelines.tsv");
    NameRegistry source_registry(file, source_names);
    std::vector<std::unique_ptr<NameRegistry>> topic_registries;
    for (const Line& line : file.lines(4)) {
        const std::string& kind = line.columns[0];
        file.require(line, 1, "source");
        file.require(line, 2, "name");
        const std::string& source = line.columns[1];
        auto known = std::find(sources.begin(), sources.end(), source);
        if (kind == "source") {
            if (known != sources.end())
                throw file.error(line.number, "source \"" + source + "\" is declared twice");
            auto target = index_of(sources);
            sources.push_back(source);
            topic_names.emplace_back();
            topic_registries.push_back(std::make_unique<NameRegistry>(file, topic_names.back()));
            source_registry.add(line, line.columns[2], Pattern{{}, {}, false, target, 0}, source);
            for (const auto& phrase : LexiconFile::list(line.columns[3]))
                source_registry.add(line, phrase, Pattern{{}, {}, false, target, 0}, source);
        } else if (kind == "topic") {
            if (known == sources.end()) {
                throw file.error(line.number,
                                 "unknown source \"" + source + "\"; declare it on a \"source\" line above");
            }
            auto source_index = static_cast<std::size_t>(known - sources.begin());
            GuidelineTopic topic{source, line.columns[2], LexiconFile::list(line.columns[3])};
            auto target = index_of(topics);
            auto& registry = *topic_registries[source_index];
            registry.add(line, topic.topic, Pattern{{}, {}, false, target, 0}, topic.topic);
            for (const auto& variant : topic.variants)
                registry.add(line, variant, Pattern{{}, {}, false, target, 0}, topic.topic);
            topics.push_back(std::move(topic));
        } else if (kind == "document" || kind == "chapter") {
            if (known == sources.end()) {
                throw file.error(line.number,
                                 "unknown source \"" + source + "\"; declare it on a \"source\" line above");
            }
            parts.push_back(GuidelinePart{kind, source, line.columns[2], LexiconFile::list(line.columns[3])});
        } else {
            throw file.error(line.number, "first column must be \"source\", \"topic\", \"document\" or \"chapter\", got \"" +
                                              kind + "\"");
        }
    }
}

void Lexicon::Impl::load_categories(const std::filesystem::path& dir) {
    LexiconFile file(dir, "categories.tsv");
    NameRegistry names(file, category_keywords);
    for (const Line& line : file.lines(2)) {
        file.require(line, 0, "category");
        const std::string& category = line.columns[0];
        if (std::find(categories.begin(), categories.end(), category) != categories.end())
            throw file.error(line.number, "category \"" + category + "\" is listed twice");
        auto target = index_of(categories);
        for (const auto& keyword : LexiconFile::list(line.columns[1]))
            names.add(line, keyword, Pattern{{}, {}, false, target, 0}, category);
        categories.push_back(category);
    }
    for (const char* implied : {"medication", "other"}) {
        if (std::find(categories.begin(), categories.end(), implied) == categories.end())
            categories.emplace_back(implied);
    }
}

Drug Lexicon::Impl::drug_of(std::uint32_t entry, std::uint32_t brand_tag) const {
    const DrugEntry& d = drugs[entry];
    return Drug{d.generic, d.ingredients, brand_tag == kNoBrand ? std::string() : brand_names[brand_tag],
                d.drug_class};
}

Lexicon::Lexicon() : impl_(std::make_unique<Impl>()) {}
Lexicon::Lexicon(Lexicon&&) noexcept = default;
Lexicon& Lexicon::operator=(Lexicon&&) noexcept = default;
Lexicon::~Lexicon() = default;

Lexicon Lexicon::load(const std::filesystem::path& dir) {
    Lexicon lexicon;
    lexicon.impl_->load_drugs(dir);
    lexicon.impl_->load_specialties(dir);
    lexicon.impl_->load_states(dir);
    lexicon.impl_->load_guidelines(dir);
    lexicon.impl_->load_categories(dir);
    return lexicon;
}

std::optional<Drug> Lexicon::find_drug(std::string_view text) const {
    Tokens toks(text);
    std::optional<Match> best;
    std::vector<Match> brand_matches;
    for (std::size_t i = 0; i < toks.size(); ++i) {
        impl_->drug_names.each_at(toks, i, [&](const Match& m) {
            if (!best || m.end - m.begin > best->end - best->begin) best = m;
            if (impl_->drug_names.pattern(m.pattern).tag != kNoBrand) brand_matches.push_back(m);
        });
    }
    if (!best) return std::nullopt;
    const Pattern& chosen = impl_->drug_names.pattern(best->pattern);
    std::uint32_t brand = chosen.tag;
    // "Carisoprodol (Soma)": the generic is the longer name, but the brand is still worth keeping.
    for (std::size_t k = 0; brand == kNoBrand && k < brand_matches.size(); ++k) {
        const Pattern& p = impl_->drug_names.pattern(brand_matches[k].pattern);
        if (p.target == chosen.target) brand = p.tag;
    }
    return impl_->drug_of(chosen.target, brand);
}

std::vector<const DrugEntry*> Lexicon::drugs_matching(std::string_view name) const {
    std::string key = key_of(name);
    std::vector<const DrugEntry*> out;
    if (key.empty()) return out;
    if (auto it = impl_->drugs_by_ingredient.find(key); it != impl_->drugs_by_ingredient.end()) {
        for (auto index : it->second) out.push_back(&impl_->drugs[index]);
    } else if (auto pattern = impl_->drug_names.find_key(key)) {
        out.push_back(&impl_->drugs[impl_->drug_names.pattern(*pattern).target]);
    }
    return out;
}

const std::vector<DrugEntry>& Lexicon::drugs() const { return impl_->drugs; }

std::optional<std::string> Lexicon::canonical_specialty(std::string_view text) const {
    auto pattern = impl_->specialty_names.find_key(key_of(text));
    if (!pattern) return std::nullopt;
    return impl_->specialties[impl_->specialty_names.pattern(*pattern).target];
}

namespace {
std::vector<std::string> find_all(const Matcher& matcher, const std::vector<std::string>& names,
                                  std::string_view text) {
    Tokens toks(text);
    std::vector<std::string> out;
    matcher.scan(toks, [&](const Match& m) {
        const std::string& name = names[matcher.pattern(m.pattern).target];
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    });
    return out;
}
}  // namespace

std::vector<std::string> Lexicon::find_specialties(std::string_view text) const {
    return find_all(impl_->specialty_names, impl_->specialties, text);
}

const std::vector<std::string>& Lexicon::specialties() const { return impl_->specialties; }

std::optional<std::string> Lexicon::canonical_state(std::string_view text) const {
    auto pattern = impl_->state_names.find_key(key_of(text));
    if (!pattern) return std::nullopt;
    return impl_->states[impl_->state_names.pattern(*pattern).target];
}

std::vector<std::string> Lexicon::find_states(std::string_view text) const {
    return find_all(impl_->state_names, impl_->states, text);
}

std::optional<std::string> Lexicon::guideline_source(std::string_view text) const {
    Tokens toks(text);
    auto best = std::numeric_limits<std::uint32_t>::max();
    impl_->source_names.scan(toks, [&](const Match& m) {
        best = std::min(best, impl_->source_names.pattern(m.pattern).target);
    });
    if (best == std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
    return impl_->sources[best];
}

std::optional<std::string> Lexicon::canonical_topic(std::string_view source, std::string_view text) const {
    std::string key = key_of(text);
    Tokens toks(text);
    for (std::size_t s = 0; s < impl_->sources.size(); ++s) {
        if (!source.empty() && impl_->sources[s] != source) continue;
        const Matcher& names = impl_->topic_names[s];
        if (auto exact = names.find_key(key)) return impl_->topics[names.pattern(*exact).target].topic;
        std::optional<Match> best;
        names.scan(toks, [&](const Match& m) {
            if (!best || m.end - m.begin > best->end - best->begin) best = m;
        });
        if (best) return impl_->topics[names.pattern(best->pattern).target].topic;
    }
    return std::nullopt;
}

const std::vector<GuidelineTopic>& Lexicon::guideline_topics() const { return impl_->topics; }
const std::vector<GuidelinePart>& Lexicon::guideline_parts() const { return impl_->parts; }

std::string Lexicon::category_for(std::string_view item, const std::optional<Drug>& drug) const {
    if (drug) return "medication";
    Tokens toks(item);
    auto best = std::numeric_limits<std::uint32_t>::max();
    for (std::size_t i = 0; i < toks.size(); ++i) {
        impl_->category_keywords.each_at(toks, i, [&](const Match& m) {
            best = std::min(best, impl_->category_keywords.pattern(m.pattern).target);
        });
    }
    if (best == std::numeric_limits<std::uint32_t>::max()) return "other";
    return impl_->categories[best];
}

const std::vector<std::string>& Lexicon::categories() const { return impl_->categories; }

std::filesystem::path default_data_dir() {
    if (const char* env = std::getenv("IMR_DATA_DIR"); env && *env) return env;
    return IMR_DEFAULT_DATA_DIR;
}

}  // namespace imr
