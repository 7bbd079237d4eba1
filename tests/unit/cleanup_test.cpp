// Unit tests of the clean-up of extracted letter text: characters, lines, hyphens, furniture, glued words.
#include "cleanup.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("normalize_characters") {
    struct Case {
        const char* name;
        std::string input;
        std::string expected;
    };
    const Case cases[] = {
        {"CRLF to LF", "a\r\nb\r\n", "a\nb\n"},
        {"lone CR to LF", "a\rb", "a\nb"},
        {"NBSP to space", "Soma\xC2\xA0" "350", "Soma 350"},
        {"narrow no-break space", "10\xE2\x80\xAFmg", "10 mg"},
        {"curly double quotes", "\xE2\x80\x9CNot recommended.\xE2\x80\x9D", "\"Not recommended.\""},
        {"curly apostrophe", "applicant\xE2\x80\x99s", "applicant's"},
        {"trade mark after a number", "Soprodal 350\xE2\x84\xA2, Vanadom", "Soprodal 350, Vanadom"},
        {"trade mark between words keeps them apart", "Soma\xE2\x84\xA2tablets", "Soma tablets"},
        {"registered sign", "Lidoderm\xC2\xAE patch", "Lidoderm patch"},
        {"en dash to hyphen", "pages 63\xE2\x80\x93" "66", "pages 63-66"},
        {"non-breaking hyphen", "L4\xE2\x80\x91L5", "L4-L5"},
        {"ligature", "\xEF\xAC\x81ndings", "findings"},
        {"zero-width space dropped", "Nor\xE2\x80\x8B" "co", "Norco"},
        {"soft hyphen inside a line dropped", "medi\xC2\xAD" "cation", "medication"},
        {"soft hyphen at a line end becomes a hyphen", "medi\xC2\xAD\ncations", "medi-\ncations"},
        {"tab to space", "a\tb", "a b"},
        {"form feed dropped", "end of page\n\fnext page", "end of page\nnext page"},
        {"other text untouched", "caf\xC3\xA9 10/325mg #60", "caf\xC3\xA9 10/325mg #60"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::normalize_characters(c.input) == c.expected); }
    }
}

TEST_CASE("split_run_together") {
    struct Case {
        const char* input;
        const char* expected;
    };
    const Case cases[] = {
        {"this injury.The treating", "this injury. The treating"},
        {"June 24, 2014.In a Utilization", "June 24, 2014. In a Utilization"},
        {"Carisoprodol (Soma).The", "Carisoprodol (Soma). The"},
        {"page 29Muscle relaxants", "page 29 Muscle relaxants"},
        {"Soma 350 MG Qty 15According to", "Soma 350 MG Qty 15 According to"},
        {"Texas,California", "Texas, California"},
        {"section 9792.20 of", "section 9792.20 of"},
        {"the U.S. Army", "the U.S. Army"},
        {"the U.S.Army", "the U.S.Army"},
        {"e.g. Norco", "e.g. Norco"},
        {"Norco 10/325mg #60", "Norco 10/325mg #60"},
        {"Soma 350MG", "Soma 350MG"},
        {"Soma 350Mg", "Soma 350Mg"},
        {"version 2.0 notes", "version 2.0 notes"},
        {"L5-S1 and C5-6", "L5-S1 and C5-6"},
        {"MTUS,ACOEM", "MTUS,ACOEM"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(imr::split_run_together(c.input) == c.expected); }
    }
}

TEST_CASE("keeps_hyphen") {
    struct Case {
        const char* left;
        const char* right;
        const char* document;
        bool kept;
    };
    const Case cases[] = {
        {"medi", "cations", "", false},
        {"docu", "mentation", "", false},
        {"recom", "mended", "", false},
        {"medication", "induced", "", true},
        {"Non", "MTUS", "", true},
        {"L4", "L5", "", true},
        {"C5", "6", "", true},
        {"non", "steroidal", "", true},
        {"self", "directed", "", true},
        {"short", "term", "", true},
        {"work", "related", "", true},
        {"follow", "up", "", true},
        {"x", "rays", "", true},
        {"guide", "lines", "", false},
        {"opioid", "naive", "", false},
        {"opioid", "naive", "an opioid-naive patient", true},
        {"anti", "inflammatory", "", true},
        {"treat", "ment", "", false},
        {"well", "documented", "", true},
        {"present", "ed", "he presented with pain", false},
        {"over", "the", "", true},
    };
    for (const auto& c : cases) {
        std::string name = std::string(c.left) + "-" + c.right + (*c.document ? " (with evidence)" : "");
        SUBCASE(name.c_str()) { CHECK(imr::keeps_hyphen(c.left, c.right, c.document) == c.kept); }
    }
}

TEST_CASE("case_number_length_at") {
    CHECK(imr::case_number_length_at("CM15-0198233", 0) == 12);
    CHECK(imr::case_number_length_at("x CM13-0001234.", 2) == 12);
    CHECK(imr::case_number_length_at("CM15-019", 0) == 0);
    CHECK(imr::case_number_length_at("ACM15-0198233", 1) == 0);
    CHECK(imr::case_number_length_at("CM15-01982330000", 0) == 0);
    CHECK(imr::case_number_length_at("L4-L5", 0) == 0);
}

TEST_CASE("clean_letter_text") {
    struct Case {
        const char* name;
        std::string input;
        std::string text;
        std::string case_number;
    };
    // Lines as pdftotext lays them out: a trailing space, an empty line after each, and a line
    // holding only a space between paragraphs.
    auto pdf = [](std::initializer_list<const char*> lines) {
        std::string out;
        for (const char* line : lines) out += std::string(line) + " \n\n";
        return out;
    };
    const Case cases[] = {
        {"wrapped lines join into a paragraph",
         pdf({"The expert reviewer developed the following clinical case summary based on a review of the",
              "case file, including all medical records:"}),
         "The expert reviewer developed the following clinical case summary based on a review of the case file, "
         "including all medical records:",
         ""},
        {"a space-only line ends the paragraph",
         pdf({"Review determinations.", "", "The Expert Reviewer has the following credentials:"}),
         "Review determinations.\nThe Expert Reviewer has the following credentials:", ""},
        {"a heading is a paragraph of its own",
         pdf({"CLINICAL CASE SUMMARY", "The expert reviewer developed the following clinical case summary based on "
                                       "a review of the"}),
         "CLINICAL CASE SUMMARY\nThe expert reviewer developed the following clinical case summary based on a review of "
         "the",
         ""},
        {"a heading wrapped over lines joins up",
         pdf({"RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE", "IS/WAS NOT MEDICALLY NECESSARY:",
              "The request is not medically necessary according to the guidelines cited in the previous"}),
         "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\nThe request is not "
         "medically necessary according to the guidelines cited in the previous",
         ""},
        {"credential lines stay apart",
         pdf({"State(s) of Licensure: Texas, California", "Certification(s)/Specialty: Family Practice"}),
         "State(s) of Licensure: Texas, California\nCertification(s)/Specialty: Family Practice", ""},
        {"an outcome line stays apart from the rationale after it",
         pdf({"Soma 350mg #60: Upheld",
              "This patient presents with chronic low back pain. The current request is for Soma 350mg #60."}),
         "Soma 350mg #60: Upheld\nThis patient presents with chronic low back pain. The current request is for Soma "
         "350mg #60.",
         ""},
        {"a short line in mid-sentence joins the next",
         pdf({"The applicant is a represented  employee who has filed a claim for",
              "chronic low back and hip pain reportedly associated with an industrial injury of June 24, 2014.In",
              "a Utilization Review report dated July 28, 2015, the claims administrator failed to approve"}),
         "The applicant is a represented employee who has filed a claim for chronic low back and hip pain reportedly "
         "associated with an industrial injury of June 24, 2014. In a Utilization Review report dated July 28, 2015, "
         "the claims administrator failed to approve",
         ""},
        {"hyphenated word joined, real hyphen kept",
         pdf({"cervical fusion, cervicogenic headaches, gastritis and dysphagia due to many years of medi-",
              "cations, and medication-",
              "induced gastritis and dysphagia. According to the progress note dated 12/04/2014 she had",
              "complaints of pain. Decision based on Non-",
              "MTUS Citation Official Disability Guidelines (ODG) Pain, Muscle relaxants (for pain) at L4-",
              "L5 and C5-", "6 levels."}),
         "cervical fusion, cervicogenic headaches, gastritis and dysphagia due to many years of medications, and "
         "medication-induced gastritis and dysphagia. According to the progress note dated 12/04/2014 she had "
         "complaints of pain. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain, Muscle "
         "relaxants (for pain) at L4-L5 and C5-6 levels.",
         ""},
        {"a spaced dash at a line end is not a hyphen",
         pdf({"continuation of medications (Xanax and Soma - denied) and (Duragesic patches and oxycodone -",
              "authorized)."}),
         "continuation of medications (Xanax and Soma - denied) and (Duragesic patches and oxycodone - authorized).",
         ""},
        {"page furniture lines vanish and the sentence joins up",
         pdf({" Case Number: CM15-0198233", "Date Assigned: 10/13/2015", "",
              "The patient has been utilizing Soma as a muscle relaxant for his lower back since at least",
              "CM15-0198233", "Page 2 of 5", "03/11/14. The MTUS Guidelines support the use of sedating muscle"}),
         "Case Number: CM15-0198233\nDate Assigned: 10/13/2015\nThe patient has been utilizing Soma as a muscle "
         "relaxant for his lower back since at least 03/11/14. The MTUS Guidelines support the use of sedating muscle",
         "CM15-0198233"},
        {"furniture inside a line and a repeated labelled case number",
         pdf({"Case Number: CM15-0198233",
              "The patient has been utilizing Soma Page 2 of 5 CM15-0198233 as a muscle relaxant for his back",
              "Case Number: CM15-0198233", "since at least 03/11/14. The MTUS Guidelines support the use of these"}),
         "Case Number: CM15-0198233\nThe patient has been utilizing Soma as a muscle relaxant for his back since at "
         "least 03/11/14. The MTUS Guidelines support the use of these",
         "CM15-0198233"},
        {"a case number repeated only as furniture is found and removed",
         pdf({"The patient has been utilizing Soma as a muscle relaxant for his lower back since at least",
              "CM14-0001234", "03/11/14, and the MTUS Guidelines support the use of sedating muscle relaxants"}),
         "The patient has been utilizing Soma as a muscle relaxant for his lower back since at least 03/11/14, and "
         "the MTUS Guidelines support the use of sedating muscle relaxants",
         "CM14-0001234"},
        {"another case cited once in a sentence is not furniture",
         pdf({"A prior IMR, CM14-0001234, upheld the denial."}), "A prior IMR, CM14-0001234, upheld the denial.", ""},
        {"CRLF, curly quotes and NBSP in a single-spaced file",
         "Decision rationale:\xC2\xA0The guidelines state, \xE2\x80\x9CNot recommended.\xE2\x80\x9D\r\n\r\nNext "
         "paragraph\r\n",
         "Decision rationale: The guidelines state, \"Not recommended.\"\nNext paragraph", ""},
        {"single-spaced paragraphs with wrapped lines",
         "HOW THE IMR FINAL DETERMINATION WAS MADE\n\nMAXIMUS Federal Services sent the complete case file to an "
         "expert\nreviewer who has no affiliation with the employer.\n\nCLINICAL CASE SUMMARY\n",
         "HOW THE IMR FINAL DETERMINATION WAS MADE\nMAXIMUS Federal Services sent the complete case file to an "
         "expert reviewer who has no affiliation with the employer.\nCLINICAL CASE SUMMARY",
         ""},
        {"an outcome wrapped onto a line of its own joins its item",
         pdf({"Retrospective request for Flurbiprofen 20%/Lidocaine 5% cream 180gm (DOS 10/15/2014):", "Upheld",
              "", "Claims Administrator guideline: Decision based on MTUS."}),
         "Retrospective request for Flurbiprofen 20%/Lidocaine 5% cream 180gm (DOS 10/15/2014): Upheld\nClaims "
         "Administrator guideline: Decision based on MTUS.",
         ""},
        {"runs of spaces collapse", pdf({"Soma 350 MG Qty 15:  Overturned"}), "Soma 350 MG Qty 15: Overturned", ""},
        {"empty input", "", "", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto cleaned = imr::clean_letter_text(c.input);
            CHECK(cleaned.text == c.text);
            CHECK(cleaned.case_number == c.case_number);
        }
    }
}

// Issue 19, item 4: each line-end hyphen searched the whole letter again (an 800 KB letter took
// 83 s). The repair now reads the text once, however many words are broken.
TEST_CASE("line-end hyphens are repaired with one reading of the text") {
    std::string letter;
    const int broken = 4000;
    for (int i = 0; i < broken; ++i) letter += "the request for medi-\ncations number " + std::to_string(i) + " was\n";
    letter += "the end.\n";
    const auto cleaned = imr::clean_letter_text(letter);
    CHECK(cleaned.text.find("medications number 3999") != std::string::npos);
    CHECK(cleaned.text.find("medi-") == std::string::npos);
    CHECK(cleaned.hyphen_bytes_scanned > 0);
    CHECK(cleaned.hyphen_bytes_scanned <= letter.size() + 1024);
}

TEST_CASE("keeps_hyphen reads word boundaries as the text search did") {
    CHECK(imr::keeps_hyphen("opioid", "naive", "x-opioid-naive-y"));
    CHECK_FALSE(imr::keeps_hyphen("opioid", "naive", "opioid--naive"));
    CHECK_FALSE(imr::keeps_hyphen("opioid", "naive", "anopioid-naive"));
    CHECK_FALSE(imr::keeps_hyphen("present", "ed", "PRESENTED"));
    CHECK_FALSE(imr::keeps_hyphen("opioid", "naive", "opioid-naive\xC3\xA9"));
}
