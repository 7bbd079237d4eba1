// Runs the searcher with glibc's malloc on transparent huge pages: one re-execution at start-up.
//
// Why: a search at 1M letters fills 50-100 MB of fresh arrays (bitsets, weights, the ranked
// list), and on this VM each 4 KB page costs about 13 us to fault in (200 MB: 690 ms), against
// 13 ms as 2 MB pages. glibc puts its heap on huge pages only when the GLIBC_TUNABLES variable
// says so at start-up (glibc.malloc.hugetlb=1), and a process cannot set that for itself, so the
// program starts itself again once with it. Measured at 1M letters, the 40-query mix, two runs
// each way, alternated: first runs p50 61-67 -> 51-53 ms, p99 503-535 -> 358-453 ms.
#pragma once

#include <optional>
#include <string>

namespace imr {

// The GLIBC_TUNABLES value that adds glibc.malloc.hugetlb=1 to `current` (the variable's value,
// or null when it is unset); nullopt when `current` already sets glibc.malloc.hugetlb, to any
// value, which is then left as the user chose.
std::optional<std::string> tunables_with_huge_pages(const char* current);

// When GLIBC_TUNABLES does not set glibc.malloc.hugetlb, sets it and executes this program again
// with the same arguments. Returns only when nothing is to be done or the execution failed (the
// program then runs on as it is).
void rerun_with_huge_pages(char** argv);

}  // namespace imr
