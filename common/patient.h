// The injured worker's age and sex as the case summary states them ("a 53 year old female").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imr {

struct Patient {
    std::optional<int> age;
    std::string sex;  // "male", "female" or empty
};

// Reads "53 year old female", "49-year-old male", "a represented 44-year-old male employee",
// "35 y/o female"; the first statement in the text wins. Age and sex stay empty when the text
// does not state them ("a represented employee").
Patient find_patient(std::string_view text);

}  // namespace imr
