// Unit tests of section splitting: names, printed headings, bodies and their offsets in the text.
#include "layout.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

struct Expected {
    std::string name;
    std::string heading;
    std::string text;
};

void check_sections(const std::string& text, const std::vector<Expected>& expected) {
    auto scan = imr::scan_layout(text);
    REQUIRE(scan.sections.size() == expected.size());
    for (std::size_t n = 0; n < expected.size(); ++n) {
        const auto& s = scan.sections[n];
        CAPTURE(n);
        CHECK(s.name == expected[n].name);
        CHECK(s.heading == expected[n].heading);
        CHECK(s.text == expected[n].text);
        CHECK(text.substr(s.offset, s.text.size()) == s.text);
    }
}

}  // namespace

TEST_CASE("scan_layout cuts sections") {
    SUBCASE("standard letter with a header") {
        check_sections(
            "Case Number: CM15-0198233\nDate of Injury: 04/28/2011\nHOW THE IMR FINAL DETERMINATION WAS MADE\n"
            "MAXIMUS Federal Services sent the file.\nState(s) of Licensure: California\nCLINICAL CASE SUMMARY\n"
            "A 53 year old female.\nIMR ISSUES, DECISIONS AND RATIONALES\nSoma 350mg: Upheld\nDecision rationale: No.",
            {{"header", "", "Case Number: CM15-0198233\nDate of Injury: 04/28/2011"},
             {"reviewer", "HOW THE IMR FINAL DETERMINATION WAS MADE",
              "MAXIMUS Federal Services sent the file.\nState(s) of Licensure: California"},
             {"summary", "CLINICAL CASE SUMMARY", "A 53 year old female."},
             {"decisions", "IMR ISSUES, DECISIONS AND RATIONALES", "Soma 350mg: Upheld\nDecision rationale: No."}});
    }
    SUBCASE("2013 letter: documents and decisions") {
        check_sections(
            "MAXIMUS FEDERAL SERVICES, INC.\nIMR Case Number: CM13-0001234\nDOCUMENTS REVIEWED\nApplication.\n"
            "CLINICAL CASE SUMMARY\nSummary.\nIMR DECISION(S) AND RATIONALE(S)\n1. Omeprazole 20mg #60 is "
            "medically necessary and appropriate.",
            {{"header", "", "MAXIMUS FEDERAL SERVICES, INC.\nIMR Case Number: CM13-0001234"},
             {"documents", "DOCUMENTS REVIEWED", "Application."},
             {"summary", "CLINICAL CASE SUMMARY", "Summary."},
             {"decisions", "IMR DECISION(S) AND RATIONALE(S)",
              "1. Omeprazole 20mg #60 is medically necessary and appropriate."}});
    }
    SUBCASE("title-case headings with the body on the same line") {
        check_sections(
            "Case Summary: The patient is a 40 year old male.\nMedical Qualifications of the Expert Reviewer: "
            "Board Certified in Orthopedic Surgery.",
            {{"summary", "Case Summary:", "The patient is a 40 year old male."},
             {"reviewer", "Medical Qualifications of the Expert Reviewer:", "Board Certified in Orthopedic Surgery."}});
    }
    SUBCASE("professional review, a heading wrapped over two paragraphs") {
        check_sections(
            "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. MRI of the lumbar spine\nDOCUMENTS REVIEWED FOR "
            "DETERMINATION:\nRecords.\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND\n"
            "WHY:\nMRI of the lumbar spine: Decision based on ACOEM.\nRATIONALE FOR WHY THE REQUESTED "
            "TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\nMRI of the lumbar spine: Upheld\nMEDICAL REVIEWER "
            "QUALIFICATIONS:\nBoard Certified in Neurology.",
            {{"header", "", "MEDICAL PROFESSIONAL REVIEW"},
             {"header", "ISSUE AT DISPUTE:", "1. MRI of the lumbar spine"},
             {"documents", "DOCUMENTS REVIEWED FOR DETERMINATION:", "Records."},
             {"guidelines", "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:",
              "MRI of the lumbar spine: Decision based on ACOEM."},
             {"decisions", "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:",
              "MRI of the lumbar spine: Upheld"},
             {"reviewer", "MEDICAL REVIEWER QUALIFICATIONS:", "Board Certified in Neurology."}});
    }
    SUBCASE("no header section when the letter starts with a heading") {
        auto scan = imr::scan_layout("HOW THE IMR FINAL DETERMINATION WAS MADE\nText.\nCLINICAL CASE SUMMARY\nMore.");
        REQUIRE(scan.sections.size() == 2);
        CHECK(scan.sections[0].name == "reviewer");
        CHECK(imr::find_section(scan.sections, "summary")->text == "More.");
        CHECK(imr::find_section(scan.sections, "decisions") == nullptr);
    }
}
