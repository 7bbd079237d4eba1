// Turns the bytes of a letter (text or PDF) into an imr::Letter, or rejects it with a reason.
#pragma once

#include "letter.h"
#include "lexicon.h"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace imr {

// The input is not a determination letter (empty, binary, a recipe, an unknown layout) or cannot
// be read. what() is the reason alone, e.g. "no IMR section headings found"; the caller names the file.
struct RejectedLetter : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Lookup tables derived from the lexicon (guideline topics), built once per Parser in parser.cpp.
struct ParserTables;
std::shared_ptr<const ParserTables> make_parser_tables(const Lexicon& lexicon);

class Parser {
public:
    explicit Parser(const Lexicon& lexicon) : lexicon_(lexicon) {}

    // Raw bytes of a text file in UTF-8 or Windows-1252, or of a PDF (detected by its %PDF- magic).
    Letter parse(std::string_view bytes, const std::string& source) const;
    Letter parse_file(const std::filesystem::path& path) const;

private:
    const Lexicon& lexicon_;
    std::shared_ptr<const ParserTables> tables_ = make_parser_tables(lexicon_);
};

}  // namespace imr
