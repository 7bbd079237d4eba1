// Dates in letter text: numeric and written formats, header fields, and injury / UR dates in prose.
#pragma once

#include "letter.h"

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace imr {

struct DateMatch {
    Date date;
    std::size_t begin = 0;  // byte offsets of the date in the searched text
    std::size_t end = 0;
};

// 19xx or 20xx for a two-digit year: letters date from 2013 on and nobody was injured before the
// 1930s, so 00-30 mean 2000-2030 and 31-99 mean 1931-1999.
int expand_two_digit_year(int two_digit_year);

// A real calendar date between 1900 and 2099.
bool is_valid_date(int year, int month, int day);

// The date that starts exactly at `pos` (on a word boundary): 12/04/2014, 9/16/14, 12/27/00,
// 7-19-2012, 2014-12-04, "December 22, 2014", "Dec. 22, 2014", "Sept 3 2014", "22 December 2014".
std::optional<DateMatch> date_at(std::string_view text, std::size_t pos);

// The whole of `text` (spaces and a final '.' aside) is one date.
std::optional<Date> parse_date(std::string_view text);

// Every date in the text, in order.
std::vector<DateMatch> find_dates(std::string_view text);

// The date printed after a field label at the start of a line: "Date of Injury: 04/28/2011".
// The label is matched case-insensitively and spacing-insensitively, the colon is optional.
std::optional<Date> labelled_date(std::string_view text, std::string_view label);

// The date of injury stated in prose: "an industrial injury dated April 28, 2011",
// "a 12/27/00 date of injury", "sustained an industrial injury on 11/17/2003", "DOI: 4/1/12".
std::optional<Date> injury_date_in_prose(std::string_view text);

// The date of the utilization review denial in prose, when one sentence names the review, a date
// after it and a denial: "Utilization Review (UR) determination on December 22, 2014 denied ...".
std::optional<Date> ur_denial_date_in_prose(std::string_view text);

}  // namespace imr
