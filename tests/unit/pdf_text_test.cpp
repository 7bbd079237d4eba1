// Unit tests of PDF input: text extraction with poppler-cpp and letters parsed from PDFs built here.
#include "lexicon.h"
#include "parser.h"
#include "pdf_text.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

// A minimal, valid PDF: one Helvetica text line per entry, 14 points apart, one page per vector.
std::string make_pdf(const std::vector<std::vector<std::string>>& pages, const std::string& trailer_extra = "",
                     const std::string& extra_object = "") {
    std::vector<std::string> objects;
    objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
    std::string kids;
    for (std::size_t p = 0; p < pages.size(); ++p) kids += std::to_string(4 + 2 * p) + " 0 R ";
    objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>");
    objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    for (std::size_t p = 0; p < pages.size(); ++p) {
        std::string content = "BT /F1 10 Tf 14 TL 50 760 Td\n";
        for (const auto& line : pages[p]) {
            std::string escaped;
            for (char c : line) {
                if (c == '(' || c == ')' || c == '\\') escaped += '\\';
                escaped += c;
            }
            content += "(" + escaped + ") Tj T*\n";
        }
        content += "ET";
        objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                          ">> /Contents " + std::to_string(5 + 2 * p) + " 0 R >>");
        objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
    }
    if (!extra_object.empty()) objects.push_back(extra_object);
    std::string pdf = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    for (std::size_t n = 0; n < objects.size(); ++n) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(n + 1) + " 0 obj\n" + objects[n] + "\nendobj\n";
    }
    std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        std::string number = std::to_string(offset);
        pdf += std::string(10 - number.size(), '0') + number + " 00000 n \n";
    }
    pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R" + trailer_extra + " >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return pdf;
}

const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return lex;
}

}  // namespace

TEST_CASE("is_pdf") {
    CHECK(imr::is_pdf("%PDF-1.4\n..."));
    CHECK(imr::is_pdf("\r\n%PDF-1.7"));
    CHECK_FALSE(imr::is_pdf("HOW THE IMR FINAL DETERMINATION WAS MADE"));
    CHECK_FALSE(imr::is_pdf(""));
}

TEST_CASE("pdf_to_text reads the pages in order") {
    std::string text = imr::pdf_to_text(make_pdf({{"First line", "Second (line)"}, {"Page two"}}));
    auto first = text.find("First line");
    auto second = text.find("Second (line)");
    auto third = text.find("Page two");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    REQUIRE(third != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
}

TEST_CASE("PDFs that cannot be read are rejected") {
    const imr::Parser parser(lexicon());
    struct Case {
        const char* name;
        std::string bytes;
        const char* reason;
    };
    const Case cases[] = {
        {"no objects", "%PDF-1.4\n% nothing here\n%%EOF\n", "not a readable PDF"},
        {"truncated", make_pdf({{"HOW THE IMR FINAL DETERMINATION WAS MADE"}}).substr(0, 9), "not a readable PDF"},
        {"pages without text", make_pdf({{}}), "PDF has no text layer"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK_THROWS_WITH_AS(parser.parse(c.bytes, "letter.pdf"), c.reason, imr::RejectedLetter); }
    }
}

TEST_CASE("a letter in a PDF is parsed like its text") {
    const std::string pdf = make_pdf({
        {"Case Number: CM19-0012345", "Date of Injury: 03/02/2017", "Decision Date: 06/20/2019",
         "HOW THE IMR FINAL DETERMINATION WAS MADE",
         "The expert reviewer is Board Certified in Orthopedic Surgery and is licensed to practice in",
         "California.", "CLINICAL CASE SUMMARY", "The injured worker is a 44-year-old male with chronic low back",
         "pain after a fall at work.", "IMR ISSUES, DECISIONS AND RATIONALES", "Norco 10/325mg #60: Upheld",
         "Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines.",
         "MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 80.",
         "Decision rationale: No functional improvement is documented with the current opioid"},
        {"CM19-0012345", "Page 2 of 2", "regimen. The request is not medically necessary."},
    });
    const imr::Parser parser(lexicon());
    imr::Letter letter = parser.parse(pdf, "letter.pdf");
    CHECK(letter.encoding == "UTF-8");
    CHECK(letter.layout == imr::Layout::Standard);
    CHECK(letter.case_number == "CM19-0012345");
    REQUIRE(letter.injury_date.has_value());
    CHECK(letter.injury_date->iso() == "2017-03-02");
    REQUIRE(letter.decision_date.has_value());
    CHECK(letter.decision_date->iso() == "2019-06-20");
    CHECK(letter.age == 44);
    CHECK(letter.sex == "male");
    CHECK(letter.specialties == std::vector<std::string>{"Orthopedic Surgery"});
    CHECK(letter.states == std::vector<std::string>{"California"});
    REQUIRE(letter.determinations.size() == 1);
    const auto& d = letter.determinations[0];
    CHECK(d.item == "Norco 10/325mg #60");
    CHECK(d.outcome == imr::Outcome::Upheld);
    REQUIRE(d.drug.has_value());
    CHECK(d.drug->generic == "hydrocodone/acetaminophen");
    CHECK(d.rationale ==
          "No functional improvement is documented with the current opioid regimen. The request is not medically "
          "necessary.");
    CHECK(letter.text.find("Page 2 of 2") == std::string::npos);
}

// Issue 19, item 1: a PDF whose user password is not empty. poppler-cpp's unlock() returns true
// when the document is still locked; the inverted check read its pages and crashed the indexer.
TEST_CASE("a password-protected PDF is rejected, not read") {
    // Standard security handler, RC4 40-bit; the /U entry matches no password, so the empty one fails.
    const std::string u(64, 'A'), o(64, 'B');
    const std::string encrypt = "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + o + "> /U <" + u + "> >>";
    const std::string pdf = make_pdf({{"HOW THE IMR FINAL DETERMINATION WAS MADE"}},
                                     " /Encrypt 6 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> "
                                     "<0123456789ABCDEF0123456789ABCDEF>]",
                                     encrypt);
    CHECK_THROWS_WITH_AS(imr::pdf_to_text(pdf), "PDF is password-protected", imr::RejectedLetter);
    const imr::Parser parser(lexicon());
    CHECK_THROWS_WITH_AS(parser.parse(pdf, "locked.pdf"), "PDF is password-protected", imr::RejectedLetter);
}
