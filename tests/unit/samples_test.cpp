// The project's sample letters (data/samples) yield exactly the facts listed in expected.jsonl.
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

std::string text_or_empty(const json& j) { return j.is_null() ? "" : j.get<std::string>(); }

std::string date_or_empty(const std::optional<imr::Date>& d) { return d ? d->iso() : ""; }

std::vector<std::string> sources_of(const imr::Determination& d) {
    std::vector<std::string> sources;
    for (const auto& c : d.citations)
        if (std::find(sources.begin(), sources.end(), c.source) == sources.end()) sources.push_back(c.source);
    std::sort(sources.begin(), sources.end());
    return sources;
}

}  // namespace

TEST_CASE("every sample letter yields its expected facts") {
    const auto samples = imr::test::source_dir() / "data" / "samples";
    std::ifstream expected_file(samples / "expected.jsonl");
    if (!expected_file) {
        MESSAGE("data/samples/expected.jsonl does not exist yet; skipping");
        return;
    }
    const auto lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Parser parser(lexicon);

    std::string line;
    std::size_t letters = 0;
    while (std::getline(expected_file, line)) {
        if (line.empty()) continue;
        const json expected = json::parse(line);
        const std::string file = expected.at("file");
        ++letters;
        SUBCASE(file.c_str()) {
            imr::Letter letter = parser.parse_file(samples / file);
            CHECK(imr::to_string(letter.layout) == expected.at("layout").get<std::string>());
            CHECK(letter.encoding == expected.at("encoding").get<std::string>());
            CHECK(letter.case_number == text_or_empty(expected["case_number"]));
            CHECK(date_or_empty(letter.injury_date) == text_or_empty(expected["injury_date"]));
            CHECK(date_or_empty(letter.ur_denial_date) == text_or_empty(expected["ur_denial_date"]));
            CHECK(date_or_empty(letter.assigned_date) == text_or_empty(expected["assigned_date"]));
            CHECK(date_or_empty(letter.decision_date) == text_or_empty(expected["decision_date"]));
            CHECK(letter.age.value_or(-1) == (expected["age"].is_null() ? -1 : expected["age"].get<int>()));
            CHECK(letter.sex == text_or_empty(expected["sex"]));
            CHECK(letter.specialties == expected.at("specialties").get<std::vector<std::string>>());
            CHECK(letter.states == expected.at("states").get<std::vector<std::string>>());
            CHECK(letter.flags == expected.at("flags").get<std::vector<std::string>>());

            const json& determinations = expected.at("determinations");
            REQUIRE(letter.determinations.size() == determinations.size());
            for (std::size_t n = 0; n < determinations.size(); ++n) {
                const json& e = determinations[n];
                const imr::Determination& d = letter.determinations[n];
                CAPTURE(n);
                CHECK(d.item == e.at("item").get<std::string>());
                CHECK(imr::to_string(d.outcome) == e.at("decision").get<std::string>());
                CHECK((d.drug ? d.drug->generic : "") == text_or_empty(e["drug"]));
                CHECK((d.drug ? d.drug->drug_class : "") == text_or_empty(e["drug_class"]));
                CHECK(d.category == e.at("category").get<std::string>());
                auto expected_sources = e.at("guideline_sources").get<std::vector<std::string>>();
                std::sort(expected_sources.begin(), expected_sources.end());
                CHECK(sources_of(d) == expected_sources);
            }
        }
    }
    CHECK(letters >= 30);
}
