// The expert reviewer's specialties and states of licensure, from either the credential lines or prose.
#pragma once

#include "lexicon.h"

#include <string>
#include <string_view>
#include <vector>

namespace imr {

struct ReviewerCredentials {
    std::vector<std::string> specialties;  // canonical, in order of appearance
    std::vector<std::string> states;       // full names, in order of appearance
};

// Reads "State(s) of Licensure: Texas, California" / "Certification(s)/Specialty: Family Practice"
// and the prose form "The expert reviewer is Board Certified in Anesthesiology, has a subspecialty
// in Pain Management and is licensed to practice in California". Only the credential phrases are
// scanned, never the boilerplate about "similar specialties".
ReviewerCredentials find_reviewer(std::string_view text, const Lexicon& lexicon);

}  // namespace imr
