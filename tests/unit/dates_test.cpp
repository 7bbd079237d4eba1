// Unit tests of date recognition: formats, two-digit years, header fields, injury and UR dates in prose.
#include "dates.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace {

std::string iso(const std::optional<imr::Date>& date) { return date ? date->iso() : "none"; }

}  // namespace

TEST_CASE("parse_date") {
    struct Case {
        const char* text;
        std::string expected;
    };
    const Case cases[] = {
        {"12/04/2014", "2014-12-04"},
        {"9/16/14", "2014-09-16"},
        {"12/27/00", "2000-12-27"},
        {"6/1/99", "1999-06-01"},
        {"3/3/30", "2030-03-03"},
        {"3/3/31", "1931-03-03"},
        {"7-19-2012", "2012-07-19"},
        {"2014-12-04", "2014-12-04"},
        {"December 22, 2014", "2014-12-22"},
        {"Dec. 22, 2014", "2014-12-22"},
        {"Dec 22 2014", "2014-12-22"},
        {"April 28, 2011", "2011-04-28"},
        {"Sept. 3, 2014", "2014-09-03"},
        {"SEPTEMBER 3, 2014", "2014-09-03"},
        {"June 1st, 2015", "2015-06-01"},
        {"22 December 2014", "2014-12-22"},
        {"02/29/2016", "2016-02-29"},
        {"April 28, 2011.", "2011-04-28"},
        {"02/29/2015", "none"},
        {"13/01/2014", "none"},
        {"12/32/2014", "none"},
        {"10/325", "none"},
        {"10/325/40", "none"},
        {"December 2014", "none"},
        {"may 5, 2014", "none"},
        {"Soma 350mg", "none"},
        {"12/04/2014 and more", "none"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) { CHECK(iso(imr::parse_date(c.text)) == c.expected); }
    }
}

TEST_CASE("find_dates lists every date with its offsets") {
    std::string text = "CT brain on 7/19/2012; MRI on 9/7/2012 and Norco 10/325 on Dec. 22, 2014.";
    auto dates = imr::find_dates(text);
    REQUIRE(dates.size() == 3);
    CHECK(dates[0].date.iso() == "2012-07-19");
    CHECK(text.substr(dates[0].begin, dates[0].end - dates[0].begin) == "7/19/2012");
    CHECK(dates[1].date.iso() == "2012-09-07");
    CHECK(text.substr(dates[2].begin, dates[2].end - dates[2].begin) == "Dec. 22, 2014");
}

TEST_CASE("labelled_date reads header fields") {
    const std::string header =
        "Case Number: CM15-0198233\nDate Assigned: 10/13/2015\nDate of Injury: 04/28/2011\n"
        "Decision Date:   11/20/2015\nUR  Denial Date: 10/02/2015\nPriority: Standard\n";
    struct Case {
        const char* label;
        std::string expected;
    };
    const Case cases[] = {
        {"Date Assigned", "2015-10-13"},     {"Date of Injury", "2011-04-28"}, {"Decision Date", "2015-11-20"},
        {"UR Denial Date", "2015-10-02"},    {"Application Received", "none"}, {"Priority", "none"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.label) { CHECK(iso(imr::labelled_date(header, c.label)) == c.expected); }
    }
}

TEST_CASE("injury_date_in_prose") {
    struct Case {
        const char* name;
        const char* text;
        std::string expected;
    };
    const Case cases[] = {
        {"injury dated", "This is a 53 year old female patient with an industrial injury dated April 28, 2011.  The",
         "2011-04-28"},
        {"date before date of injury", "this is a 49-year-old male with a 12/27/00 date of injury, and status post",
         "2000-12-27"},
        {"sustained on", "who sustained an industrial injury on 11/17/2003. The initial complaints", "2003-11-17"},
        {"injury of", "pain reportedly associated with an industrial injury of June 24, 2014.In a Utilization",
         "2014-06-24"},
        {"injured a body part on", "The employee injured his low back on 5/5/2010 while lifting.", "2010-05-05"},
        {"DOI label in prose", "Chronic pain, DOI: 4/1/12, on Norco.", "2012-04-01"},
        {"later dates are not the injury",
         "According to the progress note dated 12/04/2014 she had complaints. Injury dated 1/2/2010.", "2010-01-02"},
        {"the injured worker is a person, not an injury", "The injured worker was seen on 3/3/2015 for pain.", "none"},
        {"no injury date", "According to the progress note dated 12/04/2014 she had complaints.", "none"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(iso(imr::injury_date_in_prose(c.text)) == c.expected); }
    }
}

TEST_CASE("ur_denial_date_in_prose") {
    struct Case {
        const char* name;
        const char* text;
        std::string expected;
    };
    const Case cases[] = {
        {"determination on ... denied",
         "Utilization Review (UR) determination on December 22, 2014 denied the request for Soma.", "2014-12-22"},
        {"report dated ... failed to approve",
         "injury of June 24, 2014. In a Utilization Review report dated July 28, 2015, the claims administrator "
         "failed to approve requests for Soma and Percocet.",
         "2015-07-28"},
        {"UR abbreviation, non-certified", "On 3/2/2015, UR non-certified the request. Per UR dated 3/5/2015 the request was non-certified.",
         "2015-03-05"},
        {"a review without a denial", "Utilization Review dated 1/1/2015 was reviewed.", "none"},
        {"a denial without a date", "The Utilization Review denied the request.", "none"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(iso(imr::ur_denial_date_in_prose(c.text)) == c.expected); }
    }
}
