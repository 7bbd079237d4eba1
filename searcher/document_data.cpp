// Reading what the index stores of a document (document_data.h).
#include "document_data.h"

#include "letter_json.h"

namespace imr::document_data {

std::optional<std::string> optional_string(const nlohmann::json& data, const char* key) {
    auto it = data.find(key);
    if (it == data.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}
std::string string_of(const nlohmann::json& data, const char* key) { return optional_string(data, key).value_or(""); }
std::vector<std::string> strings_of(const nlohmann::json& data, const char* key) {
    std::vector<std::string> out;
    auto it = data.find(key);
    if (it == data.end() || !it->is_array()) return out;
    for (const auto& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}
int int_of(const nlohmann::json& data, const char* key, int fallback) {
    auto it = data.find(key);
    return it != data.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

// A document's data (schema::kSlotData); an empty object when it cannot be read, so that a
// damaged document costs its fields, not the search.
nlohmann::json parse_data(const Xapian::Document& doc, const LetterCodec& codec) {
    nlohmann::json data;
    try {
        data = nlohmann::json::parse(schema::document_data(doc, codec), nullptr, false);
    } catch (const LetterCodecError&) {
        return nlohmann::json::object();
    }
    if (!data.is_object()) return nlohmann::json::object();
    return data;
}

// A registry field's value in a document's data, of the JSON type its schema::Type promises
// (a damaged or older document gives the empty value of that type).
nlohmann::json field_value(const nlohmann::json& data, const schema::Field& field) {
    const std::string key(field.data);
    switch (field.type) {
    case schema::Type::Text: return string_of(data, key.c_str());
    case schema::Type::List: return strings_of(data, key.c_str());
    case schema::Type::Date: {
        const auto value = optional_string(data, key.c_str());
        return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    }
    case schema::Type::Number: {
        auto it = data.find(key);
        return it != data.end() && it->is_number_integer() ? nlohmann::json(it->get<int>()) : nlohmann::json(nullptr);
    }
    }
    return nullptr;
}

// The stored fields of `level` (schema::kFields) into `out`, by their data keys.
void copy_fields(const nlohmann::json& data, schema::Level level, nlohmann::json& out) {
    for (const auto& field : schema::kFields)
        if (field.level == level && !field.data.empty()) out[std::string(field.data)] = field_value(data, field);
}

Hit hit_from(const nlohmann::json& data) {
    Hit hit;
    hit.id = string_of(data, "id");
    hit.letter_id = string_of(data, "letter_id");
    hit.file = string_of(data, "file");
    for (const schema::Field* field : schema::fields_with(schema::kColumn)) hit.fields[std::string(field->data)] = field_value(data, *field);
    return hit;
}

// The stored letter of a letter document (schema::kSlotLetter); an empty letter when it is absent
// or cannot be read, so that a damaged letter costs its snippets, not the search.
Letter stored_letter(const Xapian::Document& letter_doc, const LetterCodec& codec) {
    Letter letter;
    const std::string frame = letter_doc.get_value(schema::kSlotLetter);
    if (frame.empty()) return letter;
    try {
        from_json(nlohmann::json::parse(codec.decompress(frame)), letter);
    } catch (const LetterCodecError&) {
        return Letter{};
    } catch (const nlohmann::json::exception&) {
        return Letter{};
    }
    return letter;
}

}  // namespace imr::document_data
