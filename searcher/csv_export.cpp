// CSV records with the quoting spreadsheets expect.
#include "csv_export.h"

#include "text_scan.h"

#include <sstream>

namespace imr {
namespace {

void append_field(std::string& out, std::string_view value) {
    std::string cell;
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) cell = "'";
    cell += value;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
        out += cell;
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

std::string csv_record(const std::vector<std::string>& fields) {
    std::string record;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) record += ',';
        append_field(record, fields[i]);
    }
    record += "\r\n";
    return record;
}

std::string csv_hit_header() {
    return csv_record({"case_number", "decision", "item", "drug", "drug_class", "category", "guidelines",
                       "specialties", "states", "age", "sex", "injury_date", "ur_denial_date", "decision_date",
                       "id", "letter_id", "file", "score"});
}

std::string csv_hit_row(const Hit& hit) {
    std::ostringstream score;
    score << hit.score;
    return csv_record({hit.case_number, hit.decision, hit.item, hit.drug, hit.drug_class, hit.category,
                       scan::join(hit.guidelines, "; "), scan::join(hit.specialties, "; "), scan::join(hit.states, "; "),
                       hit.age ? std::to_string(*hit.age) : "", hit.sex, hit.injury_date.value_or(""),
                       hit.ur_denial_date.value_or(""), hit.decision_date.value_or(""), hit.id, hit.letter_id,
                       hit.file, score.str()});
}

}  // namespace imr
