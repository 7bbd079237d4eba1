// Which item names the audit reports as cut or merged, and which items name a dose.
#include "audit.h"
#include "letter_audit.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("item_name_problem: cut and merged names, and whole ones") {
    struct Row {
        const char* item;
        const char* problem;  // "" when the name looks whole
    };
    const Row rows[] = {
        {"MRI of the right shoulder without contrast", ""},
        {"Soma 350 MG Qty 15", ""},
        {"Lidoderm patch, #1 box with 1 refill, DOS: 11/11/2016", ""},
        {"continuation for left hand therapy for 6 sessions", ""},  // a remaining portion, as printed
        {"with open carpal tunnel release", ""},
        {"one month supply of Trezix capsule", ""},
        {"the lumbar", "starts with \"the\""},
        {"for 3 weeks", "starts with \"for\""},
        {"and occupational therapy 7-10 days", "starts with \"and\""},
        {"extremities", "a lone lower-case word"},
        {"Acute inpatient rehabilitation physical therapy is", "ends with \"is\""},
        {"Physical therapy 2 times a week for", "ends with \"for\""},
        {"11/11/2016", "a bare date"},
        {"12", "a bare number"},
        {"original request, Chiropractic physiotherapy treatment 6 visits", "holds \"original request\""},
        {"The Final Determination was based on decisions for the disputed items/services set forth below: Norco",
         "holds \"set forth below\""},
        {"", "empty"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.item);
        CHECK(imr::item_name_problem(row.item) == row.problem);
    }
}

TEST_CASE("names_a_dose: a strength or amount, not any number") {
    for (const char* dosed : {"Norco 10/325mg #60", "Soma 350 MG Qty 15", "Lidocaine 5% patch", "Toradol 60 mg IM",
                              "Vitamin D 50000 IU", "Insulin 10 units", "Ketoprofen cream 120 gm"})
        CHECK_MESSAGE(imr::names_a_dose(dosed), dosed);
    for (const char* plain : {"Physical therapy 2x6 for the lumbar spine", "MRI of the L4-L5", "12 sessions of acupuncture",
                              "Follow-up visit in 4 weeks", "C5-6 fusion"})
        CHECK_MESSAGE(!imr::names_a_dose(plain), plain);
}
