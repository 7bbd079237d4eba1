// Heading table of the three published layouts and the scan that finds the headings in clean text.
#include "layout.h"

#include "parser.h"
#include "text_scan.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace imr {
namespace {

using namespace imr::scan;

enum class Signal { None, Standard, Maximus2013, ProfessionalReview };

struct Heading {
    const char* printed;   // as the letters print it; only its letters and digits are compared
    const char* section;   // imr::section name, or nullptr for a title that only names the layout
    Signal signal;         // which layout the heading belongs to, when only one has it
    bool open_ended = false;  // only the start is compared; the printed heading runs on to its colon
};

// Longer headings first where one heading's letters begin another's ("DOCUMENTS REVIEWED").
constexpr std::array kHeadings = {
    Heading{"HOW THE IMR FINAL DETERMINATION WAS MADE", section::reviewer, Signal::None},
    Heading{"CLINICAL CASE SUMMARY", section::summary, Signal::None},
    Heading{"IMR ISSUES, DECISIONS AND RATIONALES", section::decisions, Signal::Standard},
    Heading{"IMR ISSUES AND DECISIONS", section::decisions, Signal::Standard},
    Heading{"DOCUMENTS REVIEWED FOR DETERMINATION", section::documents, Signal::ProfessionalReview},
    Heading{"DOCUMENTS REVIEWED", section::documents, Signal::Maximus2013},
    Heading{"IMR DECISION(S) AND RATIONALE(S)", section::decisions, Signal::Maximus2013},
    Heading{"MEDICAL QUALIFICATIONS OF THE EXPERT REVIEWER", section::reviewer, Signal::Maximus2013},
    Heading{"EXPERT REVIEWER CASE SUMMARY", section::summary, Signal::Maximus2013},
    Heading{"CASE SUMMARY", section::summary, Signal::None},
    Heading{"ISSUES AT DISPUTE", section::header, Signal::ProfessionalReview},
    Heading{"ISSUE AT DISPUTE", section::header, Signal::ProfessionalReview},
    Heading{"MEDICAL TREATMENT GUIDELINE(S) RELIED UPON", section::guidelines, Signal::ProfessionalReview, true},
    Heading{"RATIONALE FOR WHY THE REQUESTED TREATMENT", section::decisions, Signal::ProfessionalReview, true},
    Heading{"MEDICAL REVIEWER QUALIFICATIONS", section::reviewer, Signal::ProfessionalReview},
    Heading{"MEDICAL PROFESSIONAL REVIEW", nullptr, Signal::ProfessionalReview},
    Heading{"MAXIMUS FEDERAL SERVICES, INC.", nullptr, Signal::Maximus2013},
    Heading{"NOTICE OF INDEPENDENT MEDICAL REVIEW DETERMINATION", nullptr, Signal::Maximus2013},
};

std::string key_of(std::string_view printed) {
    std::string key;
    for (char c : printed)
        if (is_alnum(c)) key += upper(c);
    return key;
}

// Compares a heading's key (its letters and digits, upper-cased) with the text from `begin`,
// skipping everything in the text that is not a letter or digit, so that spaces, punctuation and
// line breaks inside a heading do not matter. Returns the offset just after the last matched
// character, or npos.
std::size_t match_key(std::string_view text, std::size_t begin, std::string_view key) {
    std::size_t i = begin;
    std::size_t last = begin;
    for (char k : key) {
        while (i < text.size() && !is_alnum(text[i])) ++i;
        if (i == text.size() || upper(text[i]) != k) return std::string_view::npos;
        last = ++i;
    }
    return last;
}

struct Found {
    const Heading* heading;
    std::size_t begin;      // heading start in the text
    std::size_t end;        // heading end (after its colon)
};

// Where the printed heading ends: through the rest of a line in capitals, or through its colon.
std::size_t heading_end(std::string_view text, std::size_t key_end, bool open_ended) {
    std::size_t ext = key_end;
    while (ext < text.size() && text[ext] != '\n' && !is_lower(text[ext])) ++ext;
    if (ext == text.size() || text[ext] == '\n') {
        while (ext > key_end && text[ext - 1] == ' ') --ext;
        // The tail of a wrapped heading on the next line: "...REVIEWER AND" / "WHY:".
        if (open_ended && ext < text.size() && text[ext - 1] != ':') {
            std::size_t next_end = text.find('\n', ext + 1);
            if (next_end == std::string_view::npos) next_end = text.size();
            std::string_view next = text.substr(ext + 1, next_end - ext - 1);
            if (next.size() <= 40 && next.ends_with(':') && std::none_of(next.begin(), next.end(), is_lower))
                return next_end;
        }
        return ext;
    }
    std::size_t colon = text.rfind(':', ext);
    if (colon != std::string_view::npos && colon >= key_end) return colon + 1;
    while (key_end < text.size() && text[key_end] == ')') ++key_end;
    return key_end;
}

std::optional<Found> heading_at(std::string_view text, std::size_t paragraph_start) {
    // Only spaces and list marks may come before the heading in its paragraph.
    std::size_t begin = paragraph_start;
    while (begin < text.size() && !is_alnum(text[begin])) {
        if (text[begin] == '\n' || is_word_byte(text[begin])) return std::nullopt;
        ++begin;
    }
    if (begin == text.size()) return std::nullopt;
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> all;
        for (const auto& heading : kHeadings) all.push_back(key_of(heading.printed));
        return all;
    }();
    const char first = upper(text[begin]);
    for (std::size_t h = 0; h < kHeadings.size(); ++h) {
        const Heading& heading = kHeadings[h];
        const std::string& key = keys[h];
        if (key.front() != first) continue;
        std::size_t key_end = match_key(text, begin, key);
        if (key_end == std::string_view::npos) continue;
        if (key_end < text.size() && is_alnum(text[key_end])) continue;  // "Case Summaryreports"
        std::size_t end = heading_end(text, key_end, heading.open_ended);
        std::string_view printed = text.substr(begin, end - begin);
        bool capitals = std::none_of(printed.begin(), printed.end(), is_lower);
        bool colon = printed.ends_with(':');
        bool alone = end == text.size() || text[end] == '\n';
        if (!(capitals || colon || alone)) continue;
        return Found{&heading, begin, end};
    }
    return std::nullopt;
}

}  // namespace

LayoutScan scan_layout(std::string_view text) {
    std::vector<Found> found;
    for (std::size_t start = 0; start < text.size();) {
        if (auto heading = heading_at(text, start)) {
            found.push_back(*heading);
            start = heading->end;
            // A heading followed by its body on the same line: the body is no new paragraph.
        }
        std::size_t newline = text.find('\n', start);
        if (newline == std::string_view::npos) break;
        start = newline + 1;
    }

    bool professional = false, maximus2013 = false, any_section = false;
    for (const auto& f : found) {
        professional = professional || f.heading->signal == Signal::ProfessionalReview;
        maximus2013 = maximus2013 || f.heading->signal == Signal::Maximus2013;
        any_section = any_section || f.heading->section != nullptr;
    }
    if (!any_section) throw RejectedLetter("no IMR section headings found");

    LayoutScan scan;
    scan.layout = professional ? Layout::ProfessionalReview : maximus2013 ? Layout::Maximus2013 : Layout::Standard;

    std::vector<const Found*> cuts;
    for (const auto& f : found)
        if (f.heading->section) cuts.push_back(&f);

    auto body = [&](std::size_t from, std::size_t to) {
        std::string_view b = text.substr(from, to - from);
        std::size_t lead = 0;
        while (lead < b.size() && (is_space(b[lead]) || b[lead] == ':')) ++lead;
        return std::pair{from + lead, std::string(trim(b.substr(lead)))};
    };
    if (auto [offset, head] = body(0, cuts.front()->begin); !head.empty())
        scan.sections.push_back(Section{section::header, "", offset, std::move(head)});
    for (std::size_t n = 0; n < cuts.size(); ++n) {
        std::size_t to = n + 1 < cuts.size() ? cuts[n + 1]->begin : text.size();
        auto [offset, content] = body(cuts[n]->end, to);
        std::string heading = squeeze_spaces(text.substr(cuts[n]->begin, cuts[n]->end - cuts[n]->begin));
        scan.sections.push_back(Section{cuts[n]->heading->section, std::move(heading), offset, std::move(content)});
    }
    return scan;
}

const Section* find_section(const std::vector<Section>& sections, std::string_view name) {
    for (const auto& s : sections)
        if (s.name == name) return &s;
    return nullptr;
}

}  // namespace imr
