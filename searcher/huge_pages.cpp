// Re-execution with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (huge_pages.h says why).
#include "huge_pages.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace imr {

namespace {
constexpr std::string_view kHugePages = "glibc.malloc.hugetlb";
}

std::optional<std::string> tunables_with_huge_pages(const char* current) {
    const std::string_view value = current ? current : "";
    // Tunables are name=value pairs separated by colons.
    for (std::size_t start = 0; start <= value.size();) {
        const std::size_t end = std::min(value.find(':', start), value.size());
        const std::string_view pair = value.substr(start, end - start);
        if (pair.substr(0, pair.find('=')) == kHugePages) return std::nullopt;
        start = end + 1;
    }
    std::string out(value);
    if (!out.empty()) out += ':';
    out += kHugePages;
    out += "=1";
    return out;
}

void rerun_with_huge_pages(char** argv) {
    const auto tunables = tunables_with_huge_pages(std::getenv("GLIBC_TUNABLES"));
    if (!tunables || !argv || !argv[0]) return;
    if (::setenv("GLIBC_TUNABLES", tunables->c_str(), 1) != 0) return;
    ::execv("/proc/self/exe", argv);
    // Not reached unless execv failed: run on with the pages there are.
}

}  // namespace imr
