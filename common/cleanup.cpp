// Clean-up of extracted letter text: characters, wrapped lines, hyphenation, page furniture, glued words.
//
// The published letters reach us as pdftotext-like output: every visual line ends with a space and
// is followed by an empty line ("double-spaced"), a line holding only spaces marks a paragraph
// break, sentences are broken wherever the PDF broke them, and each page repeats the case number
// and "Page 2 of 5". The clean text keeps one paragraph per line so that headings, header fields
// and "<item>: Upheld" lines stay recognisable, and it is what the index and the letter view hold.
#include "cleanup.h"

#include "text_scan.h"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <unordered_set>
#include <vector>

namespace imr {
namespace {

using namespace imr::scan;

// ---- characters --------------------------------------------------------------------------------

// Decodes the code point of a (valid) UTF-8 sequence starting at s[i]; sets its length.
char32_t decode_at(std::string_view s, std::size_t i, std::size_t& length) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    if (c < 0x80) {
        length = 1;
        return c;
    }
    if (c >= 0xF0 && i + 3 < s.size()) {
        length = 4;
        return ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
    }
    if (c >= 0xE0 && i + 2 < s.size()) {
        length = 3;
        return ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    }
    if (c >= 0xC0 && i + 1 < s.size()) {
        length = 2;
        return ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    }
    length = 1;  // stray byte: kept as is
    return 0xFFFD;
}

bool is_space_like(char32_t cp) {
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_invisible(char32_t cp) {
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF;
}

bool is_mark_symbol(char32_t cp) { return cp == 0x2122 || cp == 0x00AE || cp == 0x00A9 || cp == 0x2120; }

// ---- lines -------------------------------------------------------------------------------------

enum class LineKind { Empty, Spaces, Content };

struct Line {
    LineKind kind;
    std::string_view text;  // trimmed; empty unless Content; points into the normalized text or a replacement
};

bool is_caps_line(std::string_view line, std::size_t min_letters) {
    std::size_t letters = 0;
    for (char c : line) {
        if (is_lower(c)) return false;
        if (is_upper(c)) ++letters;
    }
    return letters >= min_letters;
}

// Labels that always start a new paragraph: header fields and the parts of a determination.
constexpr std::array kParagraphLabels = {
    "Case Number:", "IMR Case Number", "Date Assigned:", "Date of Injury:", "Decision Date:", "UR Denial Date:",
    "Priority:", "Application Received:", "Treatment(s) in Dispute", "Claims Administrator guideline:",
    "MAXIMUS guideline:", "Decision rationale:", "State(s) of Licensure:", "Certification(s)/Specialty:",
};

bool starts_with_label(std::string_view line) {
    return std::any_of(kParagraphLabels.begin(), kParagraphLabels.end(),
                       [&](const char* label) { return istarts_with(line, label); });
}

// "Soma 350mg:  Upheld" ends a paragraph even when it is long.
bool ends_with_outcome(std::string_view line) {
    line = trim_punct(line, ".");
    for (std::string_view word : {std::string_view("upheld"), std::string_view("overturned")}) {
        if (!iends_with(line, word)) continue;
        std::string_view rest = trim(line.substr(0, line.size() - word.size()));
        return !rest.empty() && rest.back() == ':';
    }
    return false;
}

bool ends_sentence(std::string_view line) {
    std::string_view t = trim_punct(line, "\")'");
    return !t.empty() && (t.back() == '.' || t.back() == ':' || t.back() == ';' || t.back() == '?' || t.back() == '!');
}

// "1. MRI of the lumbar spine", "2) Norco": an entry of a numbered list.
bool starts_list_entry(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && i < 3 && is_digit(line[i])) ++i;
    return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

bool starts_block(std::string_view line) {
    if (line.empty()) return false;
    char c = line.front();
    return is_upper(c) || is_digit(c) || c == '(' || c == '"' || c == '-' || c == '*' ||
           line.starts_with("\xE2\x80\xA2");  // bullet
}

// Whether `next` continues `paragraph`, whose last line is `prev` (no blank line between them).
bool continues_paragraph(std::string_view paragraph, std::string_view prev, std::string_view next,
                         std::size_t short_width) {
    // An item line wrapped just before its outcome: "... (DOS 10/15/2014):" / "Upheld".
    std::string_view word = trim_punct(next, ".");
    if (prev.back() == ':' && (iequals(word, "upheld") || iequals(word, "overturned"))) return true;
    if (ends_with_outcome(prev) || starts_with_label(next) || starts_list_entry(next)) return false;
    // An item name wrapped over lines before its outcome ("Physical therapy 2x6 for" / "the lumbar:
    // Upheld") is one paragraph; after a finished sentence the outcome line starts its own.
    // A colon inside the name ("DOS:" / "11/11/2016: Upheld") does not end it; a preamble's does.
    if (ends_with_outcome(next)) {
        if (is_caps_line(prev, 6)) return false;
        if (prev.back() == ':') {
            // Only the sentence that the colon ends: a rationale before it may say "decision".
            std::size_t sentence = paragraph.rfind(". ");
            std::string_view last = sentence == std::string_view::npos ? paragraph : paragraph.substr(sentence + 2);
            for (std::string_view preamble : {"determination", "decision", "below:", "following:", "set forth"})
                if (ifind(last, preamble) != std::string_view::npos) return false;
            return true;
        }
        return !ends_sentence(prev);
    }
    bool prev_caps = is_caps_line(prev, 6);
    if (prev_caps) {
        // A heading wrapped over lines continues in capitals ("... REVIEWER AND" / "WHY:").
        return is_caps_line(next, 1) && prev.back() != ':' && !is_digit(next.front());
    }
    if (is_caps_line(next, 6)) return false;
    if (prev.back() == '-' || prev.back() == '/') return true;
    if (prev.size() < short_width) return !(ends_sentence(prev) || starts_block(next));
    return true;
}

// Length of the line width the text was wrapped at: lines shorter than 3/4 of it end paragraphs.
std::size_t short_line_width(const std::vector<Line>& lines) {
    std::vector<std::size_t> lengths;
    for (const auto& line : lines)
        if (line.kind == LineKind::Content && line.text.size() >= 20) lengths.push_back(line.text.size());
    if (lengths.empty()) return 0;
    std::sort(lengths.begin(), lengths.end());
    std::size_t typical = lengths[lengths.size() * 4 / 5];
    // Lines far longer than any PDF line were never wrapped: each is a paragraph of its own.
    if (typical > 130) return std::string_view::npos;
    return typical * 3 / 4;
}

// ---- page furniture ----------------------------------------------------------------------------

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
}

std::size_t skip_digits(std::string_view s, std::size_t i) {
    while (i < s.size() && is_digit(s[i])) ++i;
    return i;
}

// Length of "Page 2 of 5" at pos, or 0.
std::size_t page_of_length_at(std::string_view s, std::size_t pos) {
    if (!istarts_with(s.substr(pos), "page") || !word_start_at(s, pos)) return 0;
    std::size_t i = skip_spaces(s, pos + 4);
    std::size_t d = skip_digits(s, i);
    if (d == i || d == pos + 4) return 0;
    i = skip_spaces(s, d);
    if (i == d || !istarts_with(s.substr(i), "of")) return 0;
    i = skip_spaces(s, i + 2);
    d = skip_digits(s, i);
    if (d == i || !word_end_at(s, d)) return 0;
    return d - pos;
}

// Position just after a case-number label ("Case Number:", "IMR Case Number:", "Case No.") that
// ends right before `pos`, or npos.
std::size_t label_start_before(std::string_view line, std::size_t pos) {
    std::size_t i = pos;
    while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == ':' || line[i - 1] == '#' || line[i - 1] == '.')) --i;
    for (std::string_view label : {std::string_view("case number"), std::string_view("case no")}) {
        if (i >= label.size() && iequals(line.substr(i - label.size(), label.size()), label)) {
            std::size_t start = i - label.size();
            if (start >= 4 && iequals(line.substr(start - 4, 4), "imr ")) start -= 4;
            return start;
        }
    }
    return std::string_view::npos;
}

struct CaseNumberHit {
    std::size_t line = 0;
    std::size_t pos = 0;
    bool labelled = false;
};

// The letter's case number: the first labelled one, else a bare one that stands on a line of its
// own or repeats (page furniture); returns the hit that stays in the text (labelled only).
std::string find_case_number(const std::vector<Line>& lines, std::optional<CaseNumberHit>& kept) {
    std::map<std::string, int> bare_counts;
    std::string alone;
    for (std::size_t n = 0; n < lines.size(); ++n) {
        std::string_view text = lines[n].text;
        for (std::size_t pos = 0; pos + 1 < text.size(); ++pos) {
            if (!is_upper(text[pos]) || !is_upper(text[pos + 1])) continue;
            std::size_t len = case_number_length_at(text, pos);
            if (len == 0) continue;
            std::string number(text.substr(pos, len));
            if (label_start_before(text, pos) != std::string_view::npos) {
                kept = CaseNumberHit{n, pos, true};
                return number;
            }
            ++bare_counts[number];
            if (alone.empty() && trim(text.substr(0, pos)).empty()) alone = number;
            pos += len;
        }
    }
    if (!alone.empty()) return alone;
    for (const auto& [number, count] : bare_counts)
        if (count >= 2) return number;
    return {};
}

// The line without "Page N of M" and without the repeated case number (and its label), or
// nullopt when it holds neither. An empty result means the line was nothing but furniture.
std::optional<std::string> strip_furniture(std::string_view line, const std::string& case_number, bool keep_first_here,
                                           std::size_t keep_pos) {
    bool may_have_page = line.find("age") != std::string_view::npos || line.find("AGE") != std::string_view::npos;
    bool may_have_case = !case_number.empty() && line.find(case_number) != std::string_view::npos;
    if (!may_have_page && !may_have_case) return std::nullopt;
    std::string out;
    out.reserve(line.size());
    bool removed = false;
    for (std::size_t i = 0; i < line.size();) {
        if (may_have_page) {
            if (std::size_t len = page_of_length_at(line, i)) {
                i += len;
                removed = true;
                continue;
            }
        }
        if (may_have_case && line.compare(i, case_number.size(), case_number) == 0 &&
            case_number_length_at(line, i) == case_number.size() && !(keep_first_here && i == keep_pos)) {
            std::size_t label = label_start_before(line, i);
            if (label != std::string_view::npos) {
                // Drop the label that out already holds, e.g. a page header "Case Number: CM..".
                std::size_t drop = i - label;
                out.resize(out.size() >= drop ? out.size() - drop : 0);
            }
            i += case_number.size();
            removed = true;
            continue;
        }
        out += line[i++];
    }
    std::string_view t = removed ? trim(std::string_view(out)) : line;
    // A page number standing alone: "Page 3".
    if (istarts_with(t, "page ") && t.size() > 5 && skip_digits(t, skip_spaces(t, 5)) == t.size()) return std::string();
    if (!removed) return std::nullopt;
    return std::string(t);
}

// ---- hyphenation -------------------------------------------------------------------------------

constexpr std::array kKeptPrefixes = {
    "non", "anti", "post", "pre", "self", "co", "counter", "cross", "ex", "extra", "full", "half", "high",
    "inter", "intra", "long", "low", "mid", "multi", "over", "part", "pro", "re", "semi", "short", "sub",
    "super", "trans", "tri", "bi", "ultra", "under", "well", "x", "all", "one", "two", "three", "four",
    "five", "six", "first", "second", "third", "left", "right", "follow", "work", "age", "day", "time",
};
constexpr std::array kCompoundTails = {
    "up", "in", "out", "on", "off", "based", "related", "induced", "term", "line", "time", "like", "free",
    "year", "years", "old", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "level",
    "dose", "type", "specific", "sided", "dependent", "controlled", "bearing", "handed", "approved",
    "acting", "release", "care", "ray", "rays", "care", "wise", "over", "down", "through",
};
constexpr std::array kWordEndings = {
    "tion", "sion", "ment", "ness", "ing", "ed", "ive", "ous", "ful", "less", "ity", "ical", "ogy", "ic",
};

// The document's words (maximal runs of word bytes, lower-cased) and its pairs of words joined by
// one hyphen, read once: looking each broken word up in the whole text made the clean-up
// quadratic (an 800 KB letter took 83 s). A needle of letters occurs on word boundaries exactly
// when it is one of these runs, so the answers are the same as a search of the text.
class DocumentWords {
public:
    explicit DocumentWords(std::string_view document) : scanned_(document.size()) {
        std::string previous;
        bool hyphen_after_previous = false;
        std::size_t i = 0;
        while (i < document.size()) {
            if (!is_word_byte(document[i])) {
                ++i;
                continue;
            }
            const std::size_t start = i;
            while (i < document.size() && is_word_byte(document[i])) ++i;
            std::string word = to_lower(document.substr(start, i - start));
            const bool joined = hyphen_after_previous && start >= 1 && document[start - 1] == '-' &&
                                (start < 2 || is_word_byte(document[start - 2]));
            if (joined) pairs_.insert(previous + "-" + word);
            hyphen_after_previous = i < document.size() && document[i] == '-';
            words_.insert(word);
            previous = std::move(word);
        }
    }
    bool has_word(const std::string& lower_word) const { return words_.count(lower_word) != 0; }
    bool has_pair(const std::string& lower_pair) const { return pairs_.count(lower_pair) != 0; }
    std::size_t scanned() const { return scanned_; }

private:
    std::unordered_set<std::string> words_, pairs_;
    std::size_t scanned_ = 0;
};

bool keeps_hyphen_in(std::string_view left, std::string_view right, const DocumentWords& words);

// Appends a paragraph with the spaces lost at joins put back ("injury.The" -> "injury. The",
// "2014.In", "(Soma).The", "page 29Muscle", "Texas,California") and, when `squeeze`, every run of
// spaces collapsed and the ends trimmed. Never touches 9792.20, U.S., e.g., 10/325mg or 350MG.
// Written with a raw output pointer: this runs over every byte of every letter.
void append_fixed_paragraph(std::string& out, std::string_view p, bool squeeze) {
    const std::size_t base = out.size();
    out.resize(base + p.size() + p.size() / 2 + 1);
    char* const start = out.data() + base;
    char* w = start;
    bool pending_space = false;
    const std::size_t n = p.size();
    for (std::size_t i = 0; i < n; ++i) {
        char c = p[i];
        if (squeeze && (c == ' ' || c == '\t' || c == '\n')) {
            pending_space = w != start;
            continue;
        }
        if (pending_space) {
            *w++ = ' ';
            pending_space = false;
        }
        *w++ = c;
        if (i == 0 || i + 2 >= n) continue;
        char before = p[i - 1], next = p[i + 1], after = p[i + 2];
        bool split = false;
        if (c == '.' || c == '?' || c == '!') {
            // "U.S." has a capital before the dot, "e.g. " a space after it, "9792.20" a digit.
            split = (is_lower(before) || is_digit(before) || before == ')') && is_upper(next) && is_lower(after);
        } else if (c == ',') {
            split = is_lower(before) && is_upper(next) && is_lower(after);
        } else if (is_digit(c)) {
            // Two more lower-case letters make it a word ("29Muscle", "15According"); "350Mg" stays.
            split = is_upper(next) && is_lower(after) && i + 3 < n && is_lower(p[i + 3]);
        }
        if (split) {
            if (squeeze) pending_space = true;
            else *w++ = ' ';
        }
    }
    out.resize(base + static_cast<std::size_t>(w - start));
}

}  // namespace

// ---- public --------------------------------------------------------------------------------------

std::size_t case_number_length_at(std::string_view text, std::size_t pos) {
    if (pos + 8 > text.size() || !word_start_at(text, pos)) return 0;
    if (!is_upper(text[pos]) || !is_upper(text[pos + 1]) || !is_digit(text[pos + 2]) || !is_digit(text[pos + 3]) ||
        text[pos + 4] != '-')
        return 0;
    std::size_t end = skip_digits(text, pos + 5);
    std::size_t digits = end - (pos + 5);
    if (digits < 4 || digits > 8 || !word_end_at(text, end)) return 0;
    return end - pos;
}

std::string normalize_characters(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size();) {
        // Most bytes need no change: copy them in runs.
        std::size_t run = i;
        while (run < in.size()) {
            auto b = static_cast<unsigned char>(in[run]);
            if ((b >= 0x20 && b < 0x7F) || b == '\n') ++run;
            else break;
        }
        if (run > i) {
            out.append(in.data() + i, run - i);
            i = run;
            continue;
        }
        char c = in[i];
        if (static_cast<unsigned char>(c) < 0x80) {
            if (c == '\r') {
                out += '\n';
                i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
                continue;
            }
            if (c == '\f') {
                // pdftotext ends each page with a form feed; the next page simply continues.
            } else if (c == '\n') {
                out += c;
            } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                out += ' ';
            } else {
                out += c;
            }
            ++i;
            continue;
        }
        std::size_t length = 1;
        char32_t cp = decode_at(in, i, length);
        std::string_view original = in.substr(i, length);
        i += length;
        if (is_space_like(cp)) {
            out += ' ';
        } else if (is_invisible(cp)) {
        } else if (cp == 0x00AD) {
            // A soft hyphen before a line break is where a word was hyphenated; elsewhere it is invisible.
            std::size_t j = i;
            while (j < in.size() && in[j] == ' ') ++j;
            if (j < in.size() && (in[j] == '\n' || in[j] == '\r')) out += '-';
        } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B || cp == 0x2032) {
            out += '\'';
        } else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F || cp == 0x2033) {
            out += '"';
        } else if ((cp >= 0x2010 && cp <= 0x2013) || cp == 0x2212) {
            out += '-';
        } else if (is_mark_symbol(cp)) {
            // "350™mg" keeps the words apart; "Soprodal 350™," just loses the mark.
            if (!out.empty() && is_word_byte(out.back()) && i < in.size() && is_word_byte(in[i])) out += ' ';
        } else if (cp == 0x2026) {
            out += "...";
        } else if (cp >= 0xFB00 && cp <= 0xFB04) {
            static constexpr const char* kLigatures[] = {"ff", "fi", "fl", "ffi", "ffl"};
            out += kLigatures[cp - 0xFB00];
        } else if (cp == 0xF0B7 || cp == 0x25CF || cp == 0x25AA || cp == 0x25E6) {
            out += "\xE2\x80\xA2";  // symbol-font and other bullets -> U+2022
        } else if (cp >= 0x80 && cp <= 0x9F) {
            out += ' ';  // C1 controls
        } else {
            out += original;
        }
    }
    return out;
}

std::string split_run_together(std::string_view text) {
    std::string out;
    append_fixed_paragraph(out, text, false);
    return out;
}

namespace {

bool keeps_hyphen_in(std::string_view left, std::string_view right, const DocumentWords& words) {
    if (left.empty() || right.empty() || !is_lower(right.front())) return true;
    if (!std::all_of(left.begin(), left.end(), is_alpha)) return true;  // "L4-", "C5-"
    std::string left_lower = to_lower(left);
    std::string right_lower = to_lower(right);
    if (words.has_pair(left_lower + "-" + right_lower)) return true;
    if (words.has_word(left_lower + right_lower)) return false;
    auto is = [](std::string_view word) { return [word](const char* x) { return word == x; }; };
    if (std::any_of(kKeptPrefixes.begin(), kKeptPrefixes.end(), is(left_lower))) return true;
    if (std::any_of(kCompoundTails.begin(), kCompoundTails.end(), is(right_lower))) return true;
    if (left_lower.size() >= 4 &&
        std::any_of(kWordEndings.begin(), kWordEndings.end(),
                    [&](const char* ending) { return std::string_view(left_lower).ends_with(ending); }))
        return true;
    return false;
}

}  // namespace

bool keeps_hyphen(std::string_view left, std::string_view right, std::string_view document) {
    return keeps_hyphen_in(left, right, DocumentWords(document));
}

CleanedText clean_letter_text(std::string_view utf8) {
    const std::string normalized = normalize_characters(utf8);
    std::string_view all(normalized);

    std::vector<Line> lines;
    std::size_t content_lines = 0, trailing_space = 0;
    for (std::size_t start = 0; start <= all.size();) {
        std::size_t end = all.find('\n', start);
        if (end == std::string_view::npos) end = all.size();
        std::string_view raw = all.substr(start, end - start);
        std::string_view text = trim(raw);
        if (!text.empty()) {
            lines.push_back({LineKind::Content, text});
            ++content_lines;
            if (raw.back() == ' ') ++trailing_space;
        } else {
            lines.push_back({raw.empty() ? LineKind::Empty : LineKind::Spaces, {}});
        }
        start = end + 1;
    }

    // Double-spaced extraction: content lines mostly separated by exactly one empty line. A text of
    // one-line paragraphs with blank lines between looks the same, so also ask for the marks of a
    // PDF extraction: lines ending in a space, or sentences running on across the empty line.
    std::size_t one_gap = 0, no_gap = 0, continued = 0;
    for (std::size_t n = 0; n + 1 < lines.size(); ++n) {
        if (lines[n].kind != LineKind::Content) continue;
        if (lines[n + 1].kind == LineKind::Content) {
            ++no_gap;
        } else if (n + 2 < lines.size() && lines[n + 1].kind == LineKind::Empty &&
                   lines[n + 2].kind == LineKind::Content) {
            ++one_gap;
            if (!ends_sentence(lines[n].text) && is_lower(lines[n + 2].text.front())) ++continued;
        }
    }
    const bool double_spaced =
        one_gap > no_gap && (trailing_space * 2 > content_lines || continued >= std::max<std::size_t>(2, one_gap / 5));

    CleanedText result;
    std::optional<CaseNumberHit> kept;
    result.case_number = find_case_number(lines, kept);

    // Page furniture: strip it; a line that held nothing else goes, with the empty line after it
    // in double-spaced text, so the sentence it interrupted joins up again.
    std::deque<std::string> replacements;  // stable addresses for the lines' views
    std::vector<Line> kept_lines;
    kept_lines.reserve(lines.size());
    for (std::size_t n = 0; n < lines.size(); ++n) {
        Line line = lines[n];
        if (line.kind == LineKind::Content) {
            bool keep_here = kept && kept->line == n;
            if (auto stripped = strip_furniture(line.text, result.case_number, keep_here, keep_here ? kept->pos : 0)) {
                if (stripped->empty()) {
                    if (double_spaced && n + 1 < lines.size() && lines[n + 1].kind == LineKind::Empty) ++n;
                    continue;
                }
                line.text = replacements.emplace_back(std::move(*stripped));
            }
        }
        kept_lines.push_back(line);
    }

    const std::size_t short_width = short_line_width(kept_lines);
    result.text.reserve(normalized.size());
    std::string paragraph;
    std::size_t last_line_start = 0;  // where the paragraph's last line starts
    std::size_t blank_run = 0;
    bool blank_has_spaces = false;
    std::optional<DocumentWords> words;  // read at the first broken word, if any

    auto flush = [&] {
        if (!paragraph.empty()) {
            std::size_t before = result.text.size();
            if (before) result.text += '\n';
            append_fixed_paragraph(result.text, paragraph, true);
            if (result.text.size() == before + (before ? 1 : 0)) result.text.resize(before);  // nothing but spaces
        }
        paragraph.clear();
    };

    for (const Line& line : kept_lines) {
        if (line.kind != LineKind::Content) {
            ++blank_run;
            blank_has_spaces = blank_has_spaces || line.kind == LineKind::Spaces;
            continue;
        }
        bool hard_break = double_spaced ? (blank_run >= 2 || blank_has_spaces) : blank_run >= 1;
        // A page break falls anywhere, even mid-sentence: a sentence running on across blank
        // lines ("... over 4 weeks for" / "neuralgia and radiculitis") continues its paragraph.
        // So does one after a full-width line that ends no sentence, and a decision word alone on
        // the next page ("... Prevacid 30mg #6 is:" / "Upheld").
        if (hard_break && !paragraph.empty()) {
            std::string_view last_line = std::string_view(paragraph).substr(last_line_start);
            std::string_view word = trim_punct(line.text, ".");
            // "Section(s): 2." ends in the number of a section, not a sentence.
            std::size_t n = paragraph.size() - 1, d = n;
            while (d > 0 && is_digit(paragraph[d - 1])) --d;
            bool ends_numbering = paragraph[n] == '.' && d < n && n - d <= 2 && d > 0 && paragraph[d - 1] == ' ';
            // A colon closing a full-width line goes on with a date or a number ("DOS:" / "01/23/2017").
            bool open_colon = paragraph[n] == ':' && !double_spaced && last_line.size() >= short_width &&
                              is_digit(line.text.front());
            bool mid_sentence = (!ends_sentence(paragraph) || ends_numbering || open_colon) && !is_caps_line(last_line, 6) &&
                                (is_lower(line.text.front()) || (!double_spaced && last_line.size() >= short_width));
            bool lone_outcome = paragraph.back() == ':' && (iequals(word, "upheld") || iequals(word, "overturned"));
            if (mid_sentence || lone_outcome) hard_break = false;
        }
        blank_run = 0;
        blank_has_spaces = false;
        std::string_view prev = std::string_view(paragraph).substr(last_line_start);
        if (paragraph.empty() || hard_break || !continues_paragraph(paragraph, prev, line.text, short_width)) {
            flush();
            last_line_start = 0;
            paragraph = line.text;
            continue;
        }
        last_line_start = paragraph.size();
        if (paragraph.back() == '-' && paragraph.size() >= 2 && paragraph[paragraph.size() - 2] != ' ' &&
            paragraph[paragraph.size() - 2] != '-') {
            std::size_t word_start = paragraph.size() - 1;
            while (word_start > 0 && is_word_byte(paragraph[word_start - 1])) --word_start;
            std::string_view left = std::string_view(paragraph).substr(word_start, paragraph.size() - 1 - word_start);
            std::size_t right_end = 0;
            while (right_end < line.text.size() && is_alpha(line.text[right_end])) ++right_end;
            std::string_view right = std::string_view(line.text).substr(0, right_end);
            if (!words) {
                words.emplace(all);
                result.hyphen_bytes_scanned += words->scanned();
            }
            if (!keeps_hyphen_in(left, right, *words)) paragraph.pop_back();
            last_line_start = word_start;
        } else if (paragraph.back() == '/') {
            last_line_start = paragraph.size();
        } else {
            paragraph += ' ';
            last_line_start = paragraph.size();
        }
        paragraph += line.text;
    }
    flush();
    return result;
}

}  // namespace imr
