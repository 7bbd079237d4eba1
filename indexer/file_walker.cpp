// Recursive input walk that survives symlink cycles and takes every file once.
#include "file_walker.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace imr {
namespace {

namespace fs = std::filesystem;
using FileKey = std::pair<dev_t, ino_t>;

// stat() follows symlinks, which is what decides whether a link leads to a folder already seen.
bool stat_follow(const fs::path& path, struct stat& st) { return ::stat(path.c_str(), &st) == 0; }

}  // namespace

bool is_letter_file(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".txt" || ext == ".pdf";
}

WalkResult collect_inputs(const std::vector<std::string>& inputs) {
    WalkResult result;
    std::set<FileKey> folders_seen;
    std::set<FileKey> files_seen;

    auto take_file = [&](const fs::path& path, const struct stat& st) {
        if (!is_letter_file(path)) return;
        if (!files_seen.insert({st.st_dev, st.st_ino}).second) return;
        result.files.push_back({path.string(), static_cast<std::uintmax_t>(st.st_size)});
    };

    for (const auto& input : inputs) {
        struct stat st {};
        if (!stat_follow(input, st))
            throw InputError("input '" + input + "': " + std::strerror(errno));
        std::error_code ec;
        fs::path root = fs::weakly_canonical(fs::absolute(input), ec);
        if (ec) root = fs::absolute(input).lexically_normal();
        if (!S_ISDIR(st.st_mode)) {
            if (S_ISREG(st.st_mode)) take_file(root, st);
            continue;
        }
        std::vector<fs::path> pending{root};
        folders_seen.insert({st.st_dev, st.st_ino});
        while (!pending.empty()) {
            fs::path folder = std::move(pending.back());
            pending.pop_back();
            fs::directory_iterator it(folder, ec), end;
            if (ec) {
                result.problems.push_back(folder.string() + ": cannot read folder (" + ec.message() + ")");
                continue;
            }
            while (it != end) {
                const fs::path path = it->path();
                struct stat entry {};
                if (stat_follow(path, entry)) {  // else a dangling symlink: it leads nowhere
                    if (S_ISDIR(entry.st_mode)) {
                        if (folders_seen.insert({entry.st_dev, entry.st_ino}).second) pending.push_back(path);
                    } else if (S_ISREG(entry.st_mode)) {
                        take_file(path, entry);
                    }
                }
                it.increment(ec);
                if (ec) break;
            }
            if (ec) result.problems.push_back(folder.string() + ": cannot read folder (" + ec.message() + ")");
        }
    }
    std::sort(result.files.begin(), result.files.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    return result;
}

}  // namespace imr
