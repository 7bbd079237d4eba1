// CSV records of search hits and stats rows, shared by `imr-search --format csv` and GET /api/search.csv.
#pragma once

#include "engine.h"

#include <string>
#include <string_view>
#include <vector>

namespace imr {

// One RFC 4180 record ending in CRLF. A cell starting with = + - @ (or a tab or CR) gets a leading
// apostrophe so that a spreadsheet shows it rather than running it as a formula.
std::string csv_record(const std::vector<std::string>& fields);

// The header record naming the hit columns (schema::columns(), then id, letter_id, file, score),
// then one record per hit. Lists (guidelines, specialties, states) are joined with "; ".
std::string csv_hit_header();
std::string csv_hit_row(const Hit& hit);

}  // namespace imr
