// Work accounting for one search: positional checks charge units here, and the search stops
// with a typed error when it has used its budget or passed its deadline.
#pragma once

#include "engine.h"

#include <algorithm>
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
    // Units a thread gathers before charging them here: the counter is shared by the search's
    // threads, and charging each document's unit made them fight over its cache line. A small
    // limit charges sooner, so that it still stops the search near where it lies.
    std::uint64_t batch() const { return std::min<std::uint64_t>(4096, limit_ / 64 + 1); }
    // Units gathered but not yet charged when a thread stops working for the search: counted,
    // never thrown for, as the work is already done.
    void settle(std::uint64_t units) { used_.fetch_add(units, std::memory_order_relaxed); }

private:
    std::uint64_t limit_;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    std::atomic<std::uint64_t> used_{0};
};

namespace detail {
// The budget this thread works for and the units it has gathered for it (WorkBudget::batch).
struct ThreadCharge {
    WorkBudget* budget = nullptr;
    std::uint64_t pending = 0;
    std::uint64_t batch = 1;
};
// This thread's. Out of line: a thread_local of another file read in inline code was reported as
// a null pointer by UBSan (GCC 12).
ThreadCharge& thread_charge() noexcept;
}  // namespace detail

// The budget of the search this thread works for, or null (no accounting).
inline WorkBudget* current_work_budget() { return detail::thread_charge().budget; }

// Makes `budget` this thread's for its lifetime (a search's thread, and a helper thread of it).
// Units gathered for the budget before are settled with it; those gathered during are settled on
// leaving, so that used() counts them.
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
    detail::ThreadCharge& c = detail::thread_charge();
    if (!c.budget) return;
    c.pending += units;
    if (c.pending < c.batch) return;
    const std::uint64_t gathered = c.pending;
    c.pending = 0;
    c.budget->charge(gathered);
}

}  // namespace imr
