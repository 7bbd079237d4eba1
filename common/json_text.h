// JSON text appended straight to a string, byte for byte as nlohmann::json::dump() writes the same
// values (no spaces, UTF-8 kept, control characters escaped), without building a JSON tree first.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace imr::json_text {

// A quoted, escaped string. Invalid UTF-8 throws what dump() throws (nlohmann type_error 316).
void append_string(std::string& out, std::string_view s);

// `"key":` for a key that needs no escaping (the caller's own ASCII names).
inline void append_key(std::string& out, std::string_view key) {
    out += '"';
    out += key;
    out += "\":";
}

void append_number(std::string& out, std::uint64_t n);
void append_number(std::string& out, std::int64_t n);

// Any JSON value, as value.dump() writes it.
void append(std::string& out, const nlohmann::json& value);

}  // namespace imr::json_text
