// Guideline paragraphs: each party's basis and one structured citation per section.
#include "guideline_paragraph.h"
#include "lexicon.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon l = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return l;
}

// "basis || source | document | edition | chapter | section | pages || ..."
std::string describe(const imr::GuidelineParagraph& p) {
    std::string out = imr::to_string(p.basis);
    for (const auto& c : p.citations)
        out += " || " + c.source + " | " + c.document + " | " + c.edition + " | " + c.chapter + " | " + c.topic + " | " + c.pages;
    return out;
}

}  // namespace

TEST_CASE("CitationReader::read: basis and citations") {
    static const imr::TopicIndex topics(lexicon());
    const imr::CitationReader reader(lexicon(), topics);
    struct Row {
        std::string name;
        std::string text;
        std::string expected;
    };
    const Row rows[] = {
        {"one MTUS document, one section",
         "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Muscle relaxants (for pain).",
         "MTUS || MTUS | Chronic Pain Medical Treatment | 2016 |  | Muscle relaxants (for pain) | "},
        {"a document cited whole", "Decision based on MTUS Shoulder Complaints 2004.",
         "MTUS || MTUS | Shoulder Complaints | 2004 |  |  | "},
        {"sections with commas of their own, and a second document after ', and'",
         "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain (transcutaneous "
         "electrical nerve stimulation), Ultrasound, therapeutic, and Postsurgical Treatment 2009, Section(s): Forearm, "
         "Wrist, & Hand.",
         "MTUS || MTUS | Chronic Pain Medical Treatment | 2016 |  | TENS, chronic pain (transcutaneous electrical nerve "
         "stimulation) | "
         " || MTUS | Chronic Pain Medical Treatment | 2016 |  | Ultrasound, therapeutic | "
         " || MTUS | Postsurgical Treatment | 2009 |  | Forearm, Wrist, & Hand | "},
        {"a document whose name has ', and'",
         "Decision based on MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies, and Forearm, Wrist, "
         "and Hand Complaints 2004, Section(s): Summary.",
         "MTUS || MTUS | Neck and Upper Back Complaints | 2004 |  | Special Studies | "
         " || MTUS | Forearm, Wrist, and Hand Complaints | 2004 |  | Summary | "},
        {"outside the MTUS: the sentence is the basis, the ODG chapter and topic the citation",
         "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines. Decision based "
         "on Non-MTUS Citation Official Disability Guidelines (ODG) Hips & Pelvis Chapter, X-Ray.",
         "outside MTUS || ODG | Official Disability Guidelines |  | Hip & Pelvis | Radiography (x-rays) | "},
        {"ODG editions in printed order",
         "Decision based on Non-MTUS Citation Official Disability Guidelines, 2016, Web Version, Criteria for skilled "
         "nursing facility.",
         "outside MTUS || ODG | Official Disability Guidelines | 2016, Web Version |  | Criteria for skilled nursing "
         "facility | "},
        {"an ODG chapter restated and updated",
         "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back - Lumbar & Thoracic (Acute "
         "& Chronic) (updated 12/20/16), Manipulation.",
         "outside MTUS || ODG | Official Disability Guidelines | (updated 12/20/16) | Low Back | Manipulation | "},
        {"two guidelines in one sentence, ACOEM with edition and page",
         "Decision based on MTUS Low Back Complaints 2004, Section(s): Summary. Decision based on Non-MTUS Citation "
         "ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607.",
         "MTUS || MTUS | Low Back Complaints | 2004 |  | Summary | "
         " || ACOEM | ACOEM Occupational Medicine Practice Guidelines | 3rd ed | Low Back Disorders |  | 607"},
        {"URLs and other evidence are source other",
         "Decision based on Non-MTUS Citation http://www.drugs.com/famotidine.html, Sildenafil: Drug information, "
         "accessed from UpToDate.com on 12/17/2016.",
         "outside MTUS || other | http://www.drugs.com/famotidine.html |  |  |  |  || other | Sildenafil: Drug "
         "information, accessed from UpToDate.com on 12/17/2016 |  |  |  | "},
        {"nothing cited is a basis, never a guideline",
         "The Claims Administrator did not cite any medical evidence for its decision.", "none cited"},
        {"an older layout's clause keeps its topics and pages",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma), page 29.",
         "MTUS || MTUS | Chronic Pain Medical Treatment |  |  | Carisoprodol (Soma) | 29"},
        {"the CCR by its section", "Decision based on Non-MTUS Citation 8 CCR 9792.24.2, California Code of Regulations.",
         "outside MTUS || CCR | California Code of Regulations |  |  | 9792.24.2 | "},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        CHECK(describe(reader.read(row.text)) == row.expected);
    }
}
