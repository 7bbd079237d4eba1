// Unit tests of the GLIBC_TUNABLES value that puts glibc's malloc on huge pages.
#include "huge_pages.h"

#include <doctest/doctest.h>

TEST_CASE("tunables_with_huge_pages: adds glibc.malloc.hugetlb=1 unless the user set it") {
    struct Case {
        const char* name;
        const char* current;
        std::optional<std::string> expected;
    };
    const Case cases[] = {
        {"unset", nullptr, "glibc.malloc.hugetlb=1"},
        {"empty", "", "glibc.malloc.hugetlb=1"},
        {"other tunables kept", "glibc.malloc.arena_max=2", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"},
        {"already on", "glibc.malloc.hugetlb=1", std::nullopt},
        {"turned off by the user", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0", std::nullopt},
        {"a longer name is another tunable", "glibc.malloc.hugetlbx=1", "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::tunables_with_huge_pages(c.current) == c.expected); }
    }
}
