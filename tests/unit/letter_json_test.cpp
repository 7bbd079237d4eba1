// Unit tests of the JSON form of the letter model: round trips, nulls, compact slices, bad input.
#include "json_text.h"
#include "letter_json.h"
#include "lexicon.h"
#include "parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

namespace {

using nlohmann::json;

imr::Letter sample_letter() {
    imr::Letter l;
    l.source = "letters/001.txt";
    l.layout = imr::Layout::Maximus2013;
    l.encoding = "windows-1252";
    l.case_number = "CM13-0001234";
    l.injury_date = imr::Date{2011, 4, 28};
    l.decision_date = imr::Date{2013, 12, 17};
    l.age = 53;
    l.sex = "female";
    l.specialties = {"Anesthesiology", "Pain Management"};
    l.states = {"California"};
    l.text = "HEADER\nSUMMARY\nA 53 year old female.\nDECISIONS\nSoma: Upheld\nNot for long-term use.";
    l.sections = {{"summary", "SUMMARY", 15, "A 53 year old female."}, {"decisions", "DECISIONS", 47, "Soma: Upheld\nNot for long-term use."}};
    imr::Determination d;
    d.item = "Soma";
    d.outcome = imr::Outcome::Upheld;
    d.drug = imr::Drug{"carisoprodol", {"carisoprodol"}, "Soma", "muscle relaxant"};
    d.category = "medication";
    d.citations = {{"MTUS", "Carisoprodol (Soma)", "29"}};
    d.guidelines = "MAXIMUS guideline: Decision based on MTUS Carisoprodol, page 29.";
    d.rationale = "Not for long-term use.";
    d.rationale_offset = 60;
    d.printed = {{47, 82}};
    imr::Determination unknown;
    unknown.item = "Norco";
    unknown.outcome = imr::Outcome::Unknown;
    unknown.unknown_reason = "no Upheld or Overturned after the item";
    unknown.category = "medication";
    l.determinations = {d, unknown};
    l.flags = {"outcome-unreadable"};
    return l;
}

void check_same(const imr::Letter& a, const imr::Letter& b) {
    CHECK(a.source == b.source);
    CHECK(a.layout == b.layout);
    CHECK(a.encoding == b.encoding);
    CHECK(a.case_number == b.case_number);
    CHECK(a.injury_date == b.injury_date);
    CHECK(a.ur_denial_date == b.ur_denial_date);
    CHECK(a.assigned_date == b.assigned_date);
    CHECK(a.decision_date == b.decision_date);
    CHECK(a.age == b.age);
    CHECK(a.sex == b.sex);
    CHECK(a.specialties == b.specialties);
    CHECK(a.states == b.states);
    CHECK(a.text == b.text);
    REQUIRE(a.sections.size() == b.sections.size());
    for (std::size_t n = 0; n < a.sections.size(); ++n) {
        CHECK(a.sections[n].name == b.sections[n].name);
        CHECK(a.sections[n].heading == b.sections[n].heading);
        CHECK(a.sections[n].offset == b.sections[n].offset);
        CHECK(a.sections[n].text == b.sections[n].text);
    }
    REQUIRE(a.determinations.size() == b.determinations.size());
    for (std::size_t n = 0; n < a.determinations.size(); ++n) {
        const auto& x = a.determinations[n];
        const auto& y = b.determinations[n];
        CHECK(x.item == y.item);
        CHECK(x.outcome == y.outcome);
        CHECK(x.unknown_reason == y.unknown_reason);
        CHECK(x.drug.has_value() == y.drug.has_value());
        if (x.drug && y.drug) {
            CHECK(x.drug->generic == y.drug->generic);
            CHECK(x.drug->ingredients == y.drug->ingredients);
            CHECK(x.drug->brand == y.drug->brand);
            CHECK(x.drug->drug_class == y.drug->drug_class);
        }
        CHECK(x.category == y.category);
        CHECK(x.citations == y.citations);
        CHECK(x.guidelines == y.guidelines);
        CHECK(x.rationale == y.rationale);
        CHECK(x.rationale_offset == y.rationale_offset);
        CHECK(x.guidelines_offset == y.guidelines_offset);
        CHECK(x.printed == y.printed);
    }
    CHECK(a.flags == b.flags);
}

}  // namespace

TEST_CASE("a letter survives a JSON round trip") {
    const imr::Letter letter = sample_letter();
    REQUIRE(letter.text.substr(15, 21) == "A 53 year old female.");
    REQUIRE(letter.text.substr(60, 22) == "Not for long-term use.");
    json j = letter;
    imr::Letter back = json::parse(j.dump()).get<imr::Letter>();
    check_same(letter, back);
}

TEST_CASE("letter JSON fields") {
    json j = sample_letter();
    SUBCASE("dates are ISO strings or null") {
        CHECK(j["injury_date"] == "2011-04-28");
        CHECK(j["decision_date"] == "2013-12-17");
        CHECK(j["ur_denial_date"].is_null());
        CHECK(j["assigned_date"].is_null());
    }
    SUBCASE("names of layout and outcomes") {
        CHECK(j["layout"] == "Maximus2013");
        CHECK(j["determinations"][0]["outcome"] == "Upheld");
        CHECK(j["determinations"][1]["outcome"] == "Unknown");
    }
    SUBCASE("a missing drug and age are null") {
        CHECK(j["determinations"][1]["drug"].is_null());
        imr::Letter no_age = sample_letter();
        no_age.age.reset();
        CHECK(json(no_age)["age"].is_null());
    }
    SUBCASE("slices of the text are stored as offset and length") {
        CHECK_FALSE(j["sections"][0].contains("text"));
        CHECK(j["sections"][0]["length"] == 21);
        CHECK_FALSE(j["determinations"][0].contains("rationale"));
        CHECK(j["determinations"][0]["rationale_length"] == 22);
    }
    SUBCASE("a section that is not a slice keeps its text") {
        imr::Letter odd = sample_letter();
        odd.sections[0].text = "something else";
        json k = odd;
        CHECK(k["sections"][0]["text"] == "something else");
        CHECK(k.get<imr::Letter>().sections[0].text == "something else");
    }
    SUBCASE("parts converted alone carry their text") {
        json s = sample_letter().sections[0];
        CHECK(s["text"] == "A 53 year old female.");
        json d = sample_letter().determinations[0];
        CHECK(d["rationale"] == "Not for long-term use.");
        CHECK(d.get<imr::Determination>().rationale == "Not for long-term use.");
    }
}

TEST_CASE("bad letter JSON is refused") {
    struct Case {
        const char* name;
        const char* field;
        json value;
        const char* message_part;
    };
    const Case cases[] = {
        {"a date that is not ISO", "injury_date", "04/28/2011", "invalid date (expected \"YYYY-MM-DD\"): \"04/28/2011\""},
        {"an impossible date", "decision_date", "2015-02-30", "invalid date (expected \"YYYY-MM-DD\"): \"2015-02-30\""},
        {"an unknown layout", "layout", "Fancy", "invalid layout: \"Fancy\""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            json j = sample_letter();
            j[c.field] = c.value;
            try {
                (void)j.get<imr::Letter>();
                FAIL("accepted " << c.value.dump());
            } catch (const json::exception& e) {
                CHECK(std::string(e.what()).find(c.message_part) != std::string::npos);
            }
        }
    }
    SUBCASE("a slice outside the text") {
        json j = sample_letter();
        j["sections"][1]["length"] = 1000;
        CHECK_THROWS_AS((void)j.get<imr::Letter>(), json::out_of_range);
    }
    SUBCASE("a missing text") {
        json j = sample_letter();
        j.erase("text");
        CHECK_THROWS_AS((void)j.get<imr::Letter>(), json::out_of_range);
    }
}

TEST_CASE("name parsers") {
    CHECK(imr::date_from_iso("2014-12-04") == imr::Date{2014, 12, 4});
    CHECK_FALSE(imr::date_from_iso("2014-13-04").has_value());
    CHECK_FALSE(imr::date_from_iso("2014-1-04").has_value());
    CHECK(imr::layout_from_string("ProfessionalReview") == imr::Layout::ProfessionalReview);
    CHECK_FALSE(imr::layout_from_string("standard").has_value());
    CHECK(imr::outcome_from_string("overturned") == imr::Outcome::Overturned);
    CHECK(imr::outcome_from_string("UPHELD") == imr::Outcome::Upheld);
    CHECK_FALSE(imr::outcome_from_string("denied").has_value());
}

TEST_CASE("letter JSON written directly is what dump() writes") {
    SUBCASE("the sample letter") {
        const imr::Letter letter = sample_letter();
        CHECK(imr::letter_json_text(letter) == json(letter).dump());
    }
    SUBCASE("every part a letter may have or lack") {
        imr::Letter letter = sample_letter();
        letter.age.reset();
        letter.injury_date.reset();
        letter.ur_denial_date = imr::Date{2013, 1, 2};
        letter.assigned_date = imr::Date{2013, 2, 3};
        letter.application_received = imr::Date{2013, 3, 4};
        letter.priority = "Expedited";
        letter.sections.push_back({"guidelines", "GUIDELINES", 3, "not a slice"});
        auto& d = letter.determinations.front();
        d.original_request = "Soma 350 mg #60";
        d.authorized = "Soma 350 mg #30";
        d.citations.push_back({"ODG", "Carisoprodol", "", "Official Disability Guidelines", "(updated 11/23/16)", "Pain"});
        d.basis = imr::Basis::Mtus;
        d.claims_citations = {{"MTUS", "", "", "Chronic Pain Medical Treatment", "2016", ""}};
        d.claims_basis = imr::Basis::OutsideMtus;
        letter.determinations.back().rationale = "not a slice either";
        letter.determinations.push_back({});
        CHECK(imr::letter_json_text(letter) == json(letter).dump());
    }
    SUBCASE("escapes and UTF-8") {
        imr::Letter letter = sample_letter();
        letter.text = std::string("quote \" backslash \\ tab\t nl\n cr\r ff\f bs\b nul") + '\0' +
                      "\x01\x1f\x7f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xed\x9f\xbf \xf4\x8f\xbf\xbf /";
        letter.case_number = "\xc2\x80";
        CHECK(imr::letter_json_text(letter) == json(letter).dump());
    }
    SUBCASE("invalid UTF-8 throws what dump() throws") {
        for (std::string bad : {"\x80", "a\xc1\xbf", "\xc3", "\xe0\x9f\x80", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf",
                                "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "ok \xe2\x82", "\xff"}) {
            imr::Letter letter = sample_letter();
            letter.text = bad;
            std::string expected, got;
            try {
                (void)json(letter).dump();
            } catch (const json::type_error& e) {
                expected = e.what();
            }
            try {
                (void)imr::letter_json_text(letter);
            } catch (const json::type_error& e) {
                got = e.what();
            }
            CHECK(!expected.empty());
            CHECK(got == expected);
        }
    }
    SUBCASE("the project's sample letters") {
        const auto letters = imr::test::source_dir() / "data" / "samples" / "letters";
        const auto lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
        const imr::Parser parser(lexicon);
        std::size_t n = 0;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(letters)) {
            if (!entry.is_regular_file()) continue;
            const imr::Letter letter = parser.parse_file(entry.path());
            CHECK(imr::letter_json_text(letter) == json(letter).dump());
            ++n;
        }
        CHECK(n > 0);
    }
}

TEST_CASE("any JSON value written directly is what dump() writes") {
    const json values = json::parse(R"([null, true, false, 0, -7, 18446744073709551615, "x\u0001\"",
        [], {}, [1, "a", [null]], {"b": 1, "a": {"c": [true]}, "\u00e9": "\u20ac"}])");
    for (const auto& v : values) {
        std::string out;
        imr::json_text::append(out, v);
        CHECK(out == v.dump());
    }
    std::string whole;
    imr::json_text::append(whole, values);
    CHECK(whole == values.dump());
}
