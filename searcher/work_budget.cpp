// The thread's current work budget (work_budget.h).
#include "work_budget.h"

namespace imr {
namespace detail {
namespace {

thread_local constinit ThreadCharge t_charge;

}  // namespace

ThreadCharge& thread_charge() noexcept { return t_charge; }

}  // namespace detail

namespace {

void settle_pending() {
    detail::ThreadCharge& c = detail::thread_charge();
    if (c.budget && c.pending > 0) c.budget->settle(c.pending);
    c.pending = 0;
}

void make_current(WorkBudget* budget) {
    detail::ThreadCharge& c = detail::thread_charge();
    c.budget = budget;
    c.batch = budget ? budget->batch() : 1;
}

}  // namespace

WorkBudgetScope::WorkBudgetScope(WorkBudget* budget) : previous_(detail::thread_charge().budget) {
    settle_pending();
    make_current(budget);
}

WorkBudgetScope::~WorkBudgetScope() {
    settle_pending();
    make_current(previous_);
}

}  // namespace imr
