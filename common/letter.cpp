// The letter model's small helpers: ISO dates and the names of layouts and outcomes.
#include "letter.h"

#include <cstdio>

namespace imr {

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::string to_string(Layout layout) {
    switch (layout) {
        case Layout::Standard: return "Standard";
        case Layout::Maximus2013: return "Maximus2013";
        case Layout::ProfessionalReview: return "ProfessionalReview";
    }
    return "Standard";
}

std::string to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::Upheld: return "Upheld";
        case Outcome::Overturned: return "Overturned";
        case Outcome::Unknown: return "Unknown";
    }
    return "Unknown";
}

std::string to_string(Basis basis) {
    switch (basis) {
        case Basis::Mtus: return "MTUS";
        case Basis::OutsideMtus: return "outside MTUS";
        case Basis::NoneCited: return "none cited";
    }
    return "none cited";
}

}  // namespace imr
