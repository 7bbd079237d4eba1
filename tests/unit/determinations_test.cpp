// Unit tests of determination reading: outcome statements and the item blocks of the three layouts.
#include "citations.h"
#include "cleanup.h"
#include "determinations.h"
#include "layout.h"
#include "lexicon.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return lex;
}

const imr::TopicIndex& topics() {
    static const imr::TopicIndex index(lexicon());
    return index;
}

const imr::CitationReader& reader() {
    static const imr::CitationReader index(lexicon(), topics());
    return index;
}

imr::DeterminationsFound read(const std::string& clean_text) {
    auto scan = imr::scan_layout(clean_text);
    return imr::read_determinations(scan.layout, scan.sections, lexicon(), reader());
}

std::string outcomes(const std::vector<imr::Determination>& dets) {
    std::string out;
    for (const auto& d : dets) out += (out.empty() ? "" : " | ") + d.item + " = " + imr::to_string(d.outcome);
    return out;
}

}  // namespace

TEST_CASE("outcome_line") {
    struct Case {
        const char* text;
        std::string item;  // "" when no outcome line
        imr::Outcome outcome;
        std::size_t end;
    };
    const Case cases[] = {
        {"Soma 350 MG Qty 15:  Overturned", "Soma 350 MG Qty 15", imr::Outcome::Overturned, 31},
        {"Soma 350mg QTY: 15: Upheld", "Soma 350mg QTY: 15", imr::Outcome::Upheld, 26},
        {"Xanax 1mg: upheld.", "Xanax 1mg", imr::Outcome::Upheld, 18},
        {"Soma: Upheld This patient presents with pain.", "Soma", imr::Outcome::Upheld, 12},
        {"1. MRI of the lumbar spine: Overturned", "MRI of the lumbar spine", imr::Outcome::Overturned, 38},
        {"Lumbar ESI L4-5 - Upheld", "Lumbar ESI L4-5", imr::Outcome::Upheld, 24},
        {"Norco 10/325mg #60: UPHOLD", "Norco 10/325mg #60", imr::Outcome::Upheld, 26},
        {"Request: Soma 350 MG Qty 15 According to California MTUS", "", imr::Outcome::Unknown, 0},
        {"The denial was Upheld", "", imr::Outcome::Unknown, 0},
        {": Upheld", "", imr::Outcome::Unknown, 0},
        {"Soma: Upheldness", "", imr::Outcome::Unknown, 0},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            auto line = imr::outcome_line(c.text);
            CHECK(line.has_value() == !c.item.empty());
            if (line) {
                CHECK(line->item == c.item);
                CHECK(line->outcome == c.outcome);
                CHECK(line->end == c.end);
            }
        }
    }
}

TEST_CASE("outcome_sentence") {
    struct Case {
        const char* text;
        std::string item;
        imr::Outcome outcome;
    };
    const Case cases[] = {
        {"1. Omeprazole 20mg #60 is medically necessary and appropriate.", "Omeprazole 20mg #60", imr::Outcome::Overturned},
        {"2. Norco 10/325mg #90 is not medically necessary and appropriate.", "Norco 10/325mg #90", imr::Outcome::Upheld},
        {"3) Physical therapy 12 sessions are not medically necessary.", "Physical therapy 12 sessions", imr::Outcome::Upheld},
        {"Retrospective request for Ambien 10mg #30 is not medically necessary and medically appropriate.",
         "Retrospective request for Ambien 10mg #30", imr::Outcome::Upheld},
        {"1. The request is medically necessary if pain persists after the trial.", "", imr::Outcome::Unknown},
        {"1. The patient is medically stable.", "", imr::Outcome::Unknown},
        {"1. is medically necessary.", "", imr::Outcome::Unknown},
        // The 2013 formula, with and without numbering and lead-ins.
        {"MAXIMUS Federal Services, Inc. has determined the request for Omeprazole 20mg #60 is not medically "
         "necessary and appropriate.",
         "Omeprazole 20mg #60", imr::Outcome::Upheld},
        {"1. MAXIMUS Federal Services, Inc. has determined the request for MRI of the lumbar spine is medically "
         "necessary and appropriate.",
         "MRI of the lumbar spine", imr::Outcome::Overturned},
        {"MAXIMUS Federal Services, Inc. has determined the requested Chiropractic care 2x4 for the low back is not "
         "medically necessary",
         "Chiropractic care 2x4 for the low back", imr::Outcome::Upheld},
        {"MAXIMUS Federal Services, Inc. has determined Tramadol ER 150mg #30 is medically necessary and appropriate.",
         "Tramadol ER 150mg #30", imr::Outcome::Overturned},
        {"2) MAXIMUS Federal Services, Inc. has determined that the request for Aquatic therapy 8 sessions is not "
         "medically necessary and appropriate.",
         "Aquatic therapy 8 sessions", imr::Outcome::Upheld},
        {"MAXIMUS Federal Services has determined the request for Lidoderm 5% patch #30 is not medically necessary.",
         "Lidoderm 5% patch #30", imr::Outcome::Upheld},
        {"1. The request for Omeprazole 20mg #60 is medically necessary and appropriate.", "Omeprazole 20mg #60",
         imr::Outcome::Overturned},
        {"1. The requested Medically supervised weight loss program is not medically necessary and appropriate.",
         "Medically supervised weight loss program", imr::Outcome::Upheld},
        // Words run together by extraction.
        {"2. Norco 10/325mg #90 is notmedically necessary andappropriate.", "Norco 10/325mg #90", imr::Outcome::Upheld},
        {"3. TENS unit purchase ismedically necessary and appropriate.", "TENS unit purchase",
         imr::Outcome::Overturned},
        {"4. Chiropractic care 2x4 is not medicallynecessary and appropriate.", "Chiropractic care 2x4",
         imr::Outcome::Upheld},
        {"5. Urine drug screen isnot medically necessaryand appropriate.", "Urine drug screen", imr::Outcome::Upheld},
        {"6. Flexeril 7.5mg #90is not medically necessary and appropriate.", "Flexeril 7.5mg #90", imr::Outcome::Upheld},
        {"MAXIMUS Federal Services, Inc. hasdetermined the request for Gabapentin 600mg #90 is medicallynecessary "
         "andappropriate.",
         "Gabapentin 600mg #90", imr::Outcome::Overturned},
        // Not decisions: a subject that only refers to the request, no verb, more text after the verdict.
        {"The request is not medically necessary.", "", imr::Outcome::Unknown},
        {"1. Continued use is not medically necessary.", "", imr::Outcome::Unknown},
        {"MAXIMUS Federal Services, Inc. has determined the request is not medically necessary and appropriate.", "",
         imr::Outcome::Unknown},
        {"1. Norco cannot be medically necessary.", "", imr::Outcome::Unknown},
        {"1. Norco cannotmedically necessary.", "", imr::Outcome::Unknown},
        {"2. The MRI is not medically necessary because no red flags are documented.", "", imr::Outcome::Unknown},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            auto line = imr::outcome_sentence(c.text);
            CHECK(line.has_value() == !c.item.empty());
            if (line) {
                CHECK(line->item == c.item);
                CHECK(line->outcome == c.outcome);
            }
        }
    }
}

TEST_CASE("verdict_in_words") {
    struct Case {
        const char* text;
        imr::Outcome outcome;
    };
    const Case cases[] = {
        {"Therefore, the request is not medically necessary.", imr::Outcome::Upheld},
        {"The request for Soma 350 MG Qty 15 is medically appropriate and necessary in this patient.",
         imr::Outcome::Overturned},
        {"the request was not medically necessary, medically appropriate, or indicated here.", imr::Outcome::Upheld},
        {"It was medically necessary at first. Given the lack of benefit, continued use is not medically necessary.",
         imr::Outcome::Upheld},
        {"The guideline criteria are met, and the request is deemed medically necessary.", imr::Outcome::Overturned},
        {"The records describe the medically complex history.", imr::Outcome::Unknown},
        {"", imr::Outcome::Unknown},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) { CHECK(imr::verdict_in_words(c.text) == c.outcome); }
    }
}

TEST_CASE("read_determinations: standard layout blocks") {
    const std::string text =
        "IMR ISSUES, DECISIONS AND RATIONALES\n"
        "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
        "Xanax 1mg: Upheld\n"
        "Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Benzodiazepines.\n"
        "MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Benzodiazepine Page(s): 24.\n"
        "Decision rationale: Benzodiazepines are not recommended for long-term use.\n"
        "The requested Xanax is not medically necessary.\n"
        "MRI of the lumbar spine: Overturned\n"
        "Claims Administrator guideline: Decision based on MTUS ACOEM Practice Guidelines Chapter 12.\n"
        "Decision rationale: Red flags are documented. The request is medically necessary.";
    auto found = read(text);
    REQUIRE(found.determinations.size() == 2);
    CHECK(found.flags.empty());
    const auto& xanax = found.determinations[0];
    CHECK(xanax.item == "Xanax 1mg");
    CHECK(xanax.outcome == imr::Outcome::Upheld);
    REQUIRE(xanax.drug.has_value());
    CHECK(xanax.drug->generic == "alprazolam");
    CHECK(xanax.category == "medication");
    REQUIRE(xanax.citations.size() == 1);
    CHECK(xanax.citations[0].topic == "Benzodiazepines");
    CHECK(xanax.citations[0].pages == "24");
    CHECK(xanax.rationale ==
          "Benzodiazepines are not recommended for long-term use.\nThe requested Xanax is not medically necessary.");
    CHECK(text.compare(xanax.rationale_offset, xanax.rationale.size(), xanax.rationale) == 0);
    CHECK(xanax.guidelines.starts_with("Claims Administrator guideline:"));
    CHECK(xanax.guidelines.ends_with("Page(s): 24."));

    const auto& mri = found.determinations[1];
    CHECK(mri.item == "MRI of the lumbar spine");
    CHECK(mri.outcome == imr::Outcome::Overturned);
    CHECK_FALSE(mri.drug.has_value());
    CHECK(mri.category == "diagnostic imaging");
    REQUIRE(mri.citations.size() == 1);  // from the claims administrator: no MAXIMUS guideline was printed
    CHECK(mri.citations[0].source == "ACOEM");
    CHECK(mri.rationale == "Red flags are documented. The request is medically necessary.");
}

TEST_CASE("read_determinations: layouts and damaged blocks") {
    struct Case {
        const char* name;
        std::string text;
        std::string outcomes;
        std::vector<std::string> flags;
    };
    const Case cases[] = {
        {"2013 numbered sentences with the long labels",
         "MAXIMUS FEDERAL SERVICES, INC.\nIMR DECISION(S) AND RATIONALE(S)\n"
         "1. Omeprazole 20mg #60 is medically necessary and appropriate.\n"
         "The Claims Administrator based its decision on the MTUS Chronic Pain Medical Treatment Guidelines.\n"
         "The Expert Reviewer based his/her decision on the MTUS, NSAIDs, GI symptoms & cardiovascular risk, "
         "Page(s): 68-69.\n"
         "The Expert Reviewer's decision rationale: Risk factors are documented; the request is medically "
         "necessary.\n"
         "2. Norco 10/325mg #90 is not medically necessary and appropriate.\n"
         "The Claims Administrator based its decision on the MTUS Chronic Pain Medical Treatment Guidelines.\n"
         "The Expert Reviewer's decision rationale: 1. No functional benefit is documented.",
         "Omeprazole 20mg #60 = Overturned | Norco 10/325mg #90 = Upheld", {}},
        {"professional review with outcome lines",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\n2. TENS unit purchase\n"
         "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\n"
         "Ambien 10mg #30: Decision based on Official Disability Guidelines (ODG) Pain (Chronic), Zolpidem (Ambien).\n"
         "TENS unit purchase: Decision based on MTUS Chronic Pain Treatment Guidelines TENS Page(s): 114-116.\n"
         "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
         "Ambien 10mg #30: Upheld\nZolpidem is for short-term use only.\n"
         "TENS unit purchase: Overturned\nA successful one-month trial is documented.",
         "Ambien 10mg #30 = Upheld | TENS unit purchase = Overturned", {}},
        // The first item's rationale runs to where the second is named.
        {"professional review with outcomes in words only",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\n2. TENS unit purchase\n"
         "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
         "Regarding Ambien 10mg #30, zolpidem is for short-term use; the request is not medically necessary.\n"
         "Regarding TENS unit purchase, a successful trial is documented; the request is medically necessary.",
         "Ambien 10mg #30 = Upheld | TENS unit purchase = Overturned", {}},
        {"professional review, one item never discussed",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\n2. TENS unit purchase\n"
         "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
         "Regarding Ambien 10mg #30, zolpidem is for short-term use; the request is not medically necessary.",
         "Ambien 10mg #30 = Upheld | TENS unit purchase = Unknown", {"outcome-unreadable"}},
        {"an outcome line glued to the rationale before it",
         "IMR ISSUES, DECISIONS AND RATIONALES\nNorco 5/325mg #30: Overturned\n"
         "Decision rationale: Pain falls from 8/10 to 4/10 with the medication, so the request is medically "
         "necessary. Physical therapy 6 sessions: Upheld\n"
         "Decision rationale: Twenty-four sessions were completed already; the request is not medically necessary.",
         "Norco 5/325mg #30 = Overturned | Physical therapy 6 sessions = Upheld", {}},
        {"labels glued into one paragraph",
         "IMR ISSUES, DECISIONS AND RATIONALES\nXanax 1mg: Upheld Claims Administrator guideline: Decision based on "
         "MTUS. MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Benzodiazepines. "
         "Decision rationale: Not for long-term use.",
         "Xanax 1mg = Upheld", {}},
        {"a guideline paragraph broken in two is no new item",
         "IMR ISSUES, DECISIONS AND RATIONALES\nSoma 350mg: Upheld\nClaims Administrator guideline: Decision based on "
         "MTUS Chronic Pain Treatment Guidelines.\nCarisoprodol.\nMAXIMUS guideline: Decision based on MTUS.\n"
         "Decision rationale: Not for long-term use.",
         "Soma 350mg = Upheld", {}},
        {"an item whose outcome is missing",
         "IMR ISSUES, DECISIONS AND RATIONALES\nSoma 350mg:\nClaims Administrator guideline: Decision based on "
         "MTUS.\nDecision rationale: Lost.",
         "Soma 350mg = Unknown", {"outcome-unreadable"}},
        {"no items at all", "IMR ISSUES, DECISIONS AND RATIONALES\nThe remaining pages are missing.", "",
         {"no-determinations"}},
        {"professional review without its rationale section",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\nCASE SUMMARY:\nA 40 year old male.",
         "Ambien 10mg #30 = Unknown", {"outcome-unreadable"}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto found = read(c.text);
            CHECK(outcomes(found.determinations) == c.outcomes);
            CHECK(found.flags == c.flags);
        }
    }
}

// The 2013 layout's decision statements: every form, and rationale sentences that are not decisions.
TEST_CASE("read_determinations: 2013 decision statements") {
    const std::string head = "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nIMR Case Number: CM13-0000000\n"
                             "DOCUMENTS REVIEWED\nThe application and the medical records.\n"
                             "IMR DECISION(S) AND RATIONALE(S)\n";
    const std::string claims = "The Claims Administrator based its decision on the MTUS Chronic Pain Medical Treatment "
                               "Guidelines.\n";
    const std::string expert = "The Expert Reviewer based his/her decision on the MTUS Chronic Pain Medical Treatment "
                               "Guidelines, page 68.\n";
    struct Case {
        const char* name;
        std::string text;       // the letter's text
        std::string outcomes;   // "item = outcome | ..."
        bool pdf_text = false;  // the text is as extracted (wrapped lines, blank lines), cleaned up first
    };
    const Case cases[] = {
        {"numbered formula with the request for",
         head + "1. MAXIMUS Federal Services, Inc. has determined the request for Omeprazole 20mg #60 is not medically "
                "necessary and appropriate.\n" + claims + expert +
             "The Expert Reviewer's decision rationale: No GI risk factors are documented.\n"
             "2. MAXIMUS Federal Services, Inc. has determined the request for Naproxen sodium 550mg #60 is medically "
             "necessary and appropriate.\n" + claims +
             "The Expert Reviewer's decision rationale: Pain relief is documented.",
         "Omeprazole 20mg #60 = Upheld | Naproxen sodium 550mg #60 = Overturned"},
        {"unnumbered formula with the requested, no 'and appropriate'",
         head + "MAXIMUS Federal Services, Inc. has determined the requested Physical therapy 12 sessions is not "
                "medically necessary.\n" + claims + "The Expert Reviewer's decision rationale: Twelve sessions were "
                "completed already.\n"
                "MAXIMUS Federal Services, Inc. has determined Urine drug screen is medically necessary and "
                "appropriate.\n" + claims,
         "Physical therapy 12 sessions = Upheld | Urine drug screen = Overturned"},
        {"numbered sentences with words run together",
         head + "1. Norco 10/325mg #90 is notmedically necessary andappropriate.\n" + claims + expert +
             "2. TENS unit purchase ismedically necessary and appropriate.\n" + claims +
             "3. Chiropractic care 2x4 is not medicallynecessary and appropriate.\n" + claims,
         "Norco 10/325mg #90 = Upheld | TENS unit purchase = Overturned | Chiropractic care 2x4 = Upheld"},
        {"decision statements wrapped over lines",
         head + "1. MAXIMUS Federal Services, Inc.\nhas determined the request for Omeprazole 20mg #60 is not "
                "medically\nnecessary and appropriate.\n" + claims +
             "2. Tramadol ER 150mg #30 is\nmedically necessary and appropriate.\n" + claims +
             "MAXIMUS Federal Services, Inc.\nhas determined the requested MRI of the cervical spine\nis not medically "
             "necessary.\n" + claims,
         "Omeprazole 20mg #60 = Upheld | Tramadol ER 150mg #30 = Overturned | MRI of the cervical spine = Upheld"},
        {"a decision statement as extracted from the PDF",
         "MAXIMUS FEDERAL SERVICES, INC. \n\nIndependent Medical Review \n\n \n\nIMR DECISION(S) AND RATIONALE(S) \n\n"
         " \n\n1. MAXIMUS Federal Services, Inc. \n\nhas determined the request for Omeprazole 20mg #60 is notmedically \n\n"
         "necessary andappropriate. \n\n \n\nThe Claims Administrator based its decision on the MTUS. \n\n \n\n"
         "The Expert Reviewer's decision rationale: No GI risk factors are documented in the records \n\n"
         "reviewed. \n\n",
         "Omeprazole 20mg #60 = Upheld", true},
        {"a numbered decision without labels after it",
         head + "1. Omeprazole 20mg #60 is not medically necessary and appropriate.\nNo GI risk factors are "
                "documented.\n2. Naproxen sodium 550mg #60 is medically necessary and appropriate.\nPain relief is "
                "documented.",
         "Omeprazole 20mg #60 = Upheld | Naproxen sodium 550mg #60 = Overturned"},
        // Rationale sentences are never decisions.
        {"a rationale's concluding sentence on a line of its own",
         head + "1. Norco 10/325mg #90 is not medically necessary and appropriate.\n" + claims +
             "The Expert Reviewer's decision rationale: No functional benefit is documented.\n"
             "The request for Norco 10/325mg #90 is not medically necessary.\n"
             "2. Omeprazole 20mg #60 is medically necessary and appropriate.\n" + claims +
             "The Expert Reviewer's decision rationale: The patient takes an NSAID.\n"
             "Omeprazole 20mg #60 is medically necessary and appropriate.",
         "Norco 10/325mg #90 = Upheld | Omeprazole 20mg #60 = Overturned"},
        {"numbered points of a rationale",
         head + "1. Norco 10/325mg #90 is not medically necessary and appropriate.\n" + claims +
             "The Expert Reviewer's decision rationale:\n1. No functional benefit is documented.\n"
             "2. The requested Norco 10/325mg #90 is not medically necessary.\n"
             "1. Urine drug screens are not medically necessary without aberrant behavior.\n"
             "3. Weaning is medically necessary and appropriate.\n"
             "2. Omeprazole 20mg #60 is not medically necessary and appropriate.\n" + claims,
         "Norco 10/325mg #90 = Upheld | Omeprazole 20mg #60 = Upheld"},
        {"a numbered point of a rationale is not joined with the verdict after it",
         head + "1. Norco 10/325mg #90 is not medically necessary and appropriate.\n" + claims +
             "The Expert Reviewer's decision rationale:\n1. No functional benefit is documented.\n"
             "Norco 10/325mg #90 is not medically necessary and appropriate.\n" + claims,
         "Norco 10/325mg #90 = Upheld"},
        {"a rationale sentence right before the guidelines",
         head + "1. Omeprazole 20mg #60 is medically necessary and appropriate.\n" + claims +
             "The Expert Reviewer's decision rationale: Risk factors are documented.\n"
             "The request for Norco 10/325mg #90 is not medically necessary.\n" + claims +
             "The Expert Reviewer's decision rationale: No benefit.",
         "Omeprazole 20mg #60 = Overturned"},
        {"the formula before the decisions section is not read",
         "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nMAXIMUS Federal Services, Inc. has "
         "determined the request for Soma 350mg #60 is not medically necessary and appropriate.\n"
         "IMR DECISION(S) AND RATIONALE(S)\n1. Omeprazole 20mg #60 is medically necessary and appropriate.\n" + claims,
         "Omeprazole 20mg #60 = Overturned"},
        {"the formula about 'the request' names no item",
         head + "MAXIMUS Federal Services, Inc. has determined the request is not medically necessary.\n"
                "1. Omeprazole 20mg #60 is not medically necessary and appropriate.\n" + claims,
         "Omeprazole 20mg #60 = Upheld"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto found = read(c.pdf_text ? imr::clean_letter_text(c.text).text : c.text);
            CHECK(outcomes(found.determinations) == c.outcomes);
            CHECK(found.flags.empty());
        }
    }
}

TEST_CASE("read_determinations: professional review citations belong to their own item") {
    const std::string text =
        "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Cognitive behavioral therapy 6 sessions\n"
        "2. Cognitive behavioral therapy 6 sessions\n"
        "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\n"
        "Cognitive behavioral therapy 6 sessions: Decision based on MTUS Chronic Pain Medical Treatment Guidelines "
        "Behavioral interventions, page 23.\n"
        "Cognitive behavioral therapy 6 sessions: Decision based on Official Disability Guidelines (ODG) Pain "
        "(Chronic), Cognitive behavioral therapy (CBT).\n"
        "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
        "Cognitive behavioral therapy 6 sessions: Upheld\nFirst.\n"
        "Cognitive behavioral therapy 6 sessions: Upheld\nSecond.";
    auto found = read(text);
    REQUIRE(found.determinations.size() == 2);
    REQUIRE(found.determinations[0].citations.size() == 1);
    CHECK(found.determinations[0].citations[0].source == "MTUS");
    CHECK(found.determinations[0].rationale == "First.");
    REQUIRE(found.determinations[1].citations.size() == 1);
    CHECK(found.determinations[1].citations[0].source == "ODG");
    CHECK(found.determinations[1].rationale == "Second.");
    CHECK(found.determinations[0].category == "psychotherapy");
}

// Where each item's own text is printed (Determination::printed), which its document indexes as
// one run per range: from its item line through its rationale, never another item's text.
TEST_CASE("read_determinations: each item's block as printed") {
    struct Case {
        const char* name;
        std::string text;
        std::vector<std::string> printed;  // per item: its ranges' text, joined by " | "
    };
    const Case cases[] = {
        {"standard blocks, after the preamble",
         "IMR ISSUES, DECISIONS AND RATIONALES\n"
         "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
         "Xanax 1mg: Upheld\nClaims Administrator guideline: Decision based on MTUS.\n"
         "MAXIMUS guideline: Decision based on MTUS Benzodiazepine Page(s): 24.\n"
         "Decision rationale: Not for long-term use.\n"
         "MRI of the lumbar spine: Overturned\nDecision rationale: Red flags are documented.\n",
         {"Xanax 1mg: Upheld\nClaims Administrator guideline: Decision based on MTUS.\n"
          "MAXIMUS guideline: Decision based on MTUS Benzodiazepine Page(s): 24.\nDecision rationale: Not for long-term use.",
          "MRI of the lumbar spine: Overturned\nDecision rationale: Red flags are documented."}},
        {"labels glued into one paragraph",
         "IMR ISSUES, DECISIONS AND RATIONALES\nXanax 1mg: Upheld Claims Administrator guideline: Decision based on "
         "MTUS. Decision rationale: Not for long-term use.",
         {"Xanax 1mg: Upheld Claims Administrator guideline: Decision based on MTUS. Decision rationale: Not for "
          "long-term use."}},
        {"an outcome line glued to the rationale before it",
         "IMR ISSUES, DECISIONS AND RATIONALES\nNorco 5/325mg #30: Overturned\n"
         "Decision rationale: Pain falls from 8/10 to 4/10 with the medication, so the request is medically "
         "necessary. Physical therapy 6 sessions: Upheld\nDecision rationale: Twenty-four sessions were completed.",
         {"Norco 5/325mg #30: Overturned\nDecision rationale: Pain falls from 8/10 to 4/10 with the medication, so the "
          "request is medically necessary.",
          "Physical therapy 6 sessions: Upheld\nDecision rationale: Twenty-four sessions were completed."}},
        {"a partly authorized request from its original request on",
         "IMR ISSUES, DECISIONS AND RATIONALES\nPhysical therapy 12 sessions was the original request. Physical "
         "therapy 6 sessions was authorized by the Claims Administrator. The remaining IMR eligible portion of the "
         "original request, Physical therapy 6 sessions is: Upheld\nDecision rationale: Six sessions suffice.",
         {"Physical therapy 12 sessions was the original request. Physical therapy 6 sessions was authorized by the "
          "Claims Administrator. The remaining IMR eligible portion of the original request, Physical therapy 6 "
          "sessions is: Upheld\nDecision rationale: Six sessions suffice."}},
        {"2013 statements wrapped over lines",
         "MAXIMUS FEDERAL SERVICES, INC.\nIMR DECISION(S) AND RATIONALE(S)\n1. MAXIMUS Federal Services, Inc.\nhas "
         "determined the request for Omeprazole 20mg #60 is not medically\nnecessary and appropriate.\n"
         "The Expert Reviewer's decision rationale: No GI risk factors.\n"
         "2. Tramadol ER 150mg #30 is\nmedically necessary and appropriate.\nThe Claims Administrator based its "
         "decision on the MTUS.\n",
         {"1. MAXIMUS Federal Services, Inc.\nhas determined the request for Omeprazole 20mg #60 is not medically\n"
          "necessary and appropriate.\nThe Expert Reviewer's decision rationale: No GI risk factors.",
          "2. Tramadol ER 150mg #30 is\nmedically necessary and appropriate.\nThe Claims Administrator based its "
          "decision on the MTUS."}},
        {"professional review: the guideline paragraph, then the outcome line and rationale",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\n2. TENS unit purchase\n"
         "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\n"
         "Ambien 10mg #30: Decision based on ODG Pain (Chronic), Zolpidem (Ambien).\n"
         "TENS unit purchase: Decision based on MTUS TENS Page(s): 114-116.\n"
         "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
         "Ambien 10mg #30: Upheld\nZolpidem is for short-term use only.\n"
         "TENS unit purchase: Overturned\nA successful one-month trial is documented.",
         {"Ambien 10mg #30: Decision based on ODG Pain (Chronic), Zolpidem (Ambien). | Ambien 10mg #30: Upheld\n"
          "Zolpidem is for short-term use only.",
          "TENS unit purchase: Decision based on MTUS TENS Page(s): 114-116. | TENS unit purchase: Overturned\n"
          "A successful one-month trial is documented."}},
        {"professional review with outcomes in words only",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\n2. TENS unit purchase\n"
         "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
         "Regarding Ambien 10mg #30, zolpidem is for short-term use; the request is not medically necessary.\n"
         "Regarding TENS unit purchase, a successful trial is documented; the request is medically necessary.",
         {"Ambien 10mg #30, zolpidem is for short-term use; the request is not medically necessary.\nRegarding",
          "TENS unit purchase, a successful trial is documented; the request is medically necessary."}},
        {"an item the letter does not decide is not placed",
         "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\nCASE SUMMARY:\nA 40 year old male.",
         {""}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto scan = imr::scan_layout(c.text);
            const auto found = imr::read_determinations(scan.layout, scan.sections, lexicon(), reader());
            std::vector<std::string> printed;
            for (const auto& d : found.determinations) {
                std::string ranges;
                for (const auto& r : d.printed) ranges += (ranges.empty() ? "" : " | ") + c.text.substr(r.begin, r.end - r.begin);
                printed.push_back(ranges);
                if (!d.guidelines.empty()) CHECK(c.text.compare(d.guidelines_offset, d.guidelines.size(), d.guidelines) == 0);
            }
            CHECK(printed == c.printed);
        }
    }
}
