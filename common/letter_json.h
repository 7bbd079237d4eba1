// JSON form of the letter model (nlohmann): document data in the index and the searcher's letter view.
#pragma once

#include "letter.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

// Dates are ISO strings ("2014-12-04"); a date that was not printed is null. Layouts and outcomes
// are their to_string() names. Inside a Letter, a section's text and a determination's rationale
// are not repeated: they are slices of Letter::text, written as offset + "length" and restored by
// from_json. Every part converted alone carries its own text.
void to_json(nlohmann::json& j, const Date& date);
void from_json(const nlohmann::json& j, Date& date);
void to_json(nlohmann::json& j, Layout layout);
void from_json(const nlohmann::json& j, Layout& layout);
void to_json(nlohmann::json& j, Outcome outcome);
void from_json(const nlohmann::json& j, Outcome& outcome);
void to_json(nlohmann::json& j, const Section& section);
void from_json(const nlohmann::json& j, Section& section);
void to_json(nlohmann::json& j, const Citation& citation);
void from_json(const nlohmann::json& j, Citation& citation);
void to_json(nlohmann::json& j, Basis basis);
void from_json(const nlohmann::json& j, Basis& basis);
void to_json(nlohmann::json& j, const Drug& drug);
void from_json(const nlohmann::json& j, Drug& drug);
void to_json(nlohmann::json& j, const Determination& determination);
void from_json(const nlohmann::json& j, Determination& determination);
void to_json(nlohmann::json& j, const Letter& letter);
void from_json(const nlohmann::json& j, Letter& letter);

// nlohmann::json(letter).dump(), written without building the JSON tree first (the indexer's
// stored letter).
std::string letter_json_text(const Letter& letter);
// nlohmann::json(citations).dump() appended to `out`, the same way.
void append_json_text(std::string& out, const std::vector<Citation>& citations);

// Parsing of the names used above; nullopt for anything else. Outcomes ignore case ("upheld").
std::optional<Date> date_from_iso(std::string_view iso);
std::optional<Layout> layout_from_string(std::string_view name);
std::optional<Outcome> outcome_from_string(std::string_view name);
std::optional<Basis> basis_from_string(std::string_view name);

}  // namespace imr
