// Recognises the layout of a cleaned letter by its headings and cuts the letter into sections.
#pragma once

#include "letter.h"

#include <string_view>
#include <vector>

namespace imr {

struct LayoutScan {
    Layout layout = Layout::Standard;
    // In text order, offsets into the scanned text. The text before the first heading (case number,
    // dates, treatments in dispute) is a "header" section with an empty heading.
    std::vector<Section> sections;
};

// Headings are matched case-insensitively and ignoring spaces and punctuation, at the start of a
// paragraph, also when wrapped over two lines ("...PROFESSIONAL REVIEWER AND" / "WHY:"). A heading
// not in capitals must end in a colon or stand alone ("Case Summary:"). Throws RejectedLetter
// "no IMR section headings found" when there is none.
LayoutScan scan_layout(std::string_view clean_text);

// The first section with this name (imr::section), or nullptr.
const Section* find_section(const std::vector<Section>& sections, std::string_view name);

}  // namespace imr
