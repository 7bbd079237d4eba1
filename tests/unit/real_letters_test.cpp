// The published PDFs in ../shared/real-letters read right: every field of the letters whose facts
// were checked by hand (tests/data/real_letters/expected.json), and over all of them, every header
// date, no item name that looks cut, and one determination per decision line. Skipped without
// ../shared.
#include "citation_keys.h"
#include "guideline_paragraph.h"
#include "letter_audit.h"
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"
#include "text_scan.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path letters_dir() { return imr::test::shared_dir() / "real-letters"; }

const imr::Lexicon& lexicon() {
    static const imr::Lexicon l = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return l;
}
const imr::TopicIndex& topics() {
    static const imr::TopicIndex t(lexicon());
    return t;
}
const imr::CitationReader& reader() {
    static const imr::CitationReader r(lexicon(), topics());
    return r;
}
const imr::Parser& parser() {
    static const imr::Parser p(lexicon());
    return p;
}

const imr::test::CitationKeys& keys() {
    static const imr::test::CitationKeys k(reader(), topics());
    return k;
}

// One line per citation, so that a failed check prints both lists.
std::string expected_citations(const json& list) {
    std::string out;
    for (const auto& c : list)
        out += keys().key(c.at("source"), c.at("document"), c.at("edition"), c.at("chapter"), c.at("section"),
                          c.at("pages")) + "\n";
    return out;
}

std::string parsed_citations(const std::vector<imr::Citation>& list) {
    std::string out;
    for (const auto& c : list) out += keys().key(c) + "\n";
    return out;
}

std::string str(const json& j) { return j.is_null() ? "" : j.is_string() ? j.get<std::string>() : j.dump(); }
std::string iso(const std::optional<imr::Date>& d) { return d ? d->iso() : ""; }

std::string canonical_specialties(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += lexicon().canonical_specialty(n).value_or(n) + "; ";
    return out;
}

}  // namespace

TEST_CASE("real letters: every hand-checked fact of every item") {
    if (!fs::is_directory(letters_dir())) {
        MESSAGE("skipped: " << letters_dir() << " is missing");
        return;
    }
    const json facts = json::parse(imr::test::read_file(imr::test::source_dir() / "tests/data/real_letters/expected.json"));
    REQUIRE(facts.at("letters").size() >= 30);
    std::size_t items = 0;
    for (const json& e : facts.at("letters")) {
        const std::string file = e.at("file");
        CAPTURE(file);
        imr::Letter l = parser().parse_file(letters_dir() / file);
        CHECK(l.case_number == str(e["case_number"]));
        CHECK(iso(l.assigned_date) == str(e["date_assigned"]));
        CHECK(iso(l.decision_date) == str(e["decision_date"]));
        CHECK(iso(l.injury_date) == str(e["injury_date"]));
        CHECK(iso(l.ur_denial_date) == str(e["ur_denial_date"]));
        CHECK(iso(l.application_received) == str(e["application_received"]));
        CHECK(l.priority == str(e["priority"]));
        CHECK((l.age ? std::to_string(*l.age) : "") == str(e["age"]));
        CHECK(l.sex == str(e["sex"]));
        CHECK(imr::scan::join(l.states, ", ") == imr::scan::join(e.at("states").get<std::vector<std::string>>(), ", "));
        CHECK(canonical_specialties(l.specialties) == canonical_specialties(e.at("specialties")));
        REQUIRE(l.determinations.size() == e.at("items").size());
        CHECK(l.determinations.size() == e.at("decision_lines").get<std::size_t>());
        for (std::size_t n = 0; n < l.determinations.size(); ++n) {
            const json& it = e.at("items")[n];
            const imr::Determination& d = l.determinations[n];
            CAPTURE(n);
            ++items;
            CHECK(d.item == str(it["item"]));
            CHECK(imr::to_string(d.outcome) == str(it["decision"]));
            CHECK(d.original_request == str(it["original_request"]));
            CHECK(d.authorized == str(it["authorized"]));
            CHECK(imr::to_string(d.basis) == str(it["basis"]));
            CHECK(imr::to_string(d.claims_basis) == str(it["ca_basis"]));
            CHECK((d.claims_basis != imr::Basis::NoneCited) == it.at("ca_cited").get<bool>());
            CHECK(parsed_citations(d.citations) == expected_citations(it.at("guidelines")));
            CHECK(parsed_citations(d.claims_citations) == expected_citations(it.at("ca_guidelines")));
        }
    }
    MESSAGE(facts.at("letters").size() << " letters, " << items << " items compared");
}

TEST_CASE("real letters: all of them have their dates, whole item names and every decision") {
    if (!fs::is_directory(letters_dir())) {
        MESSAGE("skipped: " << letters_dir() << " is missing");
        return;
    }
    std::size_t letters = 0, determinations = 0;
    for (const auto& entry : fs::directory_iterator(letters_dir())) {
        if (entry.path().extension() != ".pdf") continue;
        const std::string file = entry.path().filename().string();
        CAPTURE(file);
        imr::Letter l = parser().parse_file(entry.path());
        ++letters;
        CHECK(l.decision_date.has_value());
        CHECK(l.injury_date.has_value());
        CHECK(l.ur_denial_date.has_value());
        CHECK(l.assigned_date.has_value());
        CHECK(l.application_received.has_value());
        CHECK(!l.case_number.empty());
        // Every determination has its reviewer's guideline paragraph: as many as the letter prints.
        std::size_t labels = 0;
        for (std::size_t at = l.text.find("MAXIMUS guideline:"); at != std::string::npos;
             at = l.text.find("MAXIMUS guideline:", at + 1))
            ++labels;
        CHECK(l.determinations.size() == labels);
        for (const auto& d : l.determinations) {
            ++determinations;
            CAPTURE(d.item);
            CHECK(imr::item_name_problem(d.item).empty());
            CHECK(d.outcome != imr::Outcome::Unknown);
        }
    }
    CHECK(letters == 135);
    MESSAGE(letters << " letters, " << determinations << " determinations");
}
