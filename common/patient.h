// The injured worker's age and sex as the case summary states them ("a 53 year old female"), or the
// age from the worker's birthdate when the letter gives only that.
#pragma once

#include "letter.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

struct Patient {
    std::optional<int> age;
    std::string sex;  // "male", "female" or empty
};

// Reads "53 year old female", "49-year-old male", "a represented 44-year-old male employee",
// "35 y/o female", "a now 58-year-old female", "The 58 year old female injured worker", "is a(n) 57
// year old male", "was a 42 year old"; the first statement in the text wins. Age and sex stay empty
// when the text does not state them ("a represented employee"). Not ages: "a 12 year history",
// "the 6 year old injury", "30 year old records", "records that are 30 years old".
Patient find_patient(std::string_view text);

// The birthdates the text states, each distinct date once, in text order: "DOB: 03/14/1958",
// "D.O.B. 3/14/58", "date of birth 3/14/1958", "Date of Birth: March 14, 1958", "birth date of
// ...", "born on March 14, 1958", "born 3/14/1958".
std::vector<Date> find_birthdates(std::string_view text);

// Age in whole years on `on` of someone born on `birth`: a birthday not yet reached in that year
// does not count (one born on February 29 turns a year older on March 1 in other years).
int age_on(const Date& birth, const Date& on);

struct BirthdateAge {
    std::optional<int> age;
    bool conflicting = false;  // the text states several different birthdates, so no age is taken
};

// The age on `on` from the one birthdate the text states; none when it states none, several that
// disagree (`conflicting`, whether or not there is an `on`), or one that gives an age outside 14-105.
BirthdateAge age_from_birthdates(std::string_view text, const std::optional<Date>& on);

}  // namespace imr
