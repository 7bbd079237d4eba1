// Every fact of the five real letters in ../shared/seeds is extracted right (skipped without ../shared).
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace {

struct ExpectedDetermination {
    std::string item;
    imr::Outcome outcome;
    std::string generic;  // "" when no drug
    std::string brand;
    std::string drug_class;
    std::string category;
    std::vector<imr::Citation> citations;
    std::string rationale_start;
    std::string rationale_end;
};

struct ExpectedLetter {
    std::string file;
    std::string injury_date;
    std::string ur_denial_date;  // "" when none
    std::optional<int> age;
    std::string sex;
    std::vector<std::string> specialties;
    std::vector<std::string> states;
    std::vector<ExpectedDetermination> determinations;
};

std::string iso(const std::optional<imr::Date>& d) { return d ? d->iso() : ""; }

const std::vector<ExpectedLetter>& seeds() {
    using imr::Outcome;
    static const std::vector<ExpectedLetter> all = {
        {"000_afeec4888b45daf6.txt", "2011-04-28", "2014-12-22", 53, "female", {"Family Practice"},
         {"Texas", "California"},
         {{"Soma 350 MG Qty 15", Outcome::Overturned, "carisoprodol", "Soma", "muscle relaxant", "medication",
           {{"MTUS", "Carisoprodol (Soma)", "29"}, {"MTUS", "Muscle relaxants (for pain)", "64"}},
           "Request: Soma 350 MG Qty 15 According to California MTUS, Chronic pain medical treatment guidelines",
           "use. The request for Soma 350 MG Qty 15 is medically appropriate and necessary in this patient."}}},
        {"001_5d13431d9de449fa.txt", "2000-12-27", "", 49, "male", {"Anesthesiology", "Pain Management"},
         {"California"},
         {{"Carisoprodol 250mg #60", Outcome::Upheld, "carisoprodol", "", "muscle relaxant", "medication",
           {{"MTUS", "Muscle relaxants (for pain)", "63-64"},
            {"ODG", "Muscle relaxants (for pain)", ""},
            {"CCR", "Title 8, California Code of Regulations, section 9792.20", ""}},
           "MTUS Chronic Pain Medical Treatment Guidelines identifies documentation of acute exacerbation",
           "review of the evidence, the request for Carisoprodol 250mg #60 is not medically necessary."}}},
        {"002_c806fd4fa521ae50.txt", "2003-11-17", "", 60, "male", {"Physical Medicine & Rehabilitation"},
         {"California"},
         {{"Xanax 1mg", Outcome::Upheld, "alprazolam", "Xanax", "benzodiazepine", "medication",
           {{"MTUS", "Benzodiazepines", "24"}},
           "This patient presents with chronic low back and neck pain. The Request for Authorization is not",
           "continuation of its use cannot be recommended. The requested Xanax is not medically necessary."},
          {"Soma 350mg", Outcome::Upheld, "carisoprodol", "Soma", "muscle relaxant", "medication",
           {{"MTUS", "Carisoprodol (Soma)", "29"}, {"MTUS", "Muscle relaxants (for pain)", "63-66"}},
           "This patient presents with chronic low back and neck pain. The Request for Authorization is not",
           "exceeding MTUS recommendations. The requested Soma is not medically necessary."}}},
        {"003_f4bad4b0b5901549.txt", "2014-06-24", "2015-07-28", std::nullopt, "",
         {"Preventive Medicine", "Occupational Medicine"}, {"Texas", "New York", "California"},
         {{"Soma 350 MG #30 with No Refill", Outcome::Upheld, "carisoprodol", "Soma", "muscle relaxant", "medication",
           {{"MTUS", "Carisoprodol (Soma)", "29, 65"}},
           "No, the request for Soma (carisoprodol) was not medically necessary, medically appropriate, or",
           "MTUS Chronic Pain Medical Treatment Guidelines. Therefore, the request is not medically necessary."},
          {"Percocet 10 MG #60 with No Refill", Outcome::Upheld, "oxycodone/acetaminophen", "Percocet", "opioid",
           "medication", {{"MTUS", "Opioids, criteria for use", "80"}},
           "Similarly, the request for Percocet, a short-acting opioid, was likewise not medically necessary,",
           "note dated August 18, 2015. Therefore, the request is not medically necessary."}}},
        {"004_e9fc5f5682ac838f.txt", "2012-12-14", "", 35, "female", {"Anesthesiology", "Pain Management"},
         {"California"},
         {{"Soma 350 mg #60", Outcome::Upheld, "carisoprodol", "Soma", "muscle relaxant", "medication",
           {{"MTUS", "Muscle relaxants (for pain)", "63-64"},
            {"MTUS", "Definitions", "1"},
            {"ODG", "Muscle relaxants (for pain)", ""}},
           "MTUS Chronic Pain Medical Treatment Guidelines identifies criteria necessary to support the",
           "review of the evidence, the request for Soma 350 mg #60 is not medically necessary."},
          {"Norco 10/325mg #60", Outcome::Upheld, "hydrocodone/acetaminophen", "Norco", "opioid", "medication",
           {{"MTUS", "Opioids, criteria for use", "74-80"}, {"MTUS", "Definitions", "1"}},
           "MTUS Chronic Pain Medical Treatment Guidelines list criteria necessary to support the medical",
           "review of the evidence, the request for Norco 10/325 #60 is not medically necessary."}}},
    };
    return all;
}

}  // namespace

TEST_CASE("every fact of the five seed letters") {
    if (!imr::test::have_shared()) {
        MESSAGE("../shared/seeds is missing; skipping");
        return;
    }
    const auto lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Parser parser(lexicon);
    for (const auto& seed : seeds()) {
        SUBCASE(seed.file.c_str()) {
            imr::Letter letter = parser.parse_file(imr::test::shared_dir() / "seeds" / seed.file);
            CHECK(letter.layout == imr::Layout::Standard);
            CHECK(letter.encoding == "UTF-8");
            CHECK(letter.case_number == "");
            CHECK(iso(letter.injury_date) == seed.injury_date);
            CHECK(iso(letter.ur_denial_date) == seed.ur_denial_date);
            CHECK(iso(letter.assigned_date) == "");
            CHECK(iso(letter.decision_date) == "");
            CHECK(letter.age == seed.age);
            CHECK(letter.sex == seed.sex);
            CHECK(letter.specialties == seed.specialties);
            CHECK(letter.states == seed.states);
            CHECK(letter.flags.empty());

            std::vector<std::string> section_names;
            for (const auto& s : letter.sections) {
                section_names.push_back(s.name);
                CHECK(letter.text.compare(s.offset, s.text.size(), s.text) == 0);
            }
            CHECK(section_names == std::vector<std::string>{"reviewer", "summary", "decisions"});

            REQUIRE(letter.determinations.size() == seed.determinations.size());
            for (std::size_t n = 0; n < seed.determinations.size(); ++n) {
                const auto& expected = seed.determinations[n];
                const auto& d = letter.determinations[n];
                CAPTURE(expected.item);
                CHECK(d.item == expected.item);
                CHECK(d.outcome == expected.outcome);
                CHECK(d.unknown_reason == "");
                CHECK((d.drug ? d.drug->generic : "") == expected.generic);
                CHECK((d.drug ? d.drug->brand : "") == expected.brand);
                CHECK((d.drug ? d.drug->drug_class : "") == expected.drug_class);
                CHECK(d.category == expected.category);
                REQUIRE(d.citations.size() == expected.citations.size());
                for (std::size_t c = 0; c < expected.citations.size(); ++c) {
                    CHECK(d.citations[c].source == expected.citations[c].source);
                    CHECK(d.citations[c].topic == expected.citations[c].topic);
                    CHECK(d.citations[c].pages == expected.citations[c].pages);
                }
                CHECK(d.rationale.starts_with(expected.rationale_start));
                CHECK(d.rationale.ends_with(expected.rationale_end));
                CHECK(letter.text.compare(d.rationale_offset, d.rationale.size(), d.rationale) == 0);
                CHECK(d.guidelines.starts_with("Claims Administrator guideline: Decision based on MTUS"));
            }
        }
    }
}

TEST_CASE("the seeds' page furniture and glued words are cleaned in the indexed text") {
    if (!imr::test::have_shared()) {
        MESSAGE("../shared/seeds is missing; skipping");
        return;
    }
    const auto lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Parser parser(lexicon);
    struct Case {
        const char* file;
        const char* present;
        const char* absent;
    };
    const Case cases[] = {
        {"000_afeec4888b45daf6.txt", "for this injury. The treating physician", "injury.The"},
        {"000_afeec4888b45daf6.txt", "medication-induced gastritis", "medication- induced"},
        {"000_afeec4888b45daf6.txt", "Carisoprodol (Soma), page 29 Muscle relaxants", "29Muscle"},
        {"001_5d13431d9de449fa.txt", "Decision based on Non-MTUS Citation Official Disability", "Non- MTUS"},
        {"001_5d13431d9de449fa.txt", "has a subspecialty in Pain Managementand is", "\n\n"},
        {"003_f4bad4b0b5901549.txt", "industrial injury of June 24, 2014. In a Utilization Review", "2014.In"},
        {"003_f4bad4b0b5901549.txt", "The applicant is a represented employee who has filed a claim for chronic", "  "},
        {"004_e9fc5f5682ac838f.txt", "Decision based on Non-MTUS Citation Official", " \n"},
    };
    for (const auto& c : cases) {
        std::string name = std::string(c.file) + ": " + c.present;
        SUBCASE(name.c_str()) {
            imr::Letter letter = parser.parse_file(imr::test::shared_dir() / "seeds" / c.file);
            CHECK(letter.text.find(c.present) != std::string::npos);
            CHECK(letter.text.find(c.absent) == std::string::npos);
        }
    }
}
