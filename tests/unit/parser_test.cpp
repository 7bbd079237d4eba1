// Unit tests of the parser's own assembly of facts: the age from birthdates, counted to the
// decision date (else the date of injury), and the flag for birthdates that disagree.
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

const imr::Parser& parser() {
    static const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    static const imr::Parser p(lexicon);
    return p;
}

// An invented letter of the common layout around a case summary and optional header dates.
std::string letter(const std::string& decision_date, const std::string& summary) {
    std::string text = "Case Number: CM14-0000001\nDate of Injury: 06/13/2011\n";
    if (!decision_date.empty()) text += "Decision Date: " + decision_date + "\n";
    text += "CLINICAL CASE SUMMARY\n" + summary +
            "\nIMR ISSUES, DECISIONS AND RATIONALES\nSoma 350mg: Upheld\n"
            "Claims Administrator guideline: Decision based on MTUS.\n"
            "Decision rationale: Not for long-term use.\n";
    return text;
}

}  // namespace

TEST_CASE("parser: the age from birthdates") {
    struct Case {
        const char* name;
        std::string decision_date;  // "" when the letter prints none
        std::string summary;
        int age;  // 0: none
        std::vector<std::string> flags;
    };
    const Case cases[] = {
        {"counted to the decision date, after the birthday", "12/09/2013",
         "The injured worker is a female clerk (DOB: 08/22/1961) who fell at work.", 52, {}},
        {"counted to the decision date, before the birthday", "08/01/2013",
         "The injured worker is a female clerk (DOB: 08/22/1961) who fell at work.", 51, {}},
        {"counted to the date of injury without a decision date", "",
         "The injured worker is a female clerk, date of birth 8/22/1961, who fell at work.", 49, {}},
        {"a stated age wins over a birthdate", "12/09/2013",
         "The injured worker is a 50 year old female clerk (DOB: 08/22/1961) who fell at work.", 50, {}},
        {"birthdates that disagree", "12/09/2013",
         "The injured worker is a female clerk (DOB: 08/22/1961) who fell at work. The application gives the "
         "date of birth as August 22, 1962.",
         0, {"age-conflicting-birthdates"}},
        {"the same birthdate twice", "12/09/2013",
         "The injured worker is a female clerk (DOB: 08/22/1961), born on August 22, 1961.", 52, {}},
        {"neither age nor birthdate", "12/09/2013", "The applicant is a represented employee who fell at work.", 0,
         {}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            imr::Letter l = parser().parse(letter(c.decision_date, c.summary), "test.txt");
            CHECK(l.age.value_or(0) == c.age);
            CHECK(l.flags == c.flags);
        }
    }
}
