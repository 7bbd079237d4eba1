// Unit tests of the patient's age and sex as stated in case summaries, and of the age from birthdates.
#include "patient.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

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
        // The phrasings of the published letters.
        {"a now N-year-old", "This case involves a now 58-year-old female with a history of an occupational claim",
         58, "female"},
        {"The N year old <sex> injured worker", "The 58 year old female injured worker suffered an industrial injury",
         58, "female"},
        {"is a N year old <sex>, who", "the injured worker is a 33 year old male, who sustained an injury", 33, "male"},
        {"a(n) N year old", "The injured worker is a(n) 57 year old male, who sustained an industrial injury", 57,
         "male"},
        {"was a N year old", "The injured worker was a 42 year old female, who was hurt at work", 42, "female"},
        {"a(n) after a comma", "According to the records, the injured worker is a(n) 46 year old female,", 46,
         "female"},
        {"old run into the sex word", "The injured worker is a 61 year oldmale who fell", 61, "male"},
        {"years old after a comma", "The claimant, 47 years old, reports pain", 47, ""},
        {"years old before the sex", "The patient is a 62 years old male with neck pain.", 62, "male"},
        {"a comma after year old", "The injured worker is a 55 year old, right-handed female.", 55, "female"},
        // Numbers that are not the worker's age.
        {"a 12 year history", "She reports a 12 year history of low back pain.", 0, ""},
        {"the 6 year old injury", "Pain persists after the 6 year old injury to the knee.", 0, ""},
        {"30 year old records", "30 year old records were reviewed; the date of injury is unknown.", 0, ""},
        {"an old injury above the age of consent", "Pain persists after the 16 year old injury. He is a 44 year old male.",
         44, "male"},
        {"records that are N years old", "The records that are 30 years old were not reviewed.", 0, ""},
        {"a relative's age", "Her 20-year-old son drives her. She is a 51 year old female.", 51, "female"},
        {"a hyphenated old fracture", "X-rays show a 15-year-old fracture of the wrist.", 0, ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto patient = imr::find_patient(c.text);
            CHECK(patient.age.value_or(0) == c.age);
            CHECK(patient.sex == c.sex);
        }
    }
}

TEST_CASE("find_birthdates") {
    struct Case {
        const char* text;
        std::vector<std::string> dates;  // ISO
    };
    const Case cases[] = {
        {"Patient: [redacted] DOB: 03/14/1958", {"1958-03-14"}},
        {"The worker's date of birth 3/14/1958 was confirmed.", {"1958-03-14"}},
        {"Date of Birth: March 14, 1958", {"1958-03-14"}},
        {"the date of birth is 3/14/1958", {"1958-03-14"}},
        {"She was born on March 14, 1958 in Fresno.", {"1958-03-14"}},
        {"He was born 7-2-1971.", {"1971-07-02"}},
        {"D.O.B. 3/14/58", {"1958-03-14"}},
        {"(DOB-03/14/1958)", {"1958-03-14"}},
        {"Birth date: 11/30/1966", {"1966-11-30"}},
        {"The application gives the date of birth as April 3, 1959.", {"1959-04-03"}},
        {"DOB 03/14/1958; the records repeat: born on March 14, 1958.", {"1958-03-14"}},
        {"DOB: 03/14/1958. Elsewhere: date of birth 3/14/1959.", {"1958-03-14", "1959-03-14"}},
        {"The date of birth was not provided. DOI: 4/1/12.", {}},
        {"He was born in Mexico and moved in 1990.", {}},
        {"a newborn 3/14/2013 visit; the DOBS 3/14/2013", {}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            std::vector<std::string> found;
            for (const auto& d : imr::find_birthdates(c.text)) found.push_back(d.iso());
            CHECK(found == c.dates);
        }
    }
}

TEST_CASE("age from birthdates") {
    struct Case {
        const char* name;
        const char* text;
        std::optional<imr::Date> on;
        int age;  // 0: none
        bool conflicting;
    };
    const imr::Date dec2013{2013, 12, 17};
    const Case cases[] = {
        {"after the birthday in the decision year", "DOB: 03/14/1958", dec2013, 55, false},
        {"the day before the birthday", "DOB: 03/14/1958", imr::Date{2014, 3, 13}, 55, false},
        {"on the birthday", "DOB: 03/14/1958", imr::Date{2014, 3, 14}, 56, false},
        {"before the birthday in the decision year", "date of birth 3/14/1958", imr::Date{2013, 2, 1}, 54, false},
        {"born on, in words", "born on December 30, 1980", dec2013, 32, false},
        {"February 29 before March", "DOB: 2/29/1960", imr::Date{2013, 2, 28}, 52, false},
        {"February 29 on March 1", "DOB: 2/29/1960", imr::Date{2013, 3, 1}, 53, false},
        {"the same birthdate twice", "DOB 03/14/1958 ... born on March 14, 1958", dec2013, 55, false},
        {"birthdates that disagree", "DOB: 03/14/1958 ... date of birth 3/14/1959", dec2013, 0, true},
        {"disagreeing without a date to count to", "DOB: 03/14/1958 ... DOB: 04/14/1958", std::nullopt, 0, true},
        {"no date to count to", "DOB: 03/14/1958", std::nullopt, 0, false},
        {"no birthdate", "The worker is a represented employee.", dec2013, 0, false},
        {"too young to be a worker", "DOB: 03/14/2005", dec2013, 0, false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto born = imr::age_from_birthdates(c.text, c.on);
            CHECK(born.age.value_or(0) == c.age);
            CHECK(born.conflicting == c.conflicting);
        }
    }
}
