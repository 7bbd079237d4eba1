// CSV records of hits, with the quoting spreadsheets expect.
#include "csv.h"

#include <sstream>
#include <string_view>
#include <vector>

namespace imr::web {
namespace {

// RFC 4180 field; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula.
void append_field(std::string& out, std::string_view value) {
    std::string cell;
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) cell = "'";
    cell += value;
    const bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
    if (!quote) {
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

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& value : values) out += (out.empty() ? "" : "; ") + value;
    return out;
}

}  // namespace

std::string csv_header() {
    return "case_number,decision,item,drug,drug_class,category,guidelines,specialties,states,age,sex,"
           "injury_date,ur_denial_date,decision_date,id,letter_id,file,score\r\n";
}

std::string csv_row(const Hit& hit) {
    std::ostringstream score;  // the same rendering as the command line's CSV
    score << hit.score;
    const std::string fields[] = {
        hit.case_number,
        hit.decision,
        hit.item,
        hit.drug,
        hit.drug_class,
        hit.category,
        joined(hit.guidelines),
        joined(hit.specialties),
        joined(hit.states),
        hit.age ? std::to_string(*hit.age) : "",
        hit.sex,
        hit.injury_date.value_or(""),
        hit.ur_denial_date.value_or(""),
        hit.decision_date.value_or(""),
        hit.id,
        hit.letter_id,
        hit.file,
        score.str(),
    };
    std::string row;
    for (std::size_t i = 0; i < std::size(fields); ++i) {
        if (i > 0) row += ',';
        append_field(row, fields[i]);
    }
    row += "\r\n";
    return row;
}

}  // namespace imr::web
