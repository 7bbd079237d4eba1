// Reviewer credentials: labelled lines first, then the sentences that say "certified in" and "licensed".
#include "reviewer.h"

#include "text_scan.h"

#include <algorithm>

namespace imr {
namespace {

using namespace imr::scan;

void add_all(std::vector<std::string>& into, const std::vector<std::string>& found) {
    for (const auto& f : found)
        if (std::find(into.begin(), into.end(), f) == into.end()) into.push_back(f);
}

// The value after a label, to the end of its line or to the next credential label. A list
// wrapped onto following short lines ("..., Public Health &" / "General Preventive Medicine")
// goes on there, as long as they hold no label and end no sentence.
std::string_view value_after(std::string_view text, std::size_t value_start) {
    std::size_t end = text.find('\n', value_start);
    if (end == std::string_view::npos) end = text.size();
    while (end < text.size()) {
        std::size_t next_end = text.find('\n', end + 1);
        if (next_end == std::string_view::npos) next_end = text.size();
        std::string_view next = trim(text.substr(end + 1, next_end - end - 1));
        if (next.empty() || next.size() > 60 || next.find(':') != std::string_view::npos || next.back() == '.' ||
            !std::any_of(next.begin(), next.end(), is_lower))
            break;
        end = next_end;
    }
    std::string_view value = text.substr(value_start, end - value_start);
    for (std::string_view next : {"state(s) of licensure", "state of licensure", "certification(s)", "specialty:"}) {
        std::size_t at = ifind(value, next);
        if (at != std::string_view::npos && at > 0) value = value.substr(0, at);
    }
    return value;
}

// Values of every occurrence of any of the labels (lower case); `lower` is the text in lower case.
std::vector<std::string_view> labelled_values(std::string_view text, std::string_view lower,
                                              std::initializer_list<std::string_view> labels) {
    std::vector<std::string_view> values;
    for (std::string_view label : labels) {
        for (std::size_t at = lower.find(label); at != std::string_view::npos; at = lower.find(label, at + 1)) {
            std::size_t start = at + label.size();
            while (start < text.size() && (text[start] == ':' || text[start] == ' ')) ++start;
            values.push_back(value_after(text, start));
        }
    }
    return values;
}

std::vector<std::string_view> list_entries(std::string_view value) {
    std::vector<std::string_view> entries;
    for (std::size_t start = 0; start <= value.size();) {
        std::size_t end = value.find_first_of(",;", start);
        if (end == std::string_view::npos) end = value.size();
        entries.push_back(value.substr(start, end - start));
        start = end + 1;
    }
    return entries;
}

// Each entry of a labelled list by what `find` knows of it; an entry it does not know is kept as
// written, for the audit to report.
template <typename Find>
void add_entries(std::vector<std::string>& into, std::string_view value, Find find) {
    for (auto entry : list_entries(value)) {
        std::vector<std::string> known = find(entry);
        std::string written = squeeze_spaces(trim_punct(trim(entry), ".;"));
        if (known.empty() && std::any_of(written.begin(), written.end(), is_alpha)) known.push_back(written);
        add_all(into, known);
    }
}

bool is_sentence_end(std::string_view s, std::size_t i) {
    if (s[i] == '\n') return true;
    return s[i] == '.' && (i + 1 == s.size() || s[i + 1] == ' ' || s[i + 1] == '\n');
}

// The sentence around `pos`.
std::string_view sentence_at(std::string_view text, std::size_t pos) {
    std::size_t start = pos;
    while (start > 0 && !is_sentence_end(text, start - 1)) --start;
    std::size_t end = pos;
    while (end < text.size() && !is_sentence_end(text, end)) ++end;
    return text.substr(start, end - start);
}

}  // namespace

ReviewerCredentials find_reviewer(std::string_view text, const Lexicon& lexicon) {
    ReviewerCredentials found;
    const std::string lower = to_lower(text);
    // A labelled value is a list: "Psychiatry, Neurology" names two specialties even though
    // "Psychiatry & Neurology" names one, so each entry is looked up on its own.
    const auto specialty_labels = {std::string_view("certification(s)/specialty"), std::string_view("specialty:"),
                                   std::string_view("specialties:"), std::string_view("board certification:")};
    for (auto value : labelled_values(text, lower, specialty_labels))
        add_entries(found.specialties, value, [&](std::string_view e) { return lexicon.find_specialties(e); });
    const auto state_labels = {std::string_view("state(s) of licensure"), std::string_view("states of licensure"),
                               std::string_view("state of licensure"), std::string_view("licensure:")};
    for (auto value : labelled_values(text, lower, state_labels))
        add_entries(found.states, value, [&](std::string_view e) { return lexicon.find_states(e); });

    // Prose: the sentences that state a certification or a licence.
    for (std::string_view cue : {"certified in", "board certified", "subspecialty in", "specialty in",
                                 "specializes in", "specializing in", "certification in", "licensed"}) {
        for (std::size_t at = lower.find(cue); at != std::string::npos; at = lower.find(cue, at + 1)) {
            std::string_view sentence = sentence_at(text, at);
            std::size_t licensed = ifind(sentence, "licensed");
            std::size_t cue_in_sentence = at - scan::offset_in(text, sentence);
            if (cue != "licensed") {
                // Specialties: from the cue up to "licensed" (or the sentence end).
                std::size_t end = licensed != std::string_view::npos && licensed > cue_in_sentence ? licensed
                                                                                                   : sentence.size();
                add_all(found.specialties,
                        lexicon.find_specialties(sentence.substr(cue_in_sentence, end - cue_in_sentence)));
            } else {
                add_all(found.states, lexicon.find_states(sentence.substr(cue_in_sentence)));
                // "is a licensed Chiropractor": the specialty sits around the word itself.
                if (found.specialties.empty()) add_all(found.specialties, lexicon.find_specialties(sentence));
            }
            at = scan::offset_in(text, sentence) + sentence.size();
            if (at >= text.size()) break;
        }
    }
    return found;
}

}  // namespace imr
