// Guideline paragraphs: basis sentences, "Decision based on" clauses, MTUS documents with their
// sections, and non-MTUS citations split into ODG, ACOEM, CCR and other sources.
#include "guideline_paragraph.h"

#include "text_scan.h"

#include <algorithm>

namespace imr {
namespace {

using namespace imr::scan;

using Token = CitationReader::PartToken;

// Letter and digit runs of a lower-case text, without "and" (so that "&" and "and" agree); views
// into `lower`, which must outlive them.
std::vector<Token> tokens_of(std::string_view lower) {
    std::vector<Token> out;
    for (std::size_t i = 0; i < lower.size();) {
        if (!is_alnum(lower[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < lower.size() && is_alnum(lower[j])) ++j;
        std::string_view t = lower.substr(i, j - i);
        if (t != "and") out.push_back({t, j});
        i = j;
    }
    return out;
}

bool is_year_at(std::string_view s, std::size_t i) {
    if (i + 4 > s.size() || !word_start_at(s, i) || !word_end_at(s, i + 4)) return false;
    if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0'))) return false;
    return is_digit(s[i + 2]) && is_digit(s[i + 3]);
}

std::size_t find_year(std::string_view s, std::size_t from) {
    for (std::size_t i = from; i + 4 <= s.size(); ++i)
        if (is_year_at(s, i)) return i;
    return std::string_view::npos;
}

// Clean-up has made dashes ASCII, so only ASCII punctuation is trimmed (a multi-byte set would cut
// UTF-8 sequences apart).
std::string tidy(std::string_view s) { return squeeze_spaces(trim(trim_punct(trim(s), ",;:.-/ "))); }

Citation cited(std::string source, std::string document = {}, std::string edition = {}, std::string chapter = {},
             std::string section = {}) {
    Citation c;
    c.source = std::move(source);
    c.document = std::move(document);
    c.edition = std::move(edition);
    c.chapter = std::move(chapter);
    c.topic = std::move(section);
    return c;
}

// Every start of `marker` in the text on a word boundary.
std::vector<std::size_t> starts_of(std::string_view text, std::string_view marker) {
    std::vector<std::size_t> at;
    for (std::size_t p = ifind(text, marker); p != std::string_view::npos; p = ifind(text, marker, p + 1))
        if (word_start_at(text, p)) at.push_back(p);
    return at;
}

bool looks_like_url(std::string_view s) {
    return s.find("://") != std::string_view::npos || ifind(s, "www.") != std::string_view::npos;
}

// The non-MTUS sources a part of a citation starts with, for splitting one sentence into several.
bool starts_new_source(std::string_view s) {
    s = trim(s);
    for (std::string_view lead : {"ODG", "Official Disability", "the Official Disability", "ACOEM", "http", "www.",
                                  "Other Medical Treatment Guideline"})
        if (istarts_with(s, lead)) return true;
    return false;
}

// Words the letters add to an ODG chapter's name without naming another ("Low Back - Lumbar &
// Thoracic (Acute & Chronic)").
bool restates_chapter(std::string_view word) {
    return word == "acute" || word == "chronic" || word == "lumbar" || word == "thoracic";
}

// "Chronic Pain Medical Treatment 2016, ...": a document name, then its edition year, then a
// comma, "Section(s)" or the end. Older clauses ("ACOEM, 2nd Edition, (2004) Chapter 12") are not.
bool published_mtus(std::string_view body) {
    std::size_t year = find_year(body, 0);
    if (year == std::string_view::npos || year == 0) return false;
    std::string_view name = body.substr(0, year);
    if (name.find('(') != std::string_view::npos && !iends_with(trim(name), "(Revised")) return false;
    if (ifind(name, "edition") != std::string_view::npos || ifind(name, "guidelines") != std::string_view::npos)
        return false;
    std::string_view after = trim(body.substr(year + 4));
    if (!after.empty() && after.front() == ')') after = trim(after.substr(1));
    if (istarts_with(after, "Guidelines")) after = trim(after.substr(10));
    return after.empty() || after.front() == ',' || after.front() == '.' || istarts_with(after, "Section");
}

}  // namespace

CitationReader::CitationReader(const Lexicon& lexicon, const TopicIndex& topics) : lexicon_(lexicon), topics_(topics) {
    for (const auto& part : lexicon.guideline_parts()) {
        std::vector<std::string> phrases = part.variants;
        phrases.push_back(part.name);
        for (const auto& phrase : phrases) {
            Part p{part.kind, part.source, {}, &part.name};
            const std::string lower = to_lower(phrase);
            for (const auto& t : tokens_of(lower)) p.tokens.emplace_back(t.text);
            if (!p.tokens.empty()) parts_.push_back(std::move(p));
        }
    }
    std::stable_sort(parts_.begin(), parts_.end(),
                     [](const Part& a, const Part& b) { return a.tokens.size() > b.tokens.size(); });
    for (std::size_t n = 0; n < parts_.size(); ++n) by_first_[parts_[n].tokens.front()].push_back(n);
}

// The longest part of `kind` and `source` whose tokens are those of `toks` from `at` on.
CitationReader::PartMatch CitationReader::part_at(std::string_view kind, std::string_view source,
                                                  const std::vector<PartToken>& toks, std::size_t at) const {
    auto candidates = by_first_.find(toks[at].text);
    if (candidates == by_first_.end()) return {};
    for (std::size_t n : candidates->second) {  // longest first
        const Part& p = parts_[n];
        if (p.kind != kind || p.source != source || at + p.tokens.size() > toks.size()) continue;
        bool all = true;
        for (std::size_t k = 1; k < p.tokens.size() && all; ++k) all = p.tokens[k] == toks[at + k].text;
        if (all) return {p.name, toks[at + p.tokens.size() - 1].end};
    }
    return {};
}

CitationReader::PartMatch CitationReader::part_at_start(std::string_view kind, std::string_view source,
                                                        std::string_view text) const {
    const std::string lower = to_lower(text.substr(0, std::min<std::size_t>(text.size(), 200)));
    const auto toks = tokens_of(lower);
    return toks.empty() ? PartMatch{} : part_at(kind, source, toks, 0);
}

std::string CitationReader::section_name(std::string_view source, std::string_view printed) const {
    std::string name = tidy(printed);
    // The lexicon's canonical name when the whole section is one of its topics, else as printed.
    auto mentions = topics_.find(source, name);
    if (mentions.size() == 1 && mentions.front().begin == 0 && mentions.front().end >= name.size() - 1)
        return *mentions.front().topic;
    return name;
}

std::vector<std::string> CitationReader::mtus_sections(std::string_view list) const {
    std::vector<std::string_view> pieces;
    for (std::size_t start = 0; start <= list.size();) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string_view::npos) comma = list.size();
        std::string_view piece = trim(list.substr(start, comma - start));
        if (!piece.empty()) pieces.push_back(piece);
        start = comma + 1;
    }
    std::vector<std::string> sections;
    // Numbered sections ("3.3.4 Opioids, ..."): only a number starts a new one.
    auto numbered = [](std::string_view piece) {
        std::size_t d = 0;
        while (d < piece.size() && is_digit(piece[d])) ++d;
        return d > 0 && d + 1 < piece.size() && piece[d] == '.' && is_digit(piece[d + 1]);
    };
    if (!pieces.empty() && numbered(pieces.front())) {
        for (auto piece : pieces) {
            if (numbered(piece) || sections.empty()) sections.emplace_back(piece);
            else sections.back() += ", " + std::string(piece);
        }
        return sections;
    }
    for (std::size_t i = 0; i < pieces.size();) {
        // The longest run of pieces that is one known section ("Forearm, Wrist, & Hand").
        std::size_t take = 1;
        for (std::size_t n = std::min<std::size_t>(4, pieces.size() - i); n > 1; --n) {
            std::string joined;
            for (std::size_t k = 0; k < n; ++k) joined += (k ? ", " : "") + std::string(pieces[i + k]);
            auto mentions = topics_.find("MTUS", joined);
            if (mentions.size() == 1 && mentions.front().begin == 0 && mentions.front().end + 1 >= joined.size()) {
                take = n;
                break;
            }
        }
        std::string section;
        for (std::size_t k = 0; k < take; ++k) section += (k ? ", " : "") + std::string(pieces[i + k]);
        i += take;
        // A piece in lower case or opening with "&" goes on with the section ("Ultrasound, therapeutic").
        while (take == 1 && i < pieces.size() && (is_lower(pieces[i].front()) || pieces[i].front() == '&'))
            section += ", " + std::string(pieces[i++]);
        sections.push_back(std::move(section));
    }
    return sections;
}

// "Chronic Pain Medical Treatment 2016, Section(s): Opioids, and Low Back Complaints 2004": each
// document is its name up to an edition year, then its sections, until ", and " starts the next.
void CitationReader::mtus_clause(std::string_view body, std::vector<Citation>& out) const {
    std::size_t pos = 0;
    while (pos < body.size()) {
        std::size_t year = find_year(body, pos);
        if (year == std::string_view::npos) {
            std::string rest = tidy(body.substr(pos));
            if (!rest.empty()) out.push_back(cited("MTUS", rest));
            return;
        }
        std::string_view name = trim(body.substr(pos, year - pos));
        if (iends_with(name, "(Revised")) name = trim(name.substr(0, name.size() - 8));
        std::string document = tidy(name);
        if (auto known = part_at_start("document", "MTUS", document); known.name && known.end >= document.size())
            document = *known.name;
        std::string edition(body.substr(year, 4));
        std::size_t after = year + 4;
        if (after < body.size() && body[after] == ')') ++after;
        std::string_view tail = body.substr(after);
        std::size_t skip = 0;
        while (skip < tail.size() && (tail[skip] == ' ' || tail[skip] == ',')) ++skip;
        for (std::string_view word : {"Guidelines", "Guideline"}) {
            if (istarts_with(tail.substr(skip), word)) {
                skip += word.size();
                while (skip < tail.size() && (tail[skip] == ' ' || tail[skip] == ',')) ++skip;
                break;
            }
        }
        std::size_t next = std::string_view::npos;  // where the next document's name starts
        std::vector<std::string> sections;
        if (istarts_with(tail.substr(skip), "Section(s):") || istarts_with(tail.substr(skip), "Sections:") ||
            istarts_with(tail.substr(skip), "Section:")) {
            std::size_t list_start = after + skip + tail.substr(skip).find(':') + 1;
            std::size_t list_end = body.size();
            std::size_t next_year = find_year(body, list_start);
            if (next_year != std::string_view::npos) {
                // The next document starts after the ", and " whose words up to the year are a known
                // document; else after the first ", and " (a section seldom holds one).
                std::size_t first = std::string_view::npos;
                for (std::size_t at = body.find(", and ", list_start); at != std::string_view::npos && at < next_year;
                     at = body.find(", and ", at + 1)) {
                    if (first == std::string_view::npos) first = at;
                    std::string_view candidate = trim(body.substr(at + 6, next_year - at - 6));
                    auto known = part_at_start("document", "MTUS", candidate);
                    if (known.name && known.end >= tidy(candidate).size()) {
                        first = at;
                        break;
                    }
                }
                if (first != std::string_view::npos) list_end = first;
            }
            sections = mtus_sections(body.substr(list_start, list_end - list_start));
            next = list_end == body.size() ? body.size() : list_end + 6;
        } else {
            std::size_t and_at = ifind(body.substr(after), "and ");
            next = and_at == std::string_view::npos ? body.size() : after + and_at + 4;
        }
        if (sections.empty()) sections.emplace_back();
        for (const auto& section : sections)
            out.push_back(cited("MTUS", document, edition, "", section.empty() ? "" : section_name("MTUS", section)));
        pos = next;
    }
}

Citation CitationReader::odg(std::string_view text) const {
    Citation c = cited("ODG", "Official Disability Guidelines");
    std::string rest;
    std::size_t name = ifind(text, "Official Disability Guidelines");
    std::size_t name_end;
    if (name != std::string_view::npos) {
        name_end = name + 30;
        std::size_t k = name_end;
        while (k < text.size() && text[k] == ' ') ++k;
        if (istarts_with(text.substr(k), "(ODG)")) name_end = k + 5;
    } else {
        name = ifind_word(text, "ODG");
        if (name == std::string_view::npos) name = 0, name_end = 0;
        else name_end = name + 3;
        std::size_t k = name_end;
        while (k < text.size() && text[k] == ' ') ++k;
        // "ODG guidelines, Neck and Upper back": the word names the source, not a topic.
        std::string_view after = text.substr(k);
        if (istarts_with(after, "guidelines") && (after.size() == 10 || after[10] == ',' || after[10] == ':'))
            name_end = k + 10;
    }
    rest = std::string(trim(text.substr(0, name))) + " " + std::string(text.substr(name_end));

    // Editions, in printed order: "(updated 11/23/16)", "(Online Version)", "Web Version", a year.
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // begin, end in `rest`
    for (std::size_t at = ifind(rest, "(updated"); at != std::string::npos; at = ifind(rest, "(updated", at + 1)) {
        std::size_t close = rest.find(')', at);
        spans.emplace_back(at, close == std::string::npos ? rest.size() : close + 1);
    }
    for (std::string_view word : {"(Online Version)", "Online Version", "Web Version"}) {
        for (std::size_t at = ifind(rest, word); at != std::string::npos; at = ifind(rest, word, at + 1)) {
            bool inside = std::any_of(spans.begin(), spans.end(), [&](auto& sp) { return at >= sp.first && at < sp.second; });
            if (!inside) spans.emplace_back(at, at + word.size());
        }
    }
    if (std::size_t year = find_year(rest, 0); year != std::string::npos && tidy(rest.substr(0, year)).empty())
        spans.emplace_back(year, year + 4);
    std::sort(spans.begin(), spans.end());
    std::vector<std::string> editions;
    for (auto [b, e] : spans) editions.push_back(tidy(rest.substr(b, e - b)));
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) rest.replace(it->first, it->second - it->first, " ");
    std::erase(editions, std::string());
    c.edition = join(editions, ", ");

    std::string_view r = trim(rest);
    while (!r.empty() && (r.front() == ',' || r.front() == ':' || r.front() == '-' || r.front() == '/' || r.front() == ' '))
        r.remove_prefix(1);
    // The chapter: words before "Chapter" or "section" in the first piece ("Low Back and neck
    // Chapter, ..."), else the longest chapter the lexicon knows at the start; canonical when known.
    std::size_t piece_end = r.find_first_of(",:/");
    if (piece_end == std::string_view::npos) piece_end = r.size();
    std::size_t word = std::string_view::npos;
    for (std::string_view w : {" chapters", " chapter", " section"}) {
        std::size_t at = ifind(r.substr(0, piece_end), w);
        if (at != std::string_view::npos && word_end_at(r, at + w.size())) {
            word = at;
            break;
        }
    }
    auto canonical_chapter = [&](std::string_view printed) {
        auto known = part_at_start("chapter", "ODG", printed);
        std::string rest_words;
        const std::string lower = known.name ? to_lower(printed.substr(known.end)) : std::string();
        if (known.name)
            for (const auto& t : tokens_of(lower))
                if (!restates_chapter(t.text)) rest_words += t.text;
        return known.name && rest_words.empty() ? *known.name : tidy(printed);
    };
    if (word != std::string_view::npos) {
        c.chapter = canonical_chapter(r.substr(0, word));
        r = trim(r.substr(word + 1));
        r = trim(r.substr(std::min(r.size(), r.find_first_of(" ,:/") == std::string_view::npos ? r.size() : r.find_first_of(" ,:/"))));
    } else if (auto chapter = part_at_start("chapter", "ODG", r); chapter.name) {
        c.chapter = *chapter.name;
        r = trim(r.substr(chapter.end));
        // "(Acute & Chronic)", "(Thoracic and Lumbar, Acute and Chronic)" restate the chapter.
        if (!r.empty() && r.front() == '(') {
            std::size_t close = r.find(')');
            bool restates = close != std::string_view::npos;
            const std::string lower = to_lower(r.substr(0, close == std::string_view::npos ? 0 : close));
            for (const auto& t : tokens_of(lower))
                restates = restates && restates_chapter(t.text);
            if (restates) r = trim(r.substr(close + 1));
        }
        for (std::string_view w : {"chapters", "chapter", "section"}) {
            std::string_view t = trim_punct(r, " ,:-/");
            if (istarts_with(t, w) && word_end_at(t, w.size())) {
                r = trim(t.substr(w.size()));
                break;
            }
        }
    } else {
        // "Physical therapy/Preface": a chapter named after the topic.
        std::size_t piece_start = 0;
        for (std::size_t i = 0; i <= r.size(); ++i) {
            if (i < r.size() && r[i] != ',' && r[i] != '/') continue;
            std::string_view piece = trim(r.substr(piece_start, i - piece_start));
            auto known = part_at_start("chapter", "ODG", piece);
            if (piece_start > 0 && known.name && known.end >= piece.size()) {
                c.chapter = *known.name;
                c.topic = section_name("ODG", tidy(r.substr(0, piece_start)));
                return c;
            }
            piece_start = i + 1;
        }
    }
    std::string section = tidy(r);
    if (iends_with(section, " Topic")) section = tidy(std::string_view(section).substr(0, section.size() - 6));
    c.topic = section.empty() ? "" : section_name("ODG", section);
    return c;
}

void CitationReader::non_mtus_clause(std::string_view body, std::vector<Citation>& out) const {
    // One sentence may cite several guidelines: cut at "; " and where a new source starts.
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    const bool names_odg = ifind(body, "Official Disability Guidelines") != std::string_view::npos ||
                           ifind_word(body, "ODG") != std::string_view::npos;
    for (std::size_t i = 0; i < body.size(); ++i) {
        std::size_t cut_end = std::string_view::npos;
        std::string_view next = trim(body.substr(i + 1));
        if (body[i] == ';' && (starts_new_source(next) || (names_odg && part_at_start("chapter", "ODG", next).name)))
            cut_end = i + 1;
        else if (body[i] == ',' && (starts_new_source(body.substr(i + 1)) || looks_like_url(body.substr(start, i - start))))
            cut_end = i + 1;
        else if (body[i] == ' ' && istarts_with(body.substr(i), " and ") && starts_new_source(body.substr(i + 5)))
            cut_end = i + 5;
        // "..., Manipulation ODG Chiropractic Guidelines": the abbreviation starts another citation.
        else if (body[i] == ' ' && body.substr(i + 1).starts_with("ODG ") && !trim(body.substr(start, i - start)).empty() &&
                 is_alnum(body[i - 1]))
            cut_end = i + 1;
        if (cut_end == std::string_view::npos) continue;
        if (!trim(body.substr(start, i - start)).empty()) parts.push_back(body.substr(start, i - start));
        start = cut_end;
        i = cut_end - 1;
    }
    parts.push_back(body.substr(start));

    std::string previous_source;
    for (std::string_view part : parts) {
        part = trim(part);
        for (std::string_view lead : {"Other Medical Treatment Guidelines", "Other Medical Treatment Guideline", "the "})
            if (istarts_with(part, lead)) part = trim(part.substr(lead.size()));
        std::string printed = tidy(part);
        if (printed.empty()) continue;
        bool odg_named = ifind(printed, "Official Disability Guidelines") != std::string::npos ||
                         ifind_word(printed, "ODG") != std::string::npos;
        // "ODG, Low back, Manipulation; Neck and Upper back, Manipulation": a chapter after the
        // ODG's own citation is the ODG's.
        bool odg_chapter = (previous_source == "ODG" || (previous_source.empty() && names_odg)) &&
                           part_at_start("chapter", "ODG", printed).name;
        if (odg_named || odg_chapter) {
            out.push_back(odg(printed));
        } else if (ifind_word(printed, "ACOEM") != std::string::npos ||
                   ifind(printed, "Occupational Medicine Practice Guidelines") != std::string::npos) {
            out.push_back(acoem(printed));
        } else if (ifind(printed, "Code of Regulations") != std::string::npos || ifind(printed, "9792.") != std::string::npos) {
            Citation c = cited("CCR", "California Code of Regulations");
            std::size_t at = ifind(printed, "9792.");
            if (at != std::string::npos) {
                std::size_t e = at;
                while (e < printed.size() && (is_digit(printed[e]) || (printed[e] == '.' && e + 1 < printed.size() && is_digit(printed[e + 1])))) ++e;
                c.topic = printed.substr(at, e - at);
            }
            out.push_back(std::move(c));
        } else {
            out.push_back(cited("other", printed));
        }
        previous_source = out.back().source;
    }
}

// "ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607",
// "ACOEM: Low back disorders, ...", "ACOEM Hip and Groin Chapter/Diagnostic ...".
Citation CitationReader::acoem(std::string_view printed) const {
    Citation c = cited("ACOEM");
    std::string_view p = printed;
    for (std::string_view name : {"ACOEM Occupational Medicine Practice Guidelines", "ACOEM Practice Guidelines",
                                  "Occupational Medicine Practice Guidelines", "ACOEM Guidelines", "ACOEM"}) {
        if (istarts_with(p, name)) {
            c.document = std::string(p.substr(0, name.size()));
            p = trim(p.substr(name.size()));
            break;
        }
    }
    if (c.document.empty()) c.document = "ACOEM";
    std::vector<std::string> rest;
    // "Hip and Groin Chapter/Diagnostic ...", but not "..., Chapter 7, ...".
    std::size_t chapter_word = ifind(p, " Chapter");
    bool numbered_chapter = chapter_word != std::string_view::npos && chapter_word + 9 < p.size() &&
                            is_digit(p[chapter_word + 9]);
    if (chapter_word != std::string_view::npos && !numbered_chapter && !istarts_with(trim_punct(p, " ,:"), "Chapter ")) {
        c.chapter = tidy(p.substr(0, chapter_word));
        p = p.substr(chapter_word + 8);
    }
    std::size_t piece_start = 0;
    for (std::size_t i = 0; i <= p.size(); ++i) {
        if (i < p.size() && p[i] != ',' && p[i] != ':') continue;
        std::string piece = tidy(p.substr(piece_start, i - piece_start));
        piece_start = i + 1;
        if (piece.empty()) continue;
        if (is_digit(piece.front()) && (ifind(piece, " ed") != std::string::npos || ifind(piece, "edition") != std::string::npos)) {
            c.edition = piece;
        } else if (istarts_with(piece, "pg") || istarts_with(piece, "page") || istarts_with(piece, "p. ")) {
            std::size_t d = 0;
            while (d < piece.size() && !is_digit(piece[d])) ++d;
            c.pages = piece.substr(d);
        } else {
            rest.push_back(piece);
        }
    }
    // "Chapter 7, Independent Medical Examinations and Consultations": the chapter, then its title
    // as the section.
    if (c.chapter.empty() && !rest.empty()) {
        c.chapter = rest.front();
        rest.erase(rest.begin());
    }
    c.topic = join(rest, ", ");
    return c;
}

void CitationReader::legacy_clause(std::string_view clause, std::vector<Citation>& out) const {
    bool document_found = false;
    const std::string* document = nullptr;
    for (Citation c : parse_citations(clause, lexicon_, topics_)) {
        if (c.source == "ODG") c.document = "Official Disability Guidelines";
        else if (c.source == "CCR") c.document = "California Code of Regulations";
        else if (c.source == "MTUS") {
            // The first MTUS document the clause names ("MTUS Chronic Pain Medical Treatment Guidelines").
            if (!document_found) {
                document_found = true;
                const std::string lower = to_lower(clause);
                const auto toks = tokens_of(lower);
                for (std::size_t at = 0; at < toks.size() && !document; ++at) document = part_at("document", "MTUS", toks, at).name;
            }
            if (document) c.document = *document;
        }
        out.push_back(std::move(c));
    }
}

GuidelineParagraph CitationReader::read(std::string_view paragraph) const {
    GuidelineParagraph result;
    std::string_view text = trim(paragraph);
    if (text.empty()) return result;
    bool mtus = false;
    std::vector<std::size_t> starts = starts_of(text, "Decision based on");
    for (std::size_t at : starts_of(text, "Other Medical Treatment Guideline or Medical Evidence")) starts.push_back(at);
    std::sort(starts.begin(), starts.end());
    // Text before the first clause is a basis sentence, or a citation of an older layout.
    std::string_view lead = text.substr(0, starts.empty() ? text.size() : starts.front());
    bool basis_sentence = ifind(lead, "did not cite") != std::string_view::npos ||
                          ifind(lead, "based their decision") != std::string_view::npos ||
                          ifind(lead, "based its decision") != std::string_view::npos;
    if (!trim(lead).empty() && !basis_sentence) legacy_clause(lead, result.citations);
    for (std::size_t n = 0; n < starts.size(); ++n) {
        std::size_t end = n + 1 < starts.size() ? starts[n + 1] : text.size();
        std::string_view clause = text.substr(starts[n], end - starts[n]);
        std::string_view body = clause;
        for (std::string_view marker : {std::string_view("Decision based on"),
                                        std::string_view("Other Medical Treatment Guideline or Medical Evidence")})
            if (istarts_with(body, marker)) body = trim(trim_punct(trim(body.substr(marker.size())), ":"));
        body = trim(trim_punct(body, "."));
        if (istarts_with(body, "MTUS ") && published_mtus(body.substr(5))) {
            mtus = true;
            mtus_clause(body.substr(5), result.citations);
        } else if (istarts_with(body, "Non-MTUS") || istarts_with(body, "Non MTUS")) {
            std::string_view cited = trim(body.substr(8));
            if (istarts_with(cited, "Citation")) cited = trim(cited.substr(8));
            non_mtus_clause(trim_punct(cited, ":"), result.citations);
        } else {
            mtus = mtus || istarts_with(body, "MTUS");
            legacy_clause(clause, result.citations);
        }
    }
    bool outside = ifind(text, "outside of the MTUS") != std::string_view::npos ||
                   ifind(text, "outside the MTUS") != std::string_view::npos;
    mtus = mtus || std::any_of(result.citations.begin(), result.citations.end(),
                               [](const Citation& c) { return c.source == "MTUS"; });
    if (mtus) result.basis = Basis::Mtus;
    else if (!result.citations.empty() || outside) result.basis = Basis::OutsideMtus;
    return result;
}

}  // namespace imr
