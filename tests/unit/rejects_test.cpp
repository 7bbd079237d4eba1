// Inputs that are not letters are rejected with their reason; damaged letters are kept and flagged.
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return lex;
}

// A pdftotext-like letter: every line ends in a space and is followed by an empty line.
std::string pdf_lines(std::initializer_list<const char*> lines) {
    std::string out;
    for (const char* line : lines) out += std::string(" ") + line + " \n\n";
    return out;
}

bool has_flag(const imr::Letter& letter, const std::string& flag) {
    return std::find(letter.flags.begin(), letter.flags.end(), flag) != letter.flags.end();
}

}  // namespace

TEST_CASE("every file in tests/fixtures/bad is rejected with its reason") {
    const std::map<std::string, std::string> reasons = {
        {"empty.txt", "empty file"},
        {"whitespace.txt", "only whitespace"},
        {"recipe.txt", "no IMR section headings found"},
        {"junk.bin.txt", "cannot decode as UTF-8 or Windows-1252 (byte 0x81 at offset 0)"},
        {"fake.pdf", "not a readable PDF"},
    };
    const auto bad = imr::test::source_dir() / "tests" / "fixtures" / "bad";
    REQUIRE(std::filesystem::is_directory(bad));
    const imr::Parser parser(lexicon());
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(bad)) {
        const std::string name = entry.path().filename().string();
        ++files;
        SUBCASE(name.c_str()) {
            auto reason = reasons.find(name);
            INFO("no expected reason is listed for tests/fixtures/bad/" << name);
            REQUIRE(reason != reasons.end());
            CHECK_THROWS_WITH_AS(parser.parse_file(entry.path()), reason->second.c_str(), imr::RejectedLetter);
        }
    }
    CHECK(files == reasons.size());
}

TEST_CASE("inputs that are not letters are rejected") {
    struct Case {
        const char* name;
        std::string bytes;
        const char* reason;
    };
    const Case cases[] = {
        {"empty", "", "empty file"},
        {"spaces and line ends", " \r\n\t\n  ", "only whitespace"},
        {"a byte order mark alone", "\xEF\xBB\xBF  \n", "only whitespace"},
        {"NUL bytes", std::string("HOW THE IMR\0\0\0", 14), "binary data, not text"},
        {"control characters", std::string(50, '\x01') + "CLINICAL CASE SUMMARY", "binary data, not text"},
        {"undefined Windows-1252 byte", "CLINICAL CASE SUMMARY \x8D", "cannot decode as UTF-8 or Windows-1252 (byte 0x8D at offset 22)"},
        {"prose without headings", "Dear Sir, the clinical case summary is enclosed.", "no IMR section headings found"},
        {"a broken PDF", "%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n%%EOF", "not a readable PDF"},
    };
    const imr::Parser parser(lexicon());
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK_THROWS_WITH_AS(parser.parse(c.bytes, "input.txt"), c.reason, imr::RejectedLetter); }
    }
}

TEST_CASE("a letter whose outcome cannot be read is kept and flagged") {
    const std::string bytes = pdf_lines({
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "",
        "State(s) of Licensure: California",
        "Certification(s)/Specialty: Internal Medicine",
        "",
        "CLINICAL CASE SUMMARY",
        "This is a 50 year old male with an industrial injury dated May 1, 2012.",
        "",
        "IMR ISSUES, DECISIONS AND RATIONALES",
        "The Final Determination was based on decisions for the disputed items/services set forth below:",
        "",
        "Soma 350mg #60:  Upheld",
        "",
        "Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines.",
        "",
        "MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol Page(s): 29.",
        "",
        "Decision rationale: Carisoprodol is not recommended. The request is not medically necessary.",
        "",
        "Norco 10/325mg #90:  [illegible]",
        "",
        "Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines.",
        "",
        "MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 80.",
        "",
        "Decision rationale: The rationale of this item was lost when the letter was scanned.",
    });
    const imr::Parser parser(lexicon());
    imr::Letter letter = parser.parse(bytes, "unreadable.txt");
    REQUIRE(letter.determinations.size() == 2);
    CHECK(letter.determinations[0].item == "Soma 350mg #60");
    CHECK(letter.determinations[0].outcome == imr::Outcome::Upheld);
    CHECK(letter.determinations[1].item == "Norco 10/325mg #90");
    CHECK(letter.determinations[1].outcome == imr::Outcome::Unknown);
    CHECK(letter.determinations[1].unknown_reason == "outcome \"[illegible]\" is neither Upheld nor Overturned");
    REQUIRE(letter.determinations[1].drug.has_value());
    CHECK(letter.determinations[1].drug->generic == "hydrocodone/acetaminophen");
    CHECK(letter.determinations[1].rationale ==
          "The rationale of this item was lost when the letter was scanned.");
    CHECK(letter.flags == std::vector<std::string>{"outcome-unreadable"});
    CHECK(letter.text.find("Norco 10/325mg #90: [illegible]") != std::string::npos);
}

TEST_CASE("a letter without any determination is kept and flagged") {
    const std::string bytes = pdf_lines({
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "The expert reviewer is Board Certified in Neurology and is licensed to practice in California.",
        "",
        "CLINICAL CASE SUMMARY",
        "This is a 50 year old male with an industrial injury dated May 1, 2012.",
        "",
        "IMR ISSUES, DECISIONS AND RATIONALES",
        "The pages with the decisions are missing from this copy.",
    });
    const imr::Parser parser(lexicon());
    imr::Letter letter = parser.parse(bytes, "nodecisions.txt");
    CHECK(letter.determinations.empty());
    CHECK(has_flag(letter, "no-determinations"));
    CHECK(letter.specialties == std::vector<std::string>{"Neurology"});
    CHECK(letter.age == 50);
}

TEST_CASE("treatments listed in the header survive a missing decisions section") {
    const std::string bytes = pdf_lines({
        "Case Number: CM15-0001234",
        "Treatment(s) in Dispute Listed on IMR Application:",
        "Soma 350mg #60; MRI of the lumbar spine",
        "",
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "The expert reviewer is Board Certified in Neurology and is licensed to practice in California.",
        "",
        "CLINICAL CASE SUMMARY",
        "This is a 50 year old male with an industrial injury dated May 1, 2012.",
    });
    const imr::Parser parser(lexicon());
    imr::Letter letter = parser.parse(bytes, "header-only.txt");
    REQUIRE(letter.determinations.size() == 2);
    CHECK(letter.determinations[0].item == "Soma 350mg #60");
    CHECK(letter.determinations[0].outcome == imr::Outcome::Unknown);
    CHECK(letter.determinations[0].unknown_reason == "no decision for the item was found in the letter");
    CHECK(letter.determinations[1].item == "MRI of the lumbar spine");
    CHECK(letter.determinations[1].category == "diagnostic imaging");
    CHECK(letter.flags == std::vector<std::string>{"outcome-unreadable"});
}
