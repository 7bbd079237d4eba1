// The first-page table read in every order PDF text gives it: pairs, one line, labels then values.
#include "header.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace {

std::string iso(const std::optional<imr::Date>& d) { return d ? d->iso() : "-"; }

// case | assigned | decided | injured | denied | received | priority
std::string describe(const imr::HeaderFields& h) {
    return h.case_number + " | " + iso(h.assigned_date) + " | " + iso(h.decision_date) + " | " + iso(h.injury_date) +
           " | " + iso(h.ur_denial_date) + " | " + iso(h.application_received) + " | " + h.priority;
}

}  // namespace

TEST_CASE("read_header: the same table in every text order") {
    const std::string all = "CM16-0232543 | 2016-12-08 | 2017-01-12 | 2015-03-04 | 2016-11-21 | 2016-12-01 | Standard";
    struct Row {
        std::string name;
        std::string text;
        std::string expected;
    };
    const Row rows[] = {
        {"labels first, then values (poppler's reading order of the published PDFs)",
         "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM16-0232543\n12/08/2016\n01/12/2017\nStandard\n\n"
         "Date of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n03/04/2015\n11/21/2016\n12/01/2016\n",
         all},
        {"label and value pairs, two to a line",
         "Case Number: CM16-0232543 Date Assigned: 12/08/2016\nDate of Injury: 03/04/2015 Decision Date: 01/12/2017\n"
         "UR Denial Date: 11/21/2016 Priority: Standard\nApplication Received: 12/01/2016\n",
         all},
        {"everything on one line",
         "Case Number: CM16-0232543 Date Assigned: 12/08/2016 Decision Date: 01/12/2017 Priority: Standard Date of "
         "Injury: 03/04/2015 UR Denial Date: 11/21/2016 Application Received: 12/01/2016",
         all},
        {"labels of one column, then its values, the other column in pairs",
         "Case Number:\nDate Assigned:\nCM16-0232543\n12/08/2016\nDecision Date: 01/12/2017\nPriority: Standard\n"
         "Date of Injury:\nUR Denial Date:\nApplication Received:\n03/04/2015\n11/21/2016\n12/01/2016\n",
         all},
        {"a missing value leaves its label empty, the others in place",
         "Case Number:\nDecision Date:\nPriority:\nCM16-0232543\n01/12/2017\nExpedited\n",
         "CM16-0232543 | - | 2017-01-12 | - | - | - | Expedited"},
        {"2013 spelling of the case number, written dates",
         "IMR Case Number: CM13-0001234\nDate of Injury: March 4, 2011\nUR Denial Date: 9/16/13\n",
         "CM13-0001234 | - | - | 2011-03-04 | 2013-09-16 | - | "},
        {"a date in prose after the table goes to no label",
         "Case Number: CM16-0232543\nDecision Date: 01/12/2017\nThe request of 11/21/2016 was denied.\n",
         "CM16-0232543 | - | 2017-01-12 | - | - | - | "},
        {"no table", "MAXIMUS Federal Services sent the case to an expert reviewer on 12/08/2016.\n",
         " | - | - | - | - | - | "},
    };
    for (const auto& row : rows) {
        CAPTURE(row.name);
        CHECK(describe(imr::read_header(row.text)) == row.expected);
    }
}
