// Work accounting for one search: positional checks charge units here, and the search stops
// with a typed error when it has used its budget or passed its deadline.
#pragma once

#include "engine.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace imr {

class WorkBudget {
public:
    // Units a search may spend on positional checks: one per document checked, one per 64 bytes
    // of token stream read (8 where every word is decoded), one per step of a proximity match,
    // about 25M units a second on this machine whatever the kind. Measured at 100k letters (first
    // runs): the heaviest ordinary query, `section:rationale "not recommended"`, used 1.7M, so
    // about 17M at 1M letters; 40M leaves room for twice that and stops a pathological query
    // after about 1.6 s at any size.
    static constexpr std::uint64_t kDefaultLimit = 40'000'000;

    explicit WorkBudget(std::uint64_t limit = kDefaultLimit,
                        std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt)
        : limit_(limit), deadline_(deadline) {}

    // Throws QueryTooCostly past the limit, SearchDeadline past the deadline (looked at every
    // few thousand units, so a stopped search says why within a few milliseconds).
    void charge(std::uint64_t units) {
        const std::uint64_t before = used_.fetch_add(units, std::memory_order_relaxed);
        const std::uint64_t after = before + units;
        if (after > limit_)
            throw QueryTooCostly("the query needs too much work (more than " + std::to_string(limit_) +
                                 " steps of proximity and phrase checking); narrow it: fewer or closer NEAR "
                                 "terms, rarer words, or a filter");
        if (deadline_ && (before >> 12) != (after >> 12) && std::chrono::steady_clock::now() > *deadline_)
            throw SearchDeadline("the search ran past its deadline and was stopped; try again or narrow the query");
    }
    void check_deadline() const {
        if (deadline_ && std::chrono::steady_clock::now() > *deadline_)
            throw SearchDeadline("the search ran past its deadline and was stopped; try again or narrow the query");
    }
    std::uint64_t used() const { return used_.load(std::memory_order_relaxed); }

private:
    std::uint64_t limit_;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    std::atomic<std::uint64_t> used_{0};
};

// The budget of the search this thread works for, or null (no accounting).
WorkBudget* current_work_budget();

// Makes `budget` this thread's for its lifetime (a search's thread, and a helper thread of it).
class WorkBudgetScope {
public:
    explicit WorkBudgetScope(WorkBudget* budget);
    ~WorkBudgetScope();
    WorkBudgetScope(const WorkBudgetScope&) = delete;
    WorkBudgetScope& operator=(const WorkBudgetScope&) = delete;

private:
    WorkBudget* previous_;
};

inline void charge_work(std::uint64_t units) {
    if (WorkBudget* budget = current_work_budget()) budget->charge(units);
}

}  // namespace imr
