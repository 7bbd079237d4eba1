// CSV records of hits (CLI and HTTP export): quoting, lists, missing values and the spreadsheet-formula guard.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "csv_export.h"
#include "schema.h"

TEST_CASE("CSV rows") {
    imr::Hit full;
    full.id = "00000000000000ab/1";
    full.letter_id = "00000000000000ab";
    full.file = "data/samples/letter, one.txt";
    full.fields = {{"case_number", "CM15-0198233"},
                   {"item", "Soma 350 MG \"brand\" Qty 15"},
                   {"decision", "Upheld"},
                   {"drug", "carisoprodol"},
                   {"drug_class", "muscle relaxant"},
                   {"category", "medication"},
                   {"guidelines", {"MTUS: Carisoprodol (Soma)", "ODG: Pain"}},
                   {"specialties", {"Pain Management"}},
                   {"states", {"California", "Texas"}},
                   {"age", 53},
                   {"sex", "female"},
                   {"injury_date", "2011-04-28"},
                   {"ur_denial_date", nullptr},
                   {"decision_date", "2015-11-02"}};
    full.score = 12.5;

    imr::Hit formula;
    formula.id = "1/0";
    formula.fields = {{"item", "=HYPERLINK(\"http://x\")"}, {"drug", "+1"}, {"case_number", "@sum"}, {"category", "-x"},
                      {"decision", "Unknown"}};
    formula.score = -0.25;  // a negative number is neutralised like a formula, as the command line does

    struct Row {
        const char* scenario;
        imr::Hit hit;
        std::string line;
    };
    const std::vector<Row> rows = {
        {"every column, with quoting of commas and quotes", full,
         "CM15-0198233,Upheld,\"Soma 350 MG \"\"brand\"\" Qty 15\",carisoprodol,muscle relaxant,medication,"
         "MTUS: Carisoprodol (Soma); ODG: Pain,Pain Management,California; Texas,53,female,2011-04-28,,2015-11-02,,,,,,,,"
         "00000000000000ab/1,00000000000000ab,\"data/samples/letter, one.txt\",12.5\r\n"},
        {"formula-looking cells are neutralised", formula,
         "'@sum,Unknown,\"'=HYPERLINK(\"\"http://x\"\")\",'+1,,'-x,,,,,,,,,,,,,,,,1/0,,,'-0.25\r\n"},
        {"a line break inside a value is quoted", [] {
             imr::Hit h;
             h.fields["item"] = "two\nlines";
             return h;
         }(),
         ",,\"two\nlines\",,,,,,,,,,,,,,,,,,,,,,0\r\n"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) { CHECK(imr::csv_hit_row(row.hit) == row.line); }
    }
    SUBCASE("the header names as many columns as a row has") {
        const auto header = imr::csv_hit_header();
        CHECK(header.starts_with("case_number,decision,item,drug,"));
        // Every hit column of the registry, in its CSV order, then the hit's identity.
        std::string expected;
        for (const auto* column : imr::schema::columns()) expected += std::string(column->data) + ",";
        CHECK(header == expected + "id,letter_id,file,score\r\n");
        const auto commas = [](const std::string& s) { return std::count(s.begin(), s.end(), ','); };
        CHECK(commas(header) == commas(imr::csv_hit_row(imr::Hit{})));
    }
}
