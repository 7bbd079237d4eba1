// The rows of the CSV export (GET /api/search.csv): one record per determination, for spreadsheets.
#pragma once

#include <string>

#include "engine.h"

namespace imr::web {

// The columns of the command line's CSV (imr-search --format csv). The header line naming them, then one RFC 4180 record per hit (CRLF line ends). Lists
// (guidelines, specialties, states) are joined with "; ". A cell starting with = + - @ gets a
// leading apostrophe so that a spreadsheet shows it rather than running it as a formula.
std::string csv_header();
std::string csv_row(const Hit& hit);

}  // namespace imr::web
