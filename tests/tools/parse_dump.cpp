// Developer tool: parses letter files (text or PDF) and prints each one's facts as one JSON line.
//
//   build/parse_dump ../shared/real-letters/*.pdf | python3 -m json.tool
//
// The letter's text and sections are left out unless --text is given. Exit status 1 when a file is
// rejected (named with the reason on stderr), 2 on a usage error.
#include "letter_json.h"
#include "lexicon.h"
#include "parser.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> files;
    bool with_text = false;
    CLI::App app{"Prints the facts the parser reads from letter files, one JSON object per line"};
    app.add_option("FILE", files, "Letter files")->required();
    app.add_flag("--text", with_text, "Keep the cleaned text and the sections");
    CLI11_PARSE(app, argc, argv);

    const auto lexicon = imr::Lexicon::load(imr::default_data_dir() / "lexicon");
    const imr::Parser parser(lexicon);
    int status = 0;
    for (const auto& file : files) {
        try {
            nlohmann::json j = parser.parse_file(file);
            if (!with_text) {
                j.erase("text");
                j.erase("sections");
                for (auto& d : j["determinations"]) d.erase("rationale");
            }
            std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } catch (const imr::RejectedLetter& e) {
            std::cerr << file << ": rejected: " << e.what() << "\n";
            status = 1;
        }
    }
    return status;
}
