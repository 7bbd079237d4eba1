// imr::document_data: what a search reads of a stored document, and the empty values a damaged one gives.
#include "document_data.h"

#include "letter_json.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace dd = imr::document_data;
using nlohmann::json;

TEST_CASE("document_data: a key's value of the type asked, else the empty value") {
    const json data = json::parse(R"({"s": "Soma", "n": 3, "f": 2.5, "list": ["a", 1, "b"], "null": null, "obj": {}})");
    struct Case {
        const char* key;
        std::string string;
        std::vector<std::string> strings;
        int integer;  // fallback -1
    };
    const Case cases[] = {
        {"s", "Soma", {}, -1},
        {"n", "", {}, 3},
        {"f", "", {}, -1},  // not an integer
        {"list", "", {"a", "b"}, -1},
        {"null", "", {}, -1},
        {"obj", "", {}, -1},
        {"missing", "", {}, -1},
    };
    for (const auto& c : cases) {
        SUBCASE(c.key) {
            CHECK(dd::string_of(data, c.key) == c.string);
            CHECK(dd::optional_string(data, c.key).has_value() == (std::string(c.key) == "s"));
            CHECK(dd::strings_of(data, c.key) == c.strings);
            CHECK(dd::int_of(data, c.key, -1) == c.integer);
        }
    }
}

TEST_CASE("document_data: a registry field's value has the JSON type its schema type promises") {
    const imr::schema::Field* text = nullptr;
    const imr::schema::Field* list = nullptr;
    const imr::schema::Field* date = nullptr;
    const imr::schema::Field* number = nullptr;
    for (const auto& f : imr::schema::kFields) {
        if (f.data.empty()) continue;
        const imr::schema::Field** slot = f.type == imr::schema::Type::Text   ? &text
                                          : f.type == imr::schema::Type::List ? &list
                                          : f.type == imr::schema::Type::Date ? &date
                                                                              : &number;
        if (!*slot) *slot = &f;
    }
    REQUIRE(text);
    REQUIRE(list);
    REQUIRE(date);
    REQUIRE(number);
    json good, wrong = json::object();
    good[std::string(text->data)] = "upheld";
    good[std::string(list->data)] = json::array({"MTUS", 7});
    good[std::string(date->data)] = "2015-03-02";
    good[std::string(number->data)] = 54;
    for (const auto* f : {text, list, date, number}) wrong[std::string(f->data)] = json::object();
    struct Case {
        const imr::schema::Field* field;
        json expected_good, expected_wrong;
    };
    const Case cases[] = {
        {text, "upheld", ""},
        {list, json::array({"MTUS"}), json::array()},
        {date, "2015-03-02", nullptr},
        {number, 54, nullptr},
    };
    for (const auto& c : cases) {
        SUBCASE(std::string(c.field->name).c_str()) {
            CHECK(dd::field_value(good, *c.field) == c.expected_good);
            CHECK(dd::field_value(wrong, *c.field) == c.expected_wrong);
            CHECK(dd::field_value(json::object(), *c.field) == c.expected_wrong);
        }
    }
    SUBCASE("copy_fields takes the fields of one level only") {
        json out = json::object();
        dd::copy_fields(good, text->level, out);
        CHECK(out.contains(std::string(text->data)));
        for (const auto& f : imr::schema::kFields)
            if (f.level != text->level && !f.data.empty()) CHECK_FALSE(out.contains(std::string(f.data)));
    }
}

TEST_CASE("document_data: documents and letters as stored, and damaged ones") {
    const imr::LetterCodec codec;
    imr::Letter letter;
    letter.case_number = "CM15-0000001";
    letter.text = "The patient was seen.";
    const std::string letter_json = json(letter).dump();

    Xapian::Document stored;
    stored.add_value(imr::schema::kSlotData, codec.compress(R"({"id": "L1/0", "letter_id": "L1", "file": "/a.txt"})"));
    stored.add_value(imr::schema::kSlotLetter, codec.compress(letter_json));
    Xapian::Document damaged;
    damaged.add_value(imr::schema::kSlotData, "not a frame");
    damaged.add_value(imr::schema::kSlotLetter, "not a frame");
    Xapian::Document not_json;
    not_json.add_value(imr::schema::kSlotData, codec.compress("[1, 2"));
    not_json.add_value(imr::schema::kSlotLetter, codec.compress("{\"text\": 5}"));
    const Xapian::Document empty;

    const json data = dd::parse_data(stored, codec);
    const imr::Hit hit = dd::hit_from(data);
    CHECK(hit.id == "L1/0");
    CHECK(hit.letter_id == "L1");
    CHECK(hit.file == "/a.txt");
    CHECK(dd::stored_letter(stored, codec).case_number == "CM15-0000001");
    CHECK(dd::stored_letter(stored, codec).text == "The patient was seen.");
    for (const Xapian::Document* doc : std::vector<const Xapian::Document*>{&damaged, &not_json, &empty}) {
        CHECK(dd::parse_data(*doc, codec) == json::object());
        CHECK(dd::hit_from(dd::parse_data(*doc, codec)).id.empty());
        CHECK(dd::stored_letter(*doc, codec).text.empty());
        CHECK(dd::stored_letter(*doc, codec).case_number.empty());
    }
}
