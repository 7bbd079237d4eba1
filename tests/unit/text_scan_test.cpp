// Unit tests of the byte-level scanning helpers shared by the parser modules.
#include "text_scan.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

namespace {

// ifind as a byte loop, the way it was first written: what the memchr version must agree with.
std::size_t ifind_reference(std::string_view hay, std::string_view needle, std::size_t from) {
    using imr::scan::lower;
    if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
    for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
        if (j == needle.size()) return i;
    }
    return std::string_view::npos;
}

}  // namespace

TEST_CASE("ifind") {
    using imr::scan::ifind;
    CHECK(ifind("Decision based on MTUS", "decision BASED") == 0);
    CHECK(ifind("the Decision", "decision") == 4);
    CHECK(ifind("the Decision", "decision", 5) == std::string_view::npos);
    CHECK(ifind("abc", "abcd") == std::string_view::npos);
    CHECK(ifind("abc", "c", 7) == std::string_view::npos);
    CHECK(ifind("abc", "", 3) == 3);
    CHECK(ifind("a (x) (y)", "(y") == 6);
    CHECK(ifind("dD dd", "DD", 1) == 3);

    SUBCASE("agrees with a byte loop on random text") {
        std::mt19937 rng(17);
        const std::string alphabet = "aAbB (1";
        auto random_text = [&](std::size_t n) {
            std::string s;
            for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
            return s;
        };
        for (int round = 0; round < 20000; ++round) {
            const std::string hay = random_text(rng() % 24);
            const std::string needle = random_text(1 + rng() % 3);
            const std::size_t from = rng() % 28;
            CHECK(ifind(hay, needle, from) == ifind_reference(hay, needle, from));
        }
    }
}
