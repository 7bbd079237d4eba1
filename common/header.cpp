// The first-page table: a label table, then values paired with labels of their kind in order.
#include "header.h"

#include "cleanup.h"
#include "dates.h"
#include "text_scan.h"

#include <algorithm>
#include <array>
#include <deque>
#include <vector>

namespace imr {
namespace {

using namespace imr::scan;

enum class Kind { CaseNumber, Date, Priority };

struct Label {
    std::string_view printed;  // compared letter by letter; spaces and line breaks may vary
    Kind kind;
    std::optional<Date> HeaderFields::*date = nullptr;
};

// The fields of the published first page (LETTERS.md); "IMR Case Number" is the 2013 spelling.
constexpr std::array kLabels = {
    Label{"IMR Case Number", Kind::CaseNumber},
    Label{"Case Number", Kind::CaseNumber},
    Label{"Date Assigned", Kind::Date, &HeaderFields::assigned_date},
    Label{"Decision Date", Kind::Date, &HeaderFields::decision_date},
    Label{"Date of Injury", Kind::Date, &HeaderFields::injury_date},
    Label{"UR Denial Date", Kind::Date, &HeaderFields::ur_denial_date},
    Label{"Application Received", Kind::Date, &HeaderFields::application_received},
    Label{"Priority", Kind::Priority},
};

constexpr std::array<std::string_view, 4> kPriorities = {"Standard", "Expedited", "Expedite", "Urgent"};

// End of `label` matched at `pos` with any run of spaces or line breaks between its words and an
// optional colon after it, or npos. A label must start a line or follow a colon-ended value.
std::size_t label_end_at(std::string_view text, std::size_t pos, std::string_view label) {
    std::size_t i = pos, j = 0;
    while (j < label.size()) {
        if (label[j] == ' ') {
            if (i == text.size() || !is_space(text[i])) return std::string_view::npos;
            while (i < text.size() && is_space(text[i])) ++i;
            ++j;
            continue;
        }
        if (i == text.size() || lower(text[i]) != lower(label[j])) return std::string_view::npos;
        ++i, ++j;
    }
    if (i < text.size() && is_alnum(text[i])) return std::string_view::npos;
    std::size_t k = i;
    while (k < text.size() && text[k] == ' ') ++k;
    if (k < text.size() && text[k] == ':') return k + 1;
    // Without a colon, only a label alone at the end of its line is one ("Priority" / "Standard").
    return k == text.size() || text[k] == '\n' ? k : std::string_view::npos;
}


}  // namespace

HeaderFields read_header(std::string_view text) {
    HeaderFields fields;
    std::array<std::deque<const Label*>, 3> waiting;
    auto& cases = waiting[static_cast<std::size_t>(Kind::CaseNumber)];
    auto& dates = waiting[static_cast<std::size_t>(Kind::Date)];
    auto& priorities = waiting[static_cast<std::size_t>(Kind::Priority)];
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_alnum(text[i]) || !word_start_at(text, i)) continue;
        // Labels start with one of these letters; a value is looked for only while a label of its
        // kind waits for one (most of a letter's words are neither).
        const char first = lower(text[i]);
        if (first == 'c' || first == 'd' || first == 'i' || first == 'u' || first == 'a' || first == 'p') {
            bool matched = false;
            for (const Label& label : kLabels) {
                std::size_t end = label_end_at(text, i, label.printed);
                if (end == std::string_view::npos) continue;
                waiting[static_cast<std::size_t>(label.kind)].push_back(&label);
                i = end - 1;
                matched = true;
                break;
            }
            if (matched) continue;
        }
        if (!cases.empty() && is_upper(text[i])) {
            if (std::size_t n = case_number_length_at(text, i)) {
                fields.case_number = std::string(text.substr(i, n));
                cases.pop_front();
                i += n - 1;
                continue;
            }
        }
        if (!dates.empty() && (is_digit(text[i]) || is_upper(text[i]))) {
            if (auto date = date_at(text, i)) {
                fields.*(dates.front()->date) = date->date;
                dates.pop_front();
                i = date->end - 1;
                continue;
            }
        }
        if (!priorities.empty() && is_upper(text[i])) {
            for (std::string_view word : kPriorities) {
                if (istarts_with(text.substr(i), word) && word_end_at(text, i + word.size())) {
                    fields.priority = std::string(word == "Expedite" ? "Expedited" : word);
                    priorities.pop_front();
                    i += word.size() - 1;
                    break;
                }
            }
        }
    }
    return fields;
}

}  // namespace imr
