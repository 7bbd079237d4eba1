// The thread's current work budget (work_budget.h).
#include "work_budget.h"

namespace imr {
namespace {

thread_local WorkBudget* t_budget = nullptr;

}  // namespace

WorkBudget* current_work_budget() { return t_budget; }

WorkBudgetScope::WorkBudgetScope(WorkBudget* budget) : previous_(t_budget) { t_budget = budget; }
WorkBudgetScope::~WorkBudgetScope() { t_budget = previous_; }

}  // namespace imr
