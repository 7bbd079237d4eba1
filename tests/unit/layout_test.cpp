// Unit tests of layout detection: which of the three published layouts a cleaned letter has.
#include "layout.h"
#include "parser.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("scan_layout detects the layout") {
    struct Case {
        const char* name;
        std::string text;
        imr::Layout layout;
    };
    const Case cases[] = {
        {"standard without header",
         "HOW THE IMR FINAL DETERMINATION WAS MADE\nThe expert reviewer...\nCLINICAL CASE SUMMARY\nA 53 year old "
         "female.\nIMR ISSUES, DECISIONS AND RATIONALES\nSoma 350mg: Upheld",
         imr::Layout::Standard},
        {"standard with header",
         "Case Number: CM15-0198233\nDate Assigned: 10/13/2015\nHOW THE IMR FINAL DETERMINATION WAS MADE\nx\n"
         "IMR ISSUES, DECISIONS AND RATIONALES\nSoma 350mg: Upheld",
         imr::Layout::Standard},
        {"2013 with title and decisions heading",
         "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nIMR Case Number: CM13-0001234\nDOCUMENTS "
         "REVIEWED\nRecords.\nIMR DECISION(S) AND RATIONALE(S)\n1. Omeprazole 20mg #60 is medically necessary and "
         "appropriate.",
         imr::Layout::Maximus2013},
        {"2013 notice with title-case headings",
         "Notice of Independent Medical Review Determination\nCase Summary: The patient is a 40 year old male.\n"
         "Medical Qualifications of the Expert Reviewer: Board Certified in Orthopedic Surgery.",
         imr::Layout::Maximus2013},
        {"professional review",
         "MEDICAL PROFESSIONAL REVIEW\nCase Number: CM17-0414003\nISSUE AT DISPUTE:\n1. Ambien 10mg #120\n"
         "CASE SUMMARY:\nSummary.\nRATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY "
         "NECESSARY:\nAmbien 10mg #120: Upheld",
         imr::Layout::ProfessionalReview},
        {"professional review without its title, heading wrapped",
         "ISSUE AT DISPUTE:\n1. MRI\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND\n"
         "WHY:\nMRI: Decision based on ACOEM.",
         imr::Layout::ProfessionalReview},
        {"lower-case, oddly spaced headings",
         "how the imr final  determination was made\nx\nimr issues,decisions and rationales\nSoma: Upheld",
         imr::Layout::Standard},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::scan_layout(c.text).layout == c.layout); }
    }
}

TEST_CASE("scan_layout rejects text without IMR section headings") {
    struct Case {
        const char* name;
        std::string text;
    };
    const Case cases[] = {
        {"a recipe", "Banana bread\nIngredients: 3 bananas, flour, sugar.\nMethod: Mash the bananas. Bake."},
        {"a title alone", "MAXIMUS FEDERAL SERVICES, INC.\nWe write to inform you."},
        {"a heading inside a sentence", "The clinical case summary was not provided."},
        {"a heading in lower case that runs on", "Case summary of the visit follows here in prose."},
        {"a heading glued to a word", "CASE SUMMARYREPORTS\nmore"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK_THROWS_WITH_AS(imr::scan_layout(c.text), "no IMR section headings found", imr::RejectedLetter);
        }
    }
}
