// Reading what the index stores of a document: its data (schema::kSlotData) as JSON, a registry
// field's value in it, a hit's columns, and a letter document's stored letter. A damaged or older
// document gives empty values, never an exception: it costs its fields, not the search.
#pragma once

#include "engine.h"
#include "letter.h"
#include "letter_codec.h"
#include "schema.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

namespace imr::document_data {

// A key's string, or nullopt when it is missing or not a string.
std::optional<std::string> optional_string(const nlohmann::json& data, const char* key);
// A key's string; "" when it is missing or not a string.
std::string string_of(const nlohmann::json& data, const char* key);
// A key's strings; the elements that are not strings are left out.
std::vector<std::string> strings_of(const nlohmann::json& data, const char* key);
// A key's integer, or `fallback`.
int int_of(const nlohmann::json& data, const char* key, int fallback);

// A document's data; an empty object when it cannot be read.
nlohmann::json parse_data(const Xapian::Document& doc, const LetterCodec& codec);
// A registry field's value in a document's data, of the JSON type its schema::Type promises.
nlohmann::json field_value(const nlohmann::json& data, const schema::Field& field);
// The stored fields of `level` (schema::kFields) into `out`, by their data keys.
void copy_fields(const nlohmann::json& data, schema::Level level, nlohmann::json& out);
// A hit's id, letter id, file and column fields (schema::kColumn), without its snippet.
Hit hit_from(const nlohmann::json& data);
// The stored letter of a letter document (schema::kSlotLetter); an empty letter when it is absent
// or cannot be read.
Letter stored_letter(const Xapian::Document& letter_doc, const LetterCodec& codec);

}  // namespace imr::document_data
