// Which file of the page's folder a request path names, if any: the guard against path traversal.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace imr::web {

// `request_path` is the URL path after percent-decoding ("/", "/app.js"). Returns the regular file
// it names inside `root`, or nothing. Only plain names are accepted: segments of letters, digits,
// '.', '-' and '_', not starting with '.', so "..", hidden files, backslashes, '%' (left over from
// double encoding), NUL and absolute or drive paths never resolve; symlinks leading out of `root`
// are refused too. "/" names index.html.
std::optional<std::filesystem::path> resolve_static_file(const std::filesystem::path& root,
                                                         std::string_view request_path);

// The Content-Type for a file of the page, by its extension ("text/html; charset=utf-8").
std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace imr::web
