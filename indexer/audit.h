// `imr-index --audit DB`: what an index could not read, per field, with the letters to look at.
#pragma once

#include "lexicon.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace imr {

struct AuditReport {
    std::size_t letters = 0;
    std::size_t determinations = 0;
    // Letter fields: how many letters have each ("decision date" -> 135).
    std::vector<std::pair<std::string, std::size_t>> coverage;
    struct Finding {
        std::string what;    // "item name starts with \"the\""
        std::string value;   // the value as read: "the lumbar"
        std::string letter;  // case number, else file
    };
    std::vector<Finding> cut_items;            // item_name_problem
    std::vector<Finding> unknown_specialties;  // not in the lexicon, kept as written
    std::vector<Finding> unknown_states;
    std::vector<Finding> unknown_drugs;        // a dose but no drug the lexicon knows
    std::vector<Finding> no_guideline;         // the reviewer cited nothing
    std::vector<Finding> unread_outcomes;      // outcome Unknown
    // Letters by how many findings and missing header fields they have, most first.
    std::vector<std::pair<std::string, std::vector<std::string>>> worst;
};

// Reads every live letter stored in the database; throws IndexError when it cannot be opened or
// is of another schema.
AuditReport audit_index(const std::filesystem::path& db, const Lexicon& lexicon);

// The report as a user reads it: coverage table, then each kind of finding with up to
// `examples` values, then the `worst` letters.
void print_audit(const AuditReport& report, std::ostream& out, std::size_t examples = 10);

// Whether an item names a dose ("10mg", "5%", "0.5 ml"), as a medication request does.
bool names_a_dose(std::string_view item);

}  // namespace imr
