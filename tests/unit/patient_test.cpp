// Unit tests of the patient's age and sex as stated in case summaries.
#include "patient.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("find_patient") {
    struct Case {
        const char* name;
        const char* text;
        int age;  // 0: none
        std::string sex;
    };
    const Case cases[] = {
        {"year old female", "This is a 53 year old female patient with an industrial injury", 53, "female"},
        {"hyphenated male", "this is a 49-year-old male with a 12/27/00 date of injury", 49, "male"},
        {"hyphenated female with", "this is a 35-year-old female with a 12/14/12 date of injury", 35, "female"},
        {"comma after sex", "The injured worker is a 60 year old male, who sustained an industrial injury", 60, "male"},
        {"represented employee with age", "The applicant is a represented 44-year-old male employee who has filed", 44,
         "male"},
        {"represented employee without age", "The applicant is a represented  employee who has filed a claim for", 0, ""},
        {"years old", "The patient is 62 years old. She reports pain.", 62, ""},
        {"adjective before sex", "a 41-year-old right-handed female", 41, "female"},
        {"y/o", "a 38 y/o male with back pain", 38, "male"},
        {"woman", "a 29-year-old woman", 29, "female"},
        {"gentleman", "a 70 year old gentleman", 70, "male"},
        {"sex without age", "The patient is a female who injured her knee.", 0, "female"},
        {"numbers that are not ages", "Norco 10/325 #60 for 3 years, 2 weeks", 0, ""},
        {"sex named later than the age", "a 45-year-old with pain in the neck. The male patient", 45, "male"},
        {"first statement wins", "a 45-year-old male; his wife, a 44-year-old female", 45, "male"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto patient = imr::find_patient(c.text);
            CHECK(patient.age.value_or(0) == c.age);
            CHECK(patient.sex == c.sex);
        }
    }
}
