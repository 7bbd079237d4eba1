// Unit tests of the reviewer's credentials: the two labelled lines, the prose forms, the boilerplate.
#include "lexicon.h"
#include "reviewer.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return lex;
}

}  // namespace

TEST_CASE("find_reviewer") {
    struct Case {
        const char* name;
        const char* text;
        std::vector<std::string> specialties;
        std::vector<std::string> states;
    };
    const Case cases[] = {
        {"two labelled lines",
         "The Expert Reviewer has the following credentials:\nState(s) of Licensure: Texas, California\n"
         "Certification(s)/Specialty: Family Practice",
         {"Family Practice"}, {"Texas", "California"}},
        {"labelled lines run together on one line",
         "State(s) of Licensure: Texas, New York, California Certification(s)/Specialty: Preventive Medicine, "
         "Occupational Medicine",
         {"Preventive Medicine", "Occupational Medicine"}, {"Texas", "New York", "California"}},
        {"a labelled list is read entry by entry", "Certification(s)/Specialty: Psychiatry, Neurology",
         {"Psychiatry", "Neurology"}, {}},
        {"a specialty variant", "Certification(s)/Specialty: Physical Medicine and Rehabilitation",
         {"Physical Medicine & Rehabilitation"}, {}},
        {"prose with a subspecialty and a glued word",
         "The expert reviewer is Board Certified in Anesthesiology, has a subspecialty in Pain Managementand is "
         "licensed to practice in California. He/she has been in active clinical practice for more than five years.",
         {"Anesthesiology", "Pain Management"}, {"California"}},
        {"prose licensed in two states",
         "The expert reviewer is Board Certified in Internal Medicine and is licensed to practice in California and "
         "Arizona.",
         {"Internal Medicine"}, {"California", "Arizona"}},
        {"2013 qualifications",
         "Medical Qualifications of the Expert Reviewer: The Physician Reviewer is Board Certified in Orthopedic "
         "Surgery and is licensed to practice in California.",
         {"Orthopedic Surgery"}, {"California"}},
        {"the boilerplate about similar specialties names none",
         "The expert reviewer was selected based on his/her clinical experience, education, background, and "
         "expertise in the same or similar specialties that evaluate and/or treat the medical condition.",
         {}, {}},
        {"state abbreviation in capitals", "State(s) of Licensure: CA, NV", {}, {"California", "Nevada"}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto found = imr::find_reviewer(c.text, lexicon());
            CHECK(found.specialties == c.specialties);
            CHECK(found.states == c.states);
        }
    }
}
