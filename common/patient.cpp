// Age and sex of the injured worker, by scanning for "<N> year old" and the sex word that follows,
// and birthdates ("DOB: 03/14/1958") for letters that state no age.
#include "patient.h"

#include "dates.h"
#include "text_scan.h"

#include <algorithm>
#include <array>

namespace imr {
namespace {

using namespace imr::scan;

std::size_t skip_joiners(std::string_view s, std::size_t i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '-')) ++i;
    return i;
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

// After the number: "year old", "-year-old", "years old", "yr old", "y/o", "yo"; returns the
// position after the phrase, or npos. "old" may run into the sex word ("58 year oldfemale").
std::size_t age_phrase_end(std::string_view s, std::size_t i) {
    i = skip_joiners(s, i);
    for (std::string_view unit : {"years", "year", "yrs", "yr"}) {
        if (!istarts_with(s.substr(i), unit) || !word_end_at(s, i + unit.size())) continue;
        std::size_t j = skip_joiners(s, i + unit.size());
        if (!istarts_with(s.substr(j), "old")) return std::string_view::npos;
        std::size_t end = j + 3;
        if (word_end_at(s, end)) return end;
        std::size_t w = end;
        while (w < s.size() && is_alpha(s[w])) ++w;
        return sex_word(s.substr(end, w - end)).empty() ? std::string_view::npos : end;
    }
    for (std::string_view unit : {"y/o", "y.o.", "yo"})
        if (istarts_with(s.substr(i), unit) && (unit.back() == '.' || word_end_at(s, i + unit.size())))
            return i + unit.size();
    return std::string_view::npos;
}

// Things and other people that "<N> year old" can describe besides the worker: "the 16 year old
// injury", "30 year old records", "her 20-year-old son".
bool describes_no_worker(std::string_view word) {
    static constexpr std::array kNouns = {
        "injury", "injuries", "record", "records", "report", "reports", "history", "claim", "claims", "note",
        "notes", "fracture", "fractures", "surgery", "surgeries", "study", "studies", "mri", "scan", "scans",
        "film", "films", "x-ray", "x-rays", "xray", "xrays", "imaging", "hardware", "implant", "implants",
        "tear", "scar", "scars", "lesion", "wound", "condition", "complaint", "complaints", "diagnosis",
        "prescription", "prescriptions", "documentation", "evaluation", "evaluations", "exam", "examination",
        "car", "vehicle", "truck", "house", "home", "job", "son", "sons", "daughter", "daughters", "child",
        "children", "kid", "kids", "grandson", "granddaughter", "grandchild", "brother", "sister", "wife",
        "husband", "spouse", "nephew", "niece", "dog",
    };
    std::string w = to_lower(word);
    return std::any_of(kNouns.begin(), kNouns.end(), [&](const char* n) { return w == n; });
}

// The word that ends right before `end` (spaces skipped), lower-cased.
std::string word_before(std::string_view s, std::size_t end) {
    while (end > 0 && s[end - 1] == ' ') --end;
    std::size_t begin = end;
    while (begin > 0 && is_alpha(s[begin - 1])) --begin;
    return to_lower(s.substr(begin, end - begin));
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

// Whether the age phrase that runs from `number` to `end` states the worker's age. "N year old" is
// attributive ("a 58 year old female"), so the word after it decides; "N years old" is said of a
// subject before it ("The patient is 62 years old", "a 62 years old male", but not "records that
// are 30 years old").
bool states_worker_age(std::string_view s, std::size_t number, std::size_t end) {
    std::size_t i = skip_joiners(s, end);
    std::size_t w = i;
    while (w < s.size() && (is_alpha(s[w]) || s[w] == '-')) ++w;
    if (w > i && describes_no_worker(s.substr(i, w - i))) return false;
    std::string_view phrase = s.substr(number, end - number);
    bool plural = ifind(phrase, "years") != std::string_view::npos || ifind(phrase, "yrs") != std::string_view::npos;
    if (!plural || !sex_after(s, end).empty()) return true;
    if (number > 0 && s[number - 1] == '(') return true;
    std::size_t before = number;
    while (before > 0 && s[before - 1] == ' ') --before;
    if (before > 0 && s[before - 1] == ',') return true;
    std::string verb = word_before(s, number);
    return verb == "is" || verb == "was" || verb == "now" || verb == "aged" || verb == "age";
}

// Where the date after a birthdate label starts: past ':', '-', '(' and the words "of", "is",
// "was", "on", "as" ("date of birth is 3/14/1958", "born on March 14, 1958", "the date of birth as").
std::size_t date_after_label(std::string_view s, std::size_t i) {
    for (int words = 0; words < 3; ++words) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ':' || s[i] == '-' || s[i] == '(' || s[i] == '#')) ++i;
        bool skipped = false;
        for (std::string_view w : {"of", "is", "was", "on", "as"}) {
            if (istarts_with(s.substr(i), w) && word_end_at(s, i + w.size())) {
                i += w.size();
                skipped = true;
                break;
            }
        }
        if (!skipped) break;
    }
    return i;
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
        if (end == std::string_view::npos || age < 14 || age > 105 || !states_worker_age(text, i, end)) {
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

std::vector<Date> find_birthdates(std::string_view text) {
    static constexpr std::array kLabels = {"date of birth", "birth date", "birthdate", "d.o.b.", "dob", "born"};
    std::vector<Date> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = lower(text[i]);
        if ((c != 'd' && c != 'b') || !word_start_at(text, i)) continue;
        for (std::string_view label : kLabels) {
            if (!istarts_with(text.substr(i), label)) continue;
            std::size_t after = i + label.size();
            if (label.back() != '.' && !word_end_at(text, after)) continue;
            std::size_t at = date_after_label(text, after);
            // From a view that starts at the date, so that "DOB-03/14/1958" reads too.
            if (auto match = date_at(text.substr(at), 0)) {
                if (std::find(out.begin(), out.end(), match->date) == out.end()) out.push_back(match->date);
                i = at + match->end - 1;
            }
            break;
        }
    }
    return out;
}

int age_on(const Date& birth, const Date& on) {
    int age = on.year - birth.year;
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
    return age;
}

BirthdateAge age_from_birthdates(std::string_view text, const std::optional<Date>& on) {
    BirthdateAge out;
    std::vector<Date> births = find_birthdates(text);
    if (births.size() > 1) {
        out.conflicting = true;
        return out;
    }
    if (births.empty() || !on) return out;
    int age = age_on(births.front(), *on);
    if (age >= 14 && age <= 105) out.age = age;
    return out;
}

}  // namespace imr
