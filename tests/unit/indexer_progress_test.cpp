// Unit tests of the progress bar's text and of its silence when disabled.
#include "progress.h"

#include <doctest/doctest.h>

#include <sstream>

TEST_CASE("ProgressBar::render: bar, count, rate and time left") {
    struct Case {
        const char* name;
        std::size_t done, total;
        double seconds;
        const char* text;
    };
    const Case cases[] = {
        {"start", 0, 100, 0, "[                    ]  0/100 letters  0/s"},
        {"half way", 50, 100, 10, "[##########          ]  50/100 letters  5/s  ETA 0:10"},
        {"minutes left", 4500, 1000000, 2, "[                    ]  4500/1000000 letters  2250/s  ETA 7:22"},
        {"done", 100, 100, 4, "[####################]  100/100 letters  25/s"},
        {"nothing to do", 0, 0, 0, "[####################]  0/0 letters  0/s"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::ProgressBar::render(c.done, c.total, c.seconds) == c.text); }
    }
}

TEST_CASE("ProgressBar: disabled draws nothing, enabled draws and clears") {
    std::ostringstream off, on;
    imr::ProgressBar quiet(off, 10, false);
    quiet.update(5);
    quiet.clear();
    CHECK(off.str().empty());
    imr::ProgressBar bar(on, 10, true);
    bar.update(10);
    bar.clear();
    CHECK(on.str().rfind("\r[####################]  10/10 letters  ", 0) == 0);
    CHECK(on.str().size() > std::string("\r\033[K").size());
    CHECK(on.str().substr(on.str().size() - 4) == "\r\033[K");
}
