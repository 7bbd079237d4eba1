// Unit tests of guideline citations: page references, sources, guideline names, topics, de-duplication.
#include "citations.h"
#include "lexicon.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <string>

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return lex;
}

const imr::TopicIndex& topics() {
    static const imr::TopicIndex index(lexicon());
    return index;
}

std::string describe(const std::vector<imr::Citation>& citations) {
    std::string out;
    for (const auto& c : citations) out += (out.empty() ? "" : " || ") + c.source + " | " + c.topic + " | " + c.pages;
    return out;
}

}  // namespace

TEST_CASE("page_ref_at") {
    struct Case {
        const char* text;
        std::string pages;  // "" when no page reference
        std::size_t end;
    };
    const Case cases[] = {
        {"Page(s): 29, 63-66.", "29, 63-66", 18},
        {"Page(s): 29; 65.", "29, 65", 15},
        {"page 29 Muscle relaxants", "29", 7},
        {"page 29Muscle relaxants", "29", 7},
        {"pages 303-304", "303-304", 13},
        {"pp. 3-4", "3-4", 7},
        {"Page(s): 43, and on the Official Disability Guidelines", "43", 11},
        {"pages 12 and 14", "12, 14", 15},
        {"pager 5", "", 0},
        {"page one", "", 0},
        {"Page(s):", "", 0},
        {"page 29mg", "", 0},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            auto ref = imr::page_ref_at(c.text, 0);
            CHECK(ref.has_value() == !c.pages.empty());
            if (ref) {
                CHECK(ref->pages == c.pages);
                CHECK(ref->end == c.end);
            }
        }
    }
}

TEST_CASE("parse_citations") {
    struct Case {
        const char* name;
        const char* text;
        std::string citations;
    };
    const Case cases[] = {
        {"topics glued after page numbers",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma), page 29 Muscle relaxants (for "
         "pain), page 64.",
         "MTUS | Carisoprodol (Soma) | 29 || MTUS | Muscle relaxants (for pain) | 64"},
        {"two topics side by side share a page list",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma) Muscle relaxants (for pain) "
         "Page(s): 29, 63-66.",
         "MTUS | Carisoprodol (Soma) | 29 || MTUS | Muscle relaxants (for pain) | 63-66"},
        {"three sources, the last without a Decision based on",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Muscle Relaxants (for pain) Page(s): 63-64.  "
         "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain, Muscle relaxants (for pain) "
         "Other Medical Treatment Guideline or Medical Evidence: Title 8, California Code of Regulations, section "
         "9792.20",
         "MTUS | Muscle relaxants (for pain) | 63-64 || ODG | Muscle relaxants (for pain) |  || CCR | Title 8, "
         "California Code of Regulations, section 9792.20 | "},
        {"a page list after a second topic with its own page",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Muscle relaxants (for pain); and MTUS Definitions, "
         "page 1 Page(s): 63-64.",
         "MTUS | Muscle relaxants (for pain) | 63-64 || MTUS | Definitions | 1"},
        {"the same topic twice is one citation",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma); Carisoprodol (Soma, Soprodal "
         "350TM, Vanadom, generic available) Page(s): 29; 65.",
         "MTUS | Carisoprodol (Soma) | 29, 65"},
        {"a source without a topic", "Decision based on MTUS Chronic Pain Treatment Guidelines Page(s): 29, 65.",
         "MTUS |  | 29, 65"},
        {"a topic the lexicon does not know keeps its words",
         "Decision based on Official Disability Guidelines (ODG) Low Back, Inversion therapy.",
         "ODG | Low Back, Inversion therapy | "},
        {"an ACOEM chapter and its section stay one citation",
         "Decision based on American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004) "
         "Chapter 12 Low Back Complaints, Special Studies Page(s): 303-304.",
         "ACOEM | Low Back Complaints, Special Studies and Diagnostic and Treatment Considerations | 303-304"},
        {"MTUS ACOEM is ACOEM",
         "Decision based on MTUS ACOEM Practice Guidelines Chapter 7 Independent Medical Examinations and "
         "Consultations, page 127.",
         "ACOEM | Independent Medical Examinations and Consultations | 127"},
        {"two sources in one 2013 sentence",
         "the California MTUS, Chronic Pain Medical Treatment Guidelines (2009), Drug testing Page(s): 43, and on the "
         "Official Disability Guidelines (ODG), Pain (Chronic), Urine drug testing (UDT).",
         "MTUS | Drug testing | 43 || ODG | Urine drug testing (UDT) | "},
        {"no guideline named", "Decision based on the treating physician's notes.", ""},
        {"empty", "", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(describe(imr::parse_citations(c.text, lexicon(), topics())) == c.citations); }
    }
}

TEST_CASE("TopicIndex") {
    SUBCASE("finds every topic of one source, longest first, with a closing parenthesis") {
        std::string text = "Carisoprodol (Soma) Muscle relaxants (for pain) and Opioids";
        auto mentions = topics().find("MTUS", text);
        REQUIRE(mentions.size() == 3);
        CHECK(*mentions[0].topic == "Carisoprodol (Soma)");
        CHECK(text.substr(mentions[0].begin, mentions[0].end - mentions[0].begin) == "Carisoprodol (Soma)");
        CHECK(*mentions[1].topic == "Muscle relaxants (for pain)");
        CHECK(*mentions[2].topic == "Opioids, criteria for use");
    }
    SUBCASE("topics of another source are not found") {
        CHECK(topics().find("CCR", "Carisoprodol (Soma)").empty());
        CHECK(topics().find("NOSUCH", "Carisoprodol (Soma)").empty());
    }
    SUBCASE("normalize") {
        CHECK(topics().normalize("ODG", "Pain (Chronic), Zolpidem (Ambien)") == "Zolpidem (Ambien)");
        CHECK(topics().normalize("MTUS", "Muscle Relaxants (for pain)") == "Muscle relaxants (for pain)");
        CHECK(topics().normalize("ODG", "Pain (Chronic), Physical Medicine") == "painchronicphysicalmedicine");
    }
    SUBCASE("topic_starts_at") {
        std::string text = "Guidelines Chapter 12 Low Back";
        CHECK(topics().topic_starts_at("ACOEM", text, 11));
        CHECK_FALSE(topics().topic_starts_at("ACOEM", text, 0));
    }
}
