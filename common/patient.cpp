// Age and sex of the injured worker, by scanning for "<N> year old" and the sex word that follows.
#include "patient.h"

#include "text_scan.h"

#include <array>

namespace imr {
namespace {

using namespace imr::scan;

std::size_t skip_joiners(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '-')) ++i;
    return i;
}

// After the number: "year old", "-year-old", "years old", "yr old", "y/o", "yo"; returns the
// position after the phrase, or npos.
std::size_t age_phrase_end(std::string_view s, std::size_t i) {
    i = skip_joiners(s, i);
    for (std::string_view unit : {"years", "year", "yrs", "yr"}) {
        if (!istarts_with(s.substr(i), unit) || !word_end_at(s, i + unit.size())) continue;
        std::size_t j = skip_joiners(s, i + unit.size());
        if (istarts_with(s.substr(j), "old") && word_end_at(s, j + 3)) return j + 3;
        return std::string_view::npos;
    }
    for (std::string_view unit : {"y/o", "y.o.", "yo"})
        if (istarts_with(s.substr(i), unit) && (unit.back() == '.' || word_end_at(s, i + unit.size())))
            return i + unit.size();
    return std::string_view::npos;
}

std::string sex_word(std::string_view word) {
    static constexpr std::array kMale = {"male", "man", "gentleman", "boy"};
    static constexpr std::array kFemale = {"female", "woman", "lady", "girl"};
    std::string w = to_lower(word);
    for (const char* m : kMale)
        if (w == m) return "male";
    for (const char* f : kFemale)
        if (w == f) return "female";
    return {};
}

// The sex named within the next few words: "female", "right-handed male", "Hispanic female".
std::string sex_after(std::string_view s, std::size_t i) {
    for (int words = 0; words < 4 && i < s.size(); ++words) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',')) ++i;
        std::size_t start = i;
        while (i < s.size() && (is_alpha(s[i]) || s[i] == '-')) ++i;
        if (i == start) return {};
        std::string_view word = s.substr(start, i - start);
        if (auto sex = sex_word(word); !sex.empty()) return sex;
        if (i < s.size() && (s[i] == '.' || s[i] == ';')) return {};
    }
    return {};
}

}  // namespace

Patient find_patient(std::string_view text) {
    Patient patient;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_digit(text[i]) || !word_start_at(text, i)) continue;
        std::size_t j = i;
        int age = 0;
        while (j < text.size() && is_digit(text[j]) && j - i < 3) age = age * 10 + (text[j++] - '0');
        if (j < text.size() && is_digit(text[j])) {
            i = j;
            continue;
        }
        std::size_t end = age_phrase_end(text, j);
        if (end == std::string_view::npos || age < 14 || age > 105) {
            i = j;
            continue;
        }
        patient.age = age;
        patient.sex = sex_after(text, end);
        break;
    }
    if (patient.sex.empty()) {
        // "The patient is a female who ..." without an age.
        std::size_t female = ifind_word(text, "female");
        std::size_t male = ifind_word(text, "male");
        if (female != male) patient.sex = female < male ? "female" : "male";
    }
    return patient;
}

}  // namespace imr
