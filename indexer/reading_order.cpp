// Runs of a letter's text in reading order: the letter document's shared text and each determination's own.
#include "reading_order.h"

#include "schema.h"

#include <algorithm>
#include <string_view>

namespace imr {
namespace {

bool is_slice(const std::string& text, std::size_t offset, const std::string& part) {
    return offset <= text.size() && part.size() <= text.size() - offset && text.compare(offset, part.size(), part) == 0;
}

// Whether the letter's parts point into its text, as the parser makes them: then the text itself
// is what is indexed.
bool parts_are_slices(const Letter& letter) {
    for (const auto& s : letter.sections)
        if (!is_slice(letter.text, s.offset, s.text)) return false;
    for (const auto& d : letter.determinations)
        if (!d.rationale.empty() && !is_slice(letter.text, d.rationale_offset, d.rationale)) return false;
    return true;
}

// The code a section's words carry in the letter document; the decision text has none, since
// every rationale in it is cut out.
char shared_code(const Section& s) {
    if (s.name == section::decisions || s.name == section::rationale) return '\0';
    return schema::section_code(s.name);
}

// The words of `text`, all with one section code.
TextRun analyze(std::string_view text, char code, const Analyzer& analyzer) {
    TextRun run;
    std::vector<Token> tokens = analyzer.tokenize(text);
    const std::vector<TokenStart> starts = token_starts(text, tokens);
    run.terms.reserve(tokens.size());
    for (std::size_t k = 0; k < tokens.size(); ++k)
        run.terms.push_back({std::move(tokens[k].term), std::move(tokens[k].parts), code, starts[k]});
    return run;
}

// The words of letter.text[begin, end), each with the code `code_at` gives its first byte's offset
// in the letter; `starts_paragraph(from, to)` says whether a paragraph starts between two words
// (the end of one and the start of the next, as offsets in the letter).
template <class CodeAt, class StartsParagraph>
TextRun analyze_range(const std::string& text, std::size_t begin, std::size_t end, const Analyzer& analyzer, CodeAt code_at,
                      StartsParagraph starts_paragraph) {
    const std::string_view piece = std::string_view(text).substr(begin, end - begin);
    TextRun run;
    std::vector<Token> tokens = analyzer.tokenize(piece);
    const std::vector<TokenStart> starts = token_starts(piece, tokens);
    run.terms.reserve(tokens.size());
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        TokenStart start = starts[k];
        if (k > 0 && starts_paragraph(begin + tokens[k - 1].end, begin + tokens[k].begin)) start = TokenStart::Paragraph;
        run.terms.push_back({std::move(tokens[k].term), std::move(tokens[k].parts), code_at(begin + tokens[k].begin), start});
    }
    return run;
}

// [begin, end) of every rationale, in text order, overlapping ones merged.
std::vector<TextRange> rationale_ranges(const Letter& letter) {
    std::vector<TextRange> ranges;
    for (const auto& d : letter.determinations)
        if (!d.rationale.empty()) ranges.push_back({d.rationale_offset, d.rationale_offset + d.rationale.size()});
    std::sort(ranges.begin(), ranges.end(), [](const TextRange& a, const TextRange& b) { return a.begin < b.begin; });
    std::vector<TextRange> merged;
    for (const auto& r : ranges) {
        if (!merged.empty() && r.begin <= merged.back().end) merged.back().end = std::max(merged.back().end, r.end);
        else merged.push_back(r);
    }
    return merged;
}

// The parts of a letter one after another when they are not slices of its text: each heading,
// then its section's body, a decision section's without the rationales.
std::vector<TextRun> shared_parts(const Letter& letter, const Analyzer& analyzer) {
    const std::vector<TextRange> cuts = rationale_ranges(letter);
    std::vector<TextRun> runs;
    for (const auto& s : letter.sections) {
        if (!s.heading.empty()) runs.push_back(analyze(s.heading, '\0', analyzer));
        if (s.name != section::decisions && s.name != section::rationale) {
            runs.push_back(analyze(s.text, shared_code(s), analyzer));
            continue;
        }
        std::size_t begin = s.offset;
        const std::size_t end = s.offset + s.text.size();
        const std::string_view body = s.text;
        for (const auto& cut : cuts) {
            if (cut.end <= begin || cut.begin >= end) continue;
            if (cut.begin > begin) runs.push_back(analyze(body.substr(begin - s.offset, cut.begin - begin), '\0', analyzer));
            begin = std::max(begin, cut.end);
        }
        if (begin < end) runs.push_back(analyze(body.substr(begin - s.offset), '\0', analyzer));
    }
    return runs;
}

// Whether the printed ranges of a determination can be read: in the text, in order, not empty.
bool placed(const Letter& letter, const Determination& d) {
    if (d.printed.empty()) return false;
    std::size_t last_end = 0;
    for (const auto& r : d.printed) {
        if (r.begin >= r.end || r.end > letter.text.size() || r.begin < last_end) return false;
        last_end = r.end;
    }
    return parts_are_slices(letter) && (d.guidelines.empty() || is_slice(letter.text, d.guidelines_offset, d.guidelines));
}

// Marks the first place the item's words are printed, outside its guideline paragraphs and
// rationale, as the item section; else the words of the first run before those, its item
// statement as printed.
void mark_item(std::vector<TextRun>& runs, const Determination& d, const Analyzer& analyzer) {
    const char item = schema::section_code("item");
    std::vector<std::string> words;
    for (auto& token : analyzer.tokenize(d.item)) words.push_back(std::move(token.term));
    if (words.empty()) return;
    for (auto& run : runs) {
        auto& terms = run.terms;
        for (std::size_t i = 0; i + words.size() <= terms.size(); ++i) {
            bool here = true;
            for (std::size_t k = 0; k < words.size() && here; ++k)
                here = terms[i + k].code == '\0' && terms[i + k].text == words[k];
            if (!here) continue;
            for (std::size_t k = 0; k < words.size(); ++k) terms[i + k].code = item;
            return;
        }
    }
    for (auto& term : runs.front().terms) {
        if (term.code != '\0') break;
        term.code = item;
    }
}

}  // namespace

std::vector<TextRun> shared_runs(const Letter& letter, const Analyzer& analyzer) {
    if (!parts_are_slices(letter)) return shared_parts(letter, analyzer);

    struct Body {
        std::size_t begin, end;
        char code;
    };
    std::vector<Body> bodies;
    std::vector<std::size_t> boundaries;  // where a section's body starts or ends
    for (const auto& s : letter.sections) {
        bodies.push_back({s.offset, s.offset + s.text.size(), shared_code(s)});
        boundaries.push_back(s.offset);
        boundaries.push_back(s.offset + s.text.size());
    }
    std::sort(bodies.begin(), bodies.end(), [](const Body& a, const Body& b) { return a.begin < b.begin; });
    std::sort(boundaries.begin(), boundaries.end());

    // Words come in text order, so both lookups walk forward.
    std::size_t body = 0, boundary = 0;
    auto code_at = [&](std::size_t at) {
        while (body < bodies.size() && bodies[body].end <= at) ++body;
        return body < bodies.size() && bodies[body].begin <= at ? bodies[body].code : '\0';
    };
    auto starts_paragraph = [&](std::size_t from, std::size_t to) {
        while (boundary < boundaries.size() && boundaries[boundary] < from) ++boundary;
        return boundary < boundaries.size() && boundaries[boundary] <= to;
    };

    std::vector<TextRun> runs;
    std::size_t from = 0;
    auto add = [&](std::size_t to) {
        if (to > from) runs.push_back(analyze_range(letter.text, from, to, analyzer, code_at, starts_paragraph));
    };
    for (const auto& cut : rationale_ranges(letter)) {
        add(cut.begin);
        from = std::max(from, cut.end);
    }
    add(letter.text.size());
    return runs;
}

std::vector<TextRun> own_runs(const Letter& letter, const Determination& d, const Analyzer& analyzer) {
    std::vector<TextRun> runs;
    if (!placed(letter, d)) {
        runs.push_back(analyze(d.item, schema::section_code("item"), analyzer));
        // The guideline paragraphs as the letter prints them, not the citations' normalized names:
        // those are reached through the guideline fields, and as words they found letters that
        // never say them ("stimulator", "ccr").
        runs.push_back(analyze(d.guidelines, schema::section_code(section::guidelines), analyzer));
        runs.push_back(analyze(d.rationale, schema::section_code(section::rationale), analyzer));
        return runs;
    }
    const TextRange rationale{d.rationale_offset, d.rationale_offset + d.rationale.size()};
    const TextRange guidelines{d.guidelines_offset, d.guidelines_offset + d.guidelines.size()};
    const char rationale_code = schema::section_code(section::rationale);
    const char guidelines_code = schema::section_code(section::guidelines);
    auto code_at = [&](std::size_t at) {
        if (rationale.begin <= at && at < rationale.end) return rationale_code;
        if (guidelines.begin <= at && at < guidelines.end) return guidelines_code;
        return '\0';
    };
    auto as_printed = [](std::size_t, std::size_t) { return false; };
    for (const auto& range : d.printed)
        runs.push_back(analyze_range(letter.text, range.begin, range.end, analyzer, code_at, as_printed));
    mark_item(runs, d, analyzer);
    return runs;
}

}  // namespace imr
