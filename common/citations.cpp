// Guideline citations: clauses, source, the guideline's name, topics from the lexicon and page lists.
//
// A MAXIMUS guideline paragraph reads like
//   "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma), page 29 Muscle
//    relaxants (for pain), page 64. Decision based on Non-MTUS Citation Official Disability
//    Guidelines (ODG) Pain, Muscle relaxants (for pain) Other Medical Treatment Guideline or
//    Medical Evidence: Title 8, California Code of Regulations, section 9792.20"
// so it is cut into clauses at "Decision based on" and "... Medical Evidence:"; each clause names
// one source (the lexicon decides which), then the guideline's own name ("MTUS Chronic Pain
// Treatment Guidelines"), then topics separated by ";", by page references or by nothing at all
// ("Carisoprodol (Soma) Muscle relaxants (for pain) Page(s): 29, 63-66").
#include "citations.h"

#include "text_scan.h"

#include <algorithm>

namespace imr {
namespace {

using namespace imr::scan;

struct Tok {
    std::size_t begin;
    std::size_t end;
    std::string_view folded;  // view into the caller's lower-case copy of the text
};

// Runs of letters or of digits, folded; "and" and "with" dropped so "&" and "and" agree (as the
// lexicon matches). `lower` is the text in lower case and must outlive the tokens.
std::vector<Tok> tokenize(std::string_view lower) {
    std::vector<Tok> toks;
    toks.reserve(lower.size() / 5 + 1);
    for (std::size_t i = 0; i < lower.size();) {
        if (!is_alnum(lower[i])) {
            ++i;
            continue;
        }
        bool digits = is_digit(lower[i]);
        std::size_t j = i + 1;
        while (j < lower.size() && (digits ? is_digit(lower[j]) : is_alpha(lower[j]))) ++j;
        std::string_view folded = lower.substr(i, j - i);
        if (folded != "and" && folded != "with") toks.push_back({i, j, folded});
        i = j;
    }
    return toks;
}

// Words that make up the names of the guidelines themselves, not their topics.
// Views, not C strings: comparing a view with a C string measures the string first (strlen).
bool is_name_word(std::string_view w) {
    static constexpr std::string_view kWords[] = {
        "mtus", "odg", "acoem", "non", "citation", "california", "ca", "chronic", "pain", "medical", "treatment",
        "guidelines", "guideline", "official", "disability", "american", "college", "of", "occupational",
        "environmental", "medicine", "practice", "nd", "edition", "utilization", "schedule", "the", "work",
        "loss", "data", "institute", "twc", "in", "workers", "compensation", "s", "based", "on", "decision",
        "cited", "per", "according", "to", "recommendations", "chapter", "section"};
    if (!w.empty() && is_digit(w.front())) return w.size() <= 4;  // "2nd", "(2004)"
    return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

bool closes_name(std::string_view w) {
    static constexpr std::string_view kWords[] = {"guidelines", "guideline", "odg", "acoem", "mtus", "schedule",
                                                  "edition", "citation", "twc", "compensation", "institute"};
    if (w.size() == 4 && std::all_of(w.begin(), w.end(), is_digit)) return true;  // "(2004)"
    return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
}

// A page number or range: "29", "63-66", "303-304".
std::size_t page_item_end(std::string_view s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j])) ++j;
    if (j == i || j - i > 4) return i;
    if (j + 1 < s.size() && s[j] == '-' && is_digit(s[j + 1])) {
        std::size_t k = j + 1;
        while (k < s.size() && is_digit(s[k])) ++k;
        j = k;
    }
    if (j < s.size() && is_alpha(s[j]) && !(j + 1 < s.size() && is_upper(s[j]) && is_lower(s[j + 1]))) return i;
    return j;
}

// Clause starts: "Decision based on" and the lead-in of the "other evidence" citations.
std::vector<std::size_t> clause_starts(std::string_view text) {
    std::vector<std::size_t> starts;
    for (std::string_view marker : {std::string_view("decision based on"),
                                    std::string_view("other medical treatment guideline or medical evidence"),
                                    std::string_view("other medical evidence")}) {
        for (std::size_t pos = ifind(text, marker); pos != std::string_view::npos; pos = ifind(text, marker, pos + 1))
            if (word_start_at(text, pos)) starts.push_back(pos);
    }
    std::sort(starts.begin(), starts.end());
    return starts;
}

std::string clean_topic_text(std::string_view text) {
    text = trim_punct(text, ",;.:()-");
    // Leading connectives and list numbering: "and MTUS Definitions", "7) When to Continue Opioids".
    for (bool changed = true; changed;) {
        changed = false;
        for (std::string_view lead : {"and ", "the ", "& "}) {
            if (istarts_with(text, lead)) {
                text = trim_punct(text.substr(lead.size()), ",;.:-");
                changed = true;
            }
        }
    }
    // A trailing unmatched "(" or a leading unmatched ")" left by the cuts.
    std::string out = squeeze_spaces(text);
    auto count = [&](char c) { return std::count(out.begin(), out.end(), c); };
    while (!out.empty() && out.back() == '(') out.pop_back();
    if (count('(') > count(')')) out += ')';
    return std::string(trim(out));
}

void add_citation(std::vector<Citation>& out, Citation c) {
    for (auto& existing : out) {
        if (existing.source == c.source && existing.topic == c.topic) {
            if (existing.pages.empty()) existing.pages = c.pages;
            return;
        }
    }
    out.push_back(std::move(c));
}

// The pages list "29, 63-66" split into its entries.
std::vector<std::string> page_entries(const std::string& pages) {
    std::vector<std::string> entries;
    std::size_t start = 0;
    while (start < pages.size()) {
        std::size_t comma = pages.find(", ", start);
        if (comma == std::string::npos) comma = pages.size();
        entries.push_back(pages.substr(start, comma - start));
        start = comma + 2;
    }
    return entries;
}

struct Segment {
    std::size_t begin;
    std::size_t end;
    std::string pages;  // from the page reference that ends it, if any
    bool ended_by_pages = false;
};

// Length of the guideline's own name at the start of the text: a run of name words ending in a
// word that closes a guideline's name ("Guidelines", "(ODG)", "MTUS", "(2004)"); what follows,
// even "Pain (Chronic)", is the chapter and topic. Stops where a known topic starts.
std::size_t name_length(std::string_view text, std::string_view source, const TopicIndex& topics) {
    const std::string lower = to_lower(text);
    auto toks = tokenize(lower);
    // topic_starts_at(source, text, token start) on these tokens rather than a fresh folding of
    // the 120 bytes it reads: the tokens inside them, the last one cut where they end.
    std::vector<std::string_view> window;
    auto topic_starts = [&](std::size_t t) {
        window.clear();
        const std::size_t limit = toks[t].begin + 120;
        for (std::size_t k = t; k < toks.size() && toks[k].begin < limit && window.size() < topics.longest_phrase(); ++k) {
            if (toks[k].end <= limit) {
                window.push_back(toks[k].folded);
                continue;
            }
            std::string_view cut = toks[k].folded.substr(0, limit - toks[k].begin);
            if (cut != "and" && cut != "with") window.push_back(cut);
            break;
        }
        return topics.topic_starts(source, window);
    };
    std::size_t name_end = 0;
    for (std::size_t t = 0; t < toks.size() && is_name_word(toks[t].folded) && !topic_starts(t); ++t) {
        if (closes_name(toks[t].folded)) {
            name_end = toks[t].end;
            if (name_end < text.size() && text[name_end] == ')') ++name_end;
        }
    }
    return name_end;
}

// The citations of one clause (one source).
void parse_clause(std::string_view clause, const Lexicon& lexicon, const TopicIndex& topics,
                  std::vector<Citation>& out) {
    auto source = lexicon.guideline_source(clause);
    if (!source) return;

    // Past the guideline's own name to where its topics begin; the CCR is cited by its name alone.
    std::size_t topic_start = *source == "CCR" ? 0 : name_length(clause, *source, topics);

    // Cut the topic text at ";" and after page references.
    std::vector<Segment> segments;
    std::size_t seg_start = topic_start;
    for (std::size_t i = topic_start; i < clause.size();) {
        if (clause[i] == ';') {
            segments.push_back({seg_start, i, "", false});
            seg_start = ++i;
            continue;
        }
        if ((clause[i] == 'p' || clause[i] == 'P') && word_start_at(clause, i)) {
            if (auto ref = page_ref_at(clause, i)) {
                std::size_t seg_end = i;
                while (seg_end > seg_start && (clause[seg_end - 1] == ' ' || clause[seg_end - 1] == ',')) --seg_end;
                segments.push_back({seg_start, seg_end, ref->pages, true});
                i = seg_start = ref->end;
                continue;
            }
        }
        ++i;
    }
    segments.push_back({seg_start, clause.size(), "", false});

    std::vector<Citation> found;
    for (const Segment& seg : segments) {
        std::string_view text = clause.substr(seg.begin, seg.end - seg.begin);
        auto mentions = topics.find(*source, text);
        std::vector<std::vector<const std::string*>> groups;
        for (std::size_t m = 0; m < mentions.size(); ++m) {
            bool joins_previous = false;
            if (m > 0) {
                std::string_view gap = text.substr(mentions[m - 1].end, mentions[m].begin - mentions[m - 1].end);
                // Same topic named twice ("Carisoprodol (Soma, ...)") or a chapter and its section
                // joined by a comma ("Low Back Complaints, Special Studies") stay one citation;
                // two topics side by side ("Carisoprodol (Soma) Muscle relaxants") are two.
                joins_previous = mentions[m].topic == mentions[m - 1].topic ||
                                 std::find(groups.back().begin(), groups.back().end(), mentions[m].topic) !=
                                     groups.back().end() ||
                                 gap.find(',') != std::string_view::npos || gap.find('(') != std::string_view::npos;
            }
            if (joins_previous) {
                auto& group = groups.back();
                if (std::find(group.begin(), group.end(), mentions[m].topic) == group.end())
                    group.push_back(mentions[m].topic);
            } else {
                groups.push_back({mentions[m].topic});
            }
        }
        std::vector<std::string> names;
        for (const auto& group : groups) {
            std::string name;
            for (const auto* topic : group) name += (name.empty() ? "" : ", ") + *topic;
            names.push_back(std::move(name));
        }
        if (names.empty()) {
            // A topic the lexicon does not know, without a repeated guideline name ("and MTUS
            // Definitions" -> "Definitions").
            std::string raw = clean_topic_text(text.substr(*source == "CCR" ? 0 : name_length(text, *source, topics)));
            if (std::any_of(raw.begin(), raw.end(), is_alpha)) names.push_back(std::move(raw));
        }
        auto entries = page_entries(seg.pages);
        for (std::size_t n = 0; n < names.size(); ++n) {
            std::string pages = seg.pages;
            if (names.size() > 1 && entries.size() == names.size()) pages = entries[n];
            found.push_back(Citation{*source, names[n], pages, {}, {}, {}});
        }
        if (names.empty() && seg.ended_by_pages) {
            // "Muscle relaxants (for pain); and MTUS Definitions, page 1 Page(s): 63-64": a page
            // list after no topic belongs to the earlier topics still without pages.
            bool given = false;
            for (auto& c : found) {
                if (c.pages.empty()) {
                    c.pages = seg.pages;
                    given = true;
                }
            }
            if (!given && found.empty()) found.push_back(Citation{*source, {}, seg.pages, {}, {}, {}});
        }
    }
    if (found.empty()) found.push_back(Citation{*source, {}, {}, {}, {}, {}});
    for (auto& c : found) add_citation(out, std::move(c));
}

// One clause may cite several sources without a new "Decision based on": "the California MTUS,
// ... Drug testing Page(s): 43, and on the Official Disability Guidelines (ODG), Pain (Chronic),
// Urine drug testing (UDT)". Cut it at " and on ", "; " and sentence ends, then glue back every
// piece that names no source of its own or the same source as the piece before.
std::vector<std::string_view> split_by_source(std::string_view clause, const Lexicon& lexicon) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 0; i + 2 < clause.size(); ++i) {
        if (clause[i] == ';' && clause[i + 1] == ' ') cuts.push_back(i + 2);
        else if (clause[i] == '.' && clause[i + 1] == ' ' && is_upper(clause[i + 2])) cuts.push_back(i + 2);
        else if (clause[i] == ' ' && istarts_with(clause.substr(i), " and on ")) cuts.push_back(i + 1);
    }
    std::vector<std::string_view> parts;
    if (cuts.empty()) {
        if (!clause.empty()) parts.push_back(clause);
        return parts;
    }
    std::size_t part_start = 0;
    std::optional<std::string> part_source = lexicon.guideline_source(clause.substr(0, cuts.front()));
    for (std::size_t c = 0; c < cuts.size(); ++c) {
        std::size_t end = c + 1 < cuts.size() ? cuts[c + 1] : clause.size();
        auto source = lexicon.guideline_source(clause.substr(cuts[c], end - cuts[c]));
        if (!source || source == part_source || !part_source) {
            if (!part_source) part_source = source;
            continue;
        }
        parts.push_back(clause.substr(part_start, cuts[c] - part_start));
        part_start = cuts[c];
        part_source = source;
    }
    parts.push_back(clause.substr(part_start));
    return parts;
}

}  // namespace

TopicIndex::TopicIndex(const Lexicon& lexicon) {
    const auto& all = lexicon.guideline_topics();
    topics_.reserve(all.size());
    for (const auto& t : all) topics_.push_back(t.topic);
    for (std::size_t n = 0; n < all.size(); ++n) {
        const auto& t = all[n];
        auto& by_first = by_source_[t.source];
        std::vector<std::string> phrases = t.variants;
        phrases.push_back(t.topic);
        for (const auto& phrase : phrases) {
            Variant v;
            const std::string lower = to_lower(phrase);
            for (const auto& tok : tokenize(lower)) v.tokens.emplace_back(tok.folded);
            if (v.tokens.empty()) continue;
            v.topic = &topics_[n];
            longest_phrase_ = std::max(longest_phrase_, v.tokens.size());
            std::string first = v.tokens.front();
            by_first[first].push_back(std::move(v));
        }
    }
    for (auto& [source, by_first] : by_source_)
        for (auto& [first, variants] : by_first)
            std::stable_sort(variants.begin(), variants.end(),
                             [](const Variant& a, const Variant& b) { return a.tokens.size() > b.tokens.size(); });
}

const TopicIndex::Variant* TopicIndex::longest_at(const SourceIndex& index, const std::vector<std::string_view>& folded,
                                                   std::size_t i) const {
    auto candidates = index.find(folded[i]);
    if (candidates == index.end()) return nullptr;
    for (const auto& v : candidates->second) {  // longest first
        if (i + v.tokens.size() > folded.size()) continue;
        bool all = true;
        for (std::size_t k = 1; k < v.tokens.size() && all; ++k) all = folded[i + k] == v.tokens[k];
        if (all) return &v;
    }
    return nullptr;
}

std::vector<TopicIndex::Mention> TopicIndex::find(std::string_view source, std::string_view text,
                                                  std::size_t max_mentions) const {
    std::vector<Mention> mentions;
    auto src = by_source_.find(source);
    if (src == by_source_.end()) return mentions;
    const std::string lower = to_lower(text);
    auto toks = tokenize(lower);
    std::vector<std::string_view> folded;
    folded.reserve(toks.size());
    for (const auto& t : toks) folded.push_back(t.folded);
    for (std::size_t i = 0; i < toks.size() && mentions.size() < max_mentions;) {
        const Variant* best = longest_at(src->second, folded, i);
        if (!best) {
            ++i;
            continue;
        }
        std::size_t last = i + best->tokens.size() - 1;
        std::size_t end = toks[last].end;
        // Take a closing parenthesis that finishes the phrase: "Carisoprodol (Soma)".
        if (end < text.size() && text[end] == ')') {
            std::string_view inside = text.substr(toks[i].begin, end - toks[i].begin);
            if (std::count(inside.begin(), inside.end(), '(') > std::count(inside.begin(), inside.end(), ')')) ++end;
        }
        mentions.push_back({toks[i].begin, end, best->topic});
        i = last + 1;
    }
    return mentions;
}

bool TopicIndex::topic_starts_at(std::string_view source, std::string_view text, std::size_t pos) const {
    auto mentions = find(source, text.substr(pos, std::min<std::size_t>(text.size() - pos, 120)), 1);
    return !mentions.empty() && mentions.front().begin == 0;
}

bool TopicIndex::topic_starts(std::string_view source, const std::vector<std::string_view>& folded) const {
    auto src = by_source_.find(source);
    return src != by_source_.end() && !folded.empty() && longest_at(src->second, folded, 0) != nullptr;
}

std::string TopicIndex::normalize(std::string_view source, std::string_view topic) const {
    auto mentions = find(source, topic);
    std::string out;
    std::vector<const std::string*> seen;
    for (const auto& m : mentions) {
        if (std::find(seen.begin(), seen.end(), m.topic) != seen.end()) continue;
        seen.push_back(m.topic);
        out += (out.empty() ? "" : ", ") + *m.topic;
    }
    if (!out.empty()) return out;
    for (char c : topic)
        if (is_alnum(c)) out += lower(c);
    return out;
}

std::optional<PageRef> page_ref_at(std::string_view text, std::size_t pos) {
    if (!word_start_at(text, pos)) return std::nullopt;
    std::size_t i = pos;
    bool found_marker = false;
    for (std::string_view marker : {"page(s)", "pages", "page", "pp.", "p."}) {
        if (istarts_with(text.substr(pos), marker)) {
            i = pos + marker.size();
            found_marker = true;
            break;
        }
    }
    if (!found_marker) return std::nullopt;
    if (i < text.size() && is_alpha(text[i])) return std::nullopt;  // "pagers"
    if (i < text.size() && text[i] == ':') ++i;
    i = skip_spaces(text, i);
    std::vector<std::string> entries;
    std::size_t end = i;
    for (;;) {
        std::size_t item_end = page_item_end(text, i);
        if (item_end == i) break;
        entries.emplace_back(text.substr(i, item_end - i));
        end = item_end;
        // Separators between entries: ", ", "; ", " and ", " & ".
        std::size_t j = skip_spaces(text, item_end);
        if (j < text.size() && (text[j] == ',' || text[j] == ';' || text[j] == '&')) {
            j = skip_spaces(text, j + 1);
        } else if (istarts_with(text.substr(j), "and ")) {
            j = skip_spaces(text, j + 4);
        } else {
            break;
        }
        if (j >= text.size() || !is_digit(text[j])) break;
        i = j;
    }
    if (entries.empty()) return std::nullopt;
    PageRef ref;
    ref.begin = pos;
    ref.end = end;
    for (const auto& e : entries) ref.pages += (ref.pages.empty() ? "" : ", ") + e;
    return ref;
}

std::vector<Citation> parse_citations(std::string_view guideline_text, const Lexicon& lexicon,
                                      const TopicIndex& topics) {
    std::vector<Citation> citations;
    auto starts = clause_starts(guideline_text);
    if (starts.empty() || trim(guideline_text.substr(0, starts.front())).size() > 0) starts.insert(starts.begin(), 0);
    for (std::size_t n = 0; n < starts.size(); ++n) {
        std::size_t end = n + 1 < starts.size() ? starts[n + 1] : guideline_text.size();
        std::string_view clause = guideline_text.substr(starts[n], end - starts[n]);
        // Drop the lead-in itself so that its words are not read as a guideline name or topic.
        for (std::string_view marker : {std::string_view("decision based on"),
                                        std::string_view("other medical treatment guideline or medical evidence"),
                                        std::string_view("other medical evidence")}) {
            if (istarts_with(clause, marker)) {
                clause.remove_prefix(marker.size());
                break;
            }
        }
        clause = trim_punct(clause, ":.");
        for (std::string_view part : split_by_source(clause, lexicon)) parse_clause(part, lexicon, topics, citations);
    }
    return citations;
}

}  // namespace imr
