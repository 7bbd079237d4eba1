// Recursive input walk that survives symlink cycles and takes every file once.
#include "file_walker.h"

#include "input_names.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace imr {
namespace {

namespace fs = std::filesystem;
using FileKey = std::pair<dev_t, ino_t>;

// stat() follows symlinks, which is what decides whether a link leads to a folder already seen.
bool stat_follow(const fs::path& path, struct stat& st) { return ::stat(path.c_str(), &st) == 0; }

const char* kind_of(mode_t mode) {
    if (S_ISFIFO(mode)) return "a fifo";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "not a regular file";
}

// Why a name could not be followed (stat failed with `error`): a dangling link, a link loop, ...
std::string unreadable_reason(const fs::path& path, int error) {
    struct stat link {};
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        if (error == ELOOP) return "symbolic link loop (" + std::string(std::strerror(error)) + ")";
        if (error == ENOENT) return "dangling symbolic link (its target does not exist)";
        return "cannot follow symbolic link (" + std::string(std::strerror(error)) + ")";
    }
    return "cannot read (" + std::string(std::strerror(error)) + ")";
}

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

    // Nothing is skipped without a word (issue 19, item 10): a letter-named entry that cannot be
    // read, or is a fifo, socket or device, is a problem with its reason, and so the exit status 1.
    auto problem = [&](const fs::path& path, const std::string& reason) {
        result.problems.push_back(printable_file_name(path.string()) + ": " + reason);
    };

    for (const auto& input : inputs) {
        struct stat st {};
        if (!stat_follow(input, st)) {
            const int error = errno;
            struct stat link {};
            const bool is_link = ::lstat(input.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
            throw InputError("input '" + printable_file_name(input) + "': " +
                             (is_link ? unreadable_reason(input, error) : std::string(std::strerror(error))));
        }
        std::error_code ec;
        fs::path root = fs::weakly_canonical(fs::absolute(input), ec);
        if (ec) root = fs::absolute(input).lexically_normal();
        if (!S_ISDIR(st.st_mode)) {
            if (S_ISREG(st.st_mode)) take_file(root, st);
            else problem(root, std::string(kind_of(st.st_mode)) + ", not a letter file");
            continue;
        }
        std::vector<fs::path> pending{root};
        folders_seen.insert({st.st_dev, st.st_ino});
        while (!pending.empty()) {
            fs::path folder = std::move(pending.back());
            pending.pop_back();
            fs::directory_iterator it(folder, ec), end;
            if (ec) {
                problem(folder, "cannot read folder (" + ec.message() + ")");
                continue;
            }
            // A folder that can be listed but not entered (no search permission) names its
            // entries but lets none be opened: one problem for the folder, not one per entry.
            const bool enterable = ::access(folder.c_str(), X_OK) == 0;
            bool entry_refused = false;
            while (it != end) {
                const fs::path path = it->path();
                struct stat entry {};
                if (stat_follow(path, entry)) {
                    if (S_ISDIR(entry.st_mode)) {
                        if (folders_seen.insert({entry.st_dev, entry.st_ino}).second) pending.push_back(path);
                    } else if (S_ISREG(entry.st_mode)) {
                        take_file(path, entry);
                    } else if (is_letter_file(path)) {
                        problem(path, std::string(kind_of(entry.st_mode)) + ", not a letter file");
                    }
                } else {
                    const int error = errno;
                    if (error == EACCES && !enterable) {
                        entry_refused = true;
                    } else if (is_letter_file(path)) {
                        problem(path, unreadable_reason(path, error));
                    } else {
                        // A link of another name that leads nowhere may have been a folder of letters.
                        struct stat link {};
                        if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
                            problem(path, unreadable_reason(path, error));
                    }
                }
                it.increment(ec);
                if (ec) break;
            }
            if (entry_refused) problem(folder, "cannot enter folder (" + std::string(std::strerror(EACCES)) + ")");
            if (ec) problem(folder, "cannot read folder (" + ec.message() + ")");
        }
    }
    std::sort(result.files.begin(), result.files.end(), [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    return result;
}

}  // namespace imr
