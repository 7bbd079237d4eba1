// Serving only the files of web/static: a whitelist of path shapes, then a containment check on the real path.
#include "static_files.h"

#include <algorithm>
#include <string>

namespace imr::web {
namespace {

constexpr std::size_t kMaxStaticPathBytes = 256;

bool is_plain_segment(std::string_view segment) {
    if (segment.empty() || segment.front() == '.') return false;
    return std::all_of(segment.begin(), segment.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '-' || c == '_';
    });
}

// True when `inside` is `root` itself or lies below it (both already canonical).
bool is_within(const std::filesystem::path& root, const std::filesystem::path& inside) {
    auto r = root.begin();
    auto i = inside.begin();
    for (; r != root.end(); ++r, ++i)
        if (i == inside.end() || *r != *i) return false;
    return true;
}

}  // namespace

std::optional<std::filesystem::path> resolve_static_file(const std::filesystem::path& root,
                                                         std::string_view request_path) {
    if (request_path.empty() || request_path.front() != '/' || request_path.size() > kMaxStaticPathBytes)
        return std::nullopt;
    std::string_view rest = request_path.substr(1);
    std::filesystem::path relative;
    if (rest.empty()) {
        relative = "index.html";
    } else {
        while (!rest.empty()) {
            const auto slash = rest.find('/');
            const auto segment = rest.substr(0, slash);
            if (!is_plain_segment(segment)) return std::nullopt;
            relative /= std::string(segment);
            if (slash == std::string_view::npos) break;
            rest = rest.substr(slash + 1);
            if (rest.empty()) return std::nullopt;  // a trailing slash names a folder, never served
        }
    }
    std::error_code error;
    const auto canonical_root = std::filesystem::canonical(root, error);
    if (error) return std::nullopt;
    const auto file = std::filesystem::canonical(canonical_root / relative, error);
    if (error || !is_within(canonical_root, file) || !std::filesystem::is_regular_file(file, error))
        return std::nullopt;
    return file;
}

std::string_view content_type_for(const std::filesystem::path& file) {
    const auto extension = file.extension().string();
    if (extension == ".html") return "text/html; charset=utf-8";
    if (extension == ".js") return "text/javascript; charset=utf-8";
    if (extension == ".css") return "text/css; charset=utf-8";
    if (extension == ".svg") return "image/svg+xml";
    if (extension == ".png") return "image/png";
    if (extension == ".ico") return "image/x-icon";
    if (extension == ".json") return "application/json; charset=utf-8";
    if (extension == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

}  // namespace imr::web
