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

struct Event {
    std::size_t at;
    std::size_t end;
    const Label* label = nullptr;  // a label, or else a value of `kind`
    Kind kind = Kind::Date;
    std::optional<Date> date;
    std::string value;
};

}  // namespace

HeaderFields read_header(std::string_view text) {
    std::vector<Event> events;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_alnum(text[i]) || !word_start_at(text, i)) continue;
        // Labels start with one of these letters; a word starting with another is passed over
        // unless it can be a value (a case number, a date, a priority all start with a capital or
        // a digit).
        const char first = lower(text[i]);
        const bool may_label = first == 'c' || first == 'd' || first == 'i' || first == 'u' || first == 'a' || first == 'p';
        if (!may_label && !is_upper(text[i]) && !is_digit(text[i])) continue;
        bool matched = false;
        for (const Label& label : kLabels) {
            if (!may_label) break;
            std::size_t end = label_end_at(text, i, label.printed);
            if (end == std::string_view::npos) continue;
            events.push_back({i, end, &label, label.kind, std::nullopt, {}});
            i = end - 1;
            matched = true;
            break;
        }
        if (matched) continue;
        if (std::size_t n = case_number_length_at(text, i)) {
            events.push_back({i, i + n, nullptr, Kind::CaseNumber, std::nullopt, std::string(text.substr(i, n))});
            i += n - 1;
            continue;
        }
        if (is_digit(text[i]) || is_upper(text[i])) {
            if (auto date = date_at(text, i)) {
                events.push_back({i, date->end, nullptr, Kind::Date, date->date, {}});
                i = date->end - 1;
                continue;
            }
        }
        for (std::string_view word : kPriorities) {
            if (istarts_with(text.substr(i), word) && word_end_at(text, i + word.size())) {
                events.push_back({i, i + word.size(), nullptr, Kind::Priority, std::nullopt,
                                  std::string(word == "Expedite" ? "Expedited" : word)});
                i += word.size() - 1;
                break;
            }
        }
    }

    HeaderFields fields;
    std::array<std::deque<const Label*>, 3> waiting;
    for (const Event& e : events) {
        auto& queue = waiting[static_cast<std::size_t>(e.kind)];
        if (e.label) {
            queue.push_back(e.label);
            continue;
        }
        if (queue.empty()) continue;  // a value no label asked for (a date in a sentence)
        const Label* label = queue.front();
        queue.pop_front();
        switch (e.kind) {
            case Kind::CaseNumber: fields.case_number = e.value; break;
            case Kind::Priority: fields.priority = e.value; break;
            case Kind::Date: fields.*(label->date) = e.date; break;
        }
    }
    return fields;
}

}  // namespace imr
