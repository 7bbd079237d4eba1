// Unit tests of the work budget: units gathered per thread and charged in batches, limits and
// deadlines still stopping a search near where they lie, and used() counting every unit.
#include "work_budget.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

TEST_CASE("WorkBudget: every unit charged is counted once its scope ends") {
    struct Case {
        const char* name;
        std::uint64_t units_per_charge;
        std::uint64_t charges;
    };
    const Case cases[] = {
        {"fewer units than a batch", 1, 10},
        {"exactly a batch", 4096, 1},
        {"many small charges over several batches", 3, 10'000},
        {"large charges", 100'000, 7},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            imr::WorkBudget budget;
            {
                const imr::WorkBudgetScope scope(&budget);
                for (std::uint64_t i = 0; i < c.charges; ++i) imr::charge_work(c.units_per_charge);
            }
            CHECK(budget.used() == c.units_per_charge * c.charges);
        }
    }
}

TEST_CASE("WorkBudget: a limit stops the search within a batch of where it lies") {
    struct Case {
        std::uint64_t limit;
    };
    for (const auto& c : {Case{10}, Case{1000}, Case{100'000}, Case{imr::WorkBudget::kDefaultLimit}}) {
        CAPTURE(c.limit);
        imr::WorkBudget budget(c.limit);
        const imr::WorkBudgetScope scope(&budget);
        std::uint64_t charged = 0;
        try {
            for (; charged < 2 * c.limit + 10'000; ++charged) imr::charge_work(1);
            FAIL("the limit was never reached");
        } catch (const imr::QueryTooCostly&) {
        }
        CHECK(charged >= c.limit);
        CHECK(charged <= c.limit + budget.batch());
        // A small limit is not left waiting for a batch of the usual size.
        CHECK(budget.batch() <= c.limit / 64 + 1);
    }
}

TEST_CASE("WorkBudget: a deadline stops a search that keeps charging") {
    imr::WorkBudget budget(imr::WorkBudget::kDefaultLimit, std::chrono::steady_clock::now() - std::chrono::milliseconds(1));
    const imr::WorkBudgetScope scope(&budget);
    CHECK_THROWS_AS(
        [] {
            for (int i = 0; i < 100'000; ++i) imr::charge_work(1);
        }(),
        imr::SearchDeadline);
}

TEST_CASE("WorkBudgetScope: threads charge one budget; scopes nest and restore") {
    imr::WorkBudget budget;
    {
        const imr::WorkBudgetScope scope(&budget);
        imr::charge_work(5);
        std::thread helper([&budget] {
            const imr::WorkBudgetScope helper_scope(&budget);
            for (int i = 0; i < 50'000; ++i) imr::charge_work(2);
        });
        for (int i = 0; i < 50'000; ++i) imr::charge_work(1);
        helper.join();
        imr::WorkBudget inner;
        {
            const imr::WorkBudgetScope inner_scope(&inner);
            CHECK(imr::current_work_budget() == &inner);
            imr::charge_work(7);
        }
        CHECK(inner.used() == 7);
        CHECK(imr::current_work_budget() == &budget);
        imr::charge_work(1);
    }
    CHECK(imr::current_work_budget() == nullptr);
    CHECK(budget.used() == 5 + 100'000 + 50'000 + 1);
    imr::charge_work(1'000'000'000);  // no budget: nothing counted, nothing thrown
    CHECK(budget.used() == 5 + 100'000 + 50'000 + 1);
}
