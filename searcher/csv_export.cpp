// CSV records with the quoting spreadsheets expect.
#include "csv_export.h"

#include "schema.h"
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

// A hit column as one cell: text as it is, lists joined with "; ", numbers written out, null empty.
std::string csv_cell(const nlohmann::json& fields, const std::string& key) {
    auto it = fields.find(key);
    if (it == fields.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_array()) {
        std::vector<std::string> values;
        for (const auto& v : *it)
            if (v.is_string()) values.push_back(v.get<std::string>());
        return scan::join(values, "; ");
    }
    return it->dump();
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
    std::vector<std::string> header;
    for (const schema::Field* column : schema::columns()) header.emplace_back(column->data);
    for (const char* fixed : {"id", "letter_id", "file", "score"}) header.emplace_back(fixed);
    return csv_record(header);
}

std::string csv_hit_row(const Hit& hit) {
    std::vector<std::string> row;
    for (const schema::Field* column : schema::columns()) row.push_back(csv_cell(hit.fields, std::string(column->data)));
    std::ostringstream score;
    score << hit.score;
    for (std::string fixed : {hit.id, hit.letter_id, hit.file, score.str()}) row.push_back(std::move(fixed));
    return csv_record(row);
}

}  // namespace imr
