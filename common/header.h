// The first-page table of a letter: case number, dates, priority, whatever order the text gives.
#pragma once

#include "letter.h"

#include <optional>
#include <string>
#include <string_view>

namespace imr {

struct HeaderFields {
    std::string case_number;  // as printed: "CM16-0232543"
    std::optional<Date> assigned_date;
    std::optional<Date> decision_date;
    std::optional<Date> injury_date;
    std::optional<Date> ur_denial_date;
    std::optional<Date> application_received;
    std::string priority;  // "Standard", "Expedited"
};

// Reads the header fields from the text before the first section heading. PDF text gives the
// table as label: value pairs, on one line, or as all its labels followed by all its values
// ("Case Number:" / "Date Assigned:" / ... / "CM16-0232543" / "12/08/2016" / ...); labels may be
// split over lines ("Application" / "Received:"). Each value goes to the earliest label of its
// kind still waiting for one, so every one of these orders reads the same.
HeaderFields read_header(std::string_view header_text);

}  // namespace imr
