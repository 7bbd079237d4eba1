// Finds a query's words, stems, prefixes and phrases in text with the shared analyzer, and marks them in HTML.
#include "highlighter.h"

#include "sentences.h"

#include <algorithm>
#include <unordered_map>

namespace imr {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

void append_escaped(std::string& out, std::string_view text, bool collapse_space) {
    bool in_space = false;
    for (char c : text) {
        if (collapse_space && is_space(c)) {
            if (!in_space) out += ' ';
            in_space = true;
            continue;
        }
        in_space = false;
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}

template <typename List>
std::size_t index_in(const List& list, const std::string& value) {
    return static_cast<std::size_t>(std::find(list.begin(), list.end(), value) - list.begin());
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    append_escaped(out, text, false);
    return out;
}

Highlighter::Highlighter(const Analyzer& analyzer, const Highlight& highlight)
    : analyzer_(analyzer), highlight_(highlight), phrases_(highlight.phrases) {
    std::stable_sort(phrases_.begin(), phrases_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    item_count_ = phrases_.size() + highlight_.terms.size() + highlight_.stems.size() + highlight_.prefixes.size();
    // A stem is not always a prefix of its words ("necessari" for "necessary"), so only its first
    // three characters are looked for; compound parts ("325" of "10/325") are substrings anyway.
    auto add_needle = [&](std::string_view n, std::size_t keep) {
        std::string needle(n.substr(0, std::min(n.size(), keep)));
        if (!needle.empty() && std::find(needles_.begin(), needles_.end(), needle) == needles_.end()) needles_.push_back(needle);
    };
    for (const auto& p : phrases_)
        if (!p.empty()) add_needle(p.front(), SIZE_MAX);
    for (const auto& t : highlight_.terms) add_needle(t, SIZE_MAX);
    for (const auto& t : highlight_.stems) add_needle(t, 3);
    for (const auto& t : highlight_.prefixes) add_needle(t, SIZE_MAX);
}

bool Highlighter::might_match(std::string_view text) const {
    if (needles_.empty()) return false;
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    for (const auto& needle : needles_) {
        const auto found = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
            return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
        });
        if (found != text.end()) return true;
    }
    return false;
}

Highlighter::Analysis Highlighter::analyze(std::string_view text) const {
    Analysis a;
    a.tokens = analyzer_.tokenize(text);
    if (highlight_.empty()) return a;
    const auto& tokens = a.tokens;
    std::unordered_map<std::string, std::string> stem_cache;
    auto stem_of = [&](const std::string& term) -> const std::string& {
        auto it = stem_cache.find(term);
        if (it == stem_cache.end()) it = stem_cache.emplace(term, analyzer_.stem(term)).first;
        return it->second;
    };
    // Which query item one term matches, or npos.
    auto single_item = [&](const std::string& term) -> std::size_t {
        std::size_t base = phrases_.size();
        if (std::size_t i = index_in(highlight_.terms, term); i < highlight_.terms.size()) return base + i;
        base += highlight_.terms.size();
        if (!highlight_.stems.empty())
            if (std::size_t i = index_in(highlight_.stems, stem_of(term)); i < highlight_.stems.size()) return base + i;
        base += highlight_.stems.size();
        for (std::size_t i = 0; i < highlight_.prefixes.size(); ++i)
            if (term.compare(0, highlight_.prefixes[i].size(), highlight_.prefixes[i]) == 0) return base + i;
        return std::string::npos;
    };

    std::vector<bool> seen(item_count_, false);
    for (std::size_t i = 0; i < tokens.size();) {
        bool matched = false;
        for (std::size_t p = 0; p < phrases_.size() && !matched; ++p) {
            const auto& phrase = phrases_[p];
            if (phrase.empty() || i + phrase.size() > tokens.size()) continue;
            bool same = true;
            for (std::size_t k = 0; k < phrase.size() && same; ++k) same = tokens[i + k].term == phrase[k];
            if (!same) continue;
            a.matches.push_back({i, i + phrase.size() - 1, tokens[i].begin, tokens[i + phrase.size() - 1].end, p});
            i += phrase.size();
            matched = true;
        }
        if (matched) continue;
        std::size_t item = single_item(tokens[i].term);
        // A compound such as 10/325 is marked when the query named one of its parts.
        for (std::size_t k = 0; item == std::string::npos && k < tokens[i].parts.size(); ++k) {
            const std::string& part = tokens[i].parts[k];
            if (std::size_t j = index_in(highlight_.terms, part); j < highlight_.terms.size()) item = phrases_.size() + j;
        }
        if (item != std::string::npos) a.matches.push_back({i, i, tokens[i].begin, tokens[i].end, item});
        ++i;
    }
    for (const auto& m : a.matches) {
        if (!seen[m.item]) {
            ++a.distinct;
            a.weight += item_weight(m.item);
        }
        seen[m.item] = true;
    }
    if (!highlight_.nears.empty()) find_nears(text, a);
    return a;
}

void Highlighter::find_nears(std::string_view text, Analysis& a) const {
    const auto& tokens = a.tokens;
    std::vector<TokenStart> starts;
    for (const auto& near : highlight_.nears) {
        if (near.slots.empty()) continue;
        // Each member's token indexes, a phrase member's (slots that follow the one before them)
        // where all its words lie in a row; `extent` is how many tokens past its start it covers.
        std::vector<std::vector<std::size_t>> at;
        std::vector<std::size_t> extent;
        auto holds = [&](std::size_t slot, std::size_t i) {
            return i < tokens.size() && std::find(near.slots[slot].begin(), near.slots[slot].end(), tokens[i].term) != near.slots[slot].end();
        };
        for (std::size_t s = 0; s < near.slots.size();) {
            std::size_t words = 1;
            while (s + words < near.slots.size() && s + words < near.follows.size() && near.follows[s + words]) ++words;
            std::vector<std::size_t> starts_here;
            for (std::size_t i = 0; i < tokens.size(); ++i) {
                bool all = true;
                for (std::size_t k = 0; k < words && all; ++k) all = holds(s + k, i + k);
                if (all) starts_here.push_back(i);
            }
            at.push_back(std::move(starts_here));
            extent.push_back(words - 1);
            s += words;
        }
        const std::size_t n = at.size();
        if (std::any_of(at.begin(), at.end(), [](const auto& v) { return v.empty(); })) continue;
        // The unit each token lies in, for sentences and paragraphs.
        std::vector<std::size_t> unit(tokens.size(), 0);
        if (near.unit != ProximityUnit::Words) {
            if (starts.empty()) starts = token_starts(text, tokens);
            for (std::size_t i = 1; i < tokens.size(); ++i)
                unit[i] = unit[i - 1] + (starts[i] == TokenStart::Paragraph ||
                                         (starts[i] == TokenStart::Sentence && near.unit == ProximityUnit::Sentence));
        }
        // From each position of the first member (or of any, unordered), the nearest position of
        // every other member after it (or on either side) that keeps the group in its window or unit.
        for (std::size_t anchor_slot = 0; anchor_slot < (near.ordered ? 1 : n); ++anchor_slot) {
            for (const std::size_t first : at[anchor_slot]) {
                std::size_t last = first + extent[anchor_slot];
                bool all = true;
                std::size_t previous = last;
                for (std::size_t s = 0; s < n && all; ++s) {
                    if (s == anchor_slot) continue;
                    bool found = false;
                    for (const std::size_t i : at[s]) {
                        if (near.ordered ? i <= previous : i < first) continue;
                        const std::size_t end = i + extent[s];
                        const bool fits = near.unit == ProximityUnit::Words ? end - first < near.window : unit[end] == unit[first];
                        if (!fits) break;
                        last = std::max(last, end);
                        previous = end;
                        found = true;
                        break;
                    }
                    all = found;
                }
                if (all) a.nears.emplace_back(first, last);
            }
        }
    }
    std::sort(a.nears.begin(), a.nears.end(),
              [](const auto& x, const auto& y) { return x.second - x.first < y.second - y.first || (x.second - x.first == y.second - y.first && x.first < y.first); });
}

std::string Highlighter::render(std::string_view text, std::size_t begin, std::size_t end,
                                const std::vector<Match>& matches, bool collapse_space) const {
    std::string out;
    out.reserve((end - begin) + (end - begin) / 8 + matches.size() * 13);
    std::size_t at = begin;
    for (const auto& m : matches) {
        if (m.begin < begin || m.end > end) continue;
        append_escaped(out, text.substr(at, m.begin - at), collapse_space);
        out += "<mark>";
        append_escaped(out, text.substr(m.begin, m.end - m.begin), collapse_space);
        out += "</mark>";
        at = m.end;
    }
    append_escaped(out, text.substr(at, end - at), collapse_space);
    return out;
}

std::string Highlighter::mark_all(std::string_view text) const {
    if (highlight_.empty()) return html_escape(text);
    const Analysis a = analyze(text);
    return render(text, 0, text.size(), a.matches, false);
}

std::string Highlighter::window(std::string_view text, const Analysis& a, std::size_t words) const {
    const auto& tokens = a.tokens;
    if (tokens.empty() || words == 0) return {};
    std::size_t first = 0;
    std::size_t must_reach = 0;  // the window runs at least to this token
    if (!a.nears.empty()) {
        // The tightest place where a proximity search's members all lie, a few words before it.
        constexpr std::size_t kLead = 4;
        const auto [near_first, near_last] = a.nears.front();
        first = near_first > kLead ? near_first - kLead : 0;
        must_reach = std::min(near_last, near_first + 3 * words);
    } else if (!a.matches.empty()) {
        // The window start (a few words before some match) that holds the most distinct items. The
        // match it starts before always counts, as the window runs on to its end: a phrase pasted
        // from a letter may be longer than the window, and a short window has little room to lead.
        const std::size_t lead = std::min<std::size_t>(4, words / 4);
        std::size_t best_score = 0, best_total = 0;
        std::vector<std::size_t> seen(item_count_, SIZE_MAX);
        for (std::size_t s = 0; s < a.matches.size(); ++s) {
            const std::size_t start = a.matches[s].first_token > lead ? a.matches[s].first_token - lead : 0;
            std::size_t score = 0, total = 0;
            for (std::size_t k = s; k < a.matches.size() && (k == s || a.matches[k].last_token < start + words); ++k) {
                ++total;
                if (seen[a.matches[k].item] != s) {
                    seen[a.matches[k].item] = s;
                    score += item_weight(a.matches[k].item);
                }
            }
            if (score > best_score || (score == best_score && total > best_total)) {
                best_score = score;
                best_total = total;
                first = start;
            }
        }
    }
    // A window that would run past the end starts earlier, so that it is full when it can be.
    if (first + words > tokens.size() && must_reach == 0) first = tokens.size() > words ? tokens.size() - words : 0;
    std::size_t last = std::max(std::min(tokens.size(), first + words) - 1, std::min(must_reach, tokens.size() - 1));
    // Never cut a marked phrase in two.
    for (const auto& m : a.matches)
        if (m.first_token <= last && m.last_token > last) last = m.last_token;
    // The window keeps the punctuation around its words: all of it at the ends of the text, and
    // what is glued to the last word ("necessary.") elsewhere.
    std::size_t begin = tokens[first].begin;
    if (first == 0) {
        begin = 0;
        while (begin < tokens[0].begin && is_space(text[begin])) ++begin;
    }
    std::size_t end = tokens[last].end;
    if (last + 1 == tokens.size()) end = text.size();
    else while (end < tokens[last + 1].begin && !is_space(text[end])) ++end;
    while (end > begin && is_space(text[end - 1])) --end;
    std::string out;
    if (first > 0) out += "… ";
    out += render(text, begin, end, a.matches, true);
    if (last + 1 < tokens.size()) out += " …";
    return out;
}

}  // namespace imr
