// Static files of the page: only plain names inside the folder resolve, whatever the encoding tricks.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "static_files.h"
#include "test_support.h"

namespace fs = std::filesystem;

TEST_CASE("request paths resolve to files of the page's folder only") {
    imr::test::TempDir tmp;
    const auto root = tmp / "static";
    imr::test::write_file(root / "index.html", "<!doctype html>");
    imr::test::write_file(root / "app.js", "//");
    imr::test::write_file(root / "img" / "logo.svg", "<svg/>");
    imr::test::write_file(root / ".hidden", "secret");
    imr::test::write_file(tmp / "secret.txt", "outside");
    imr::test::write_file(root / "100%.txt", "percent");
    fs::create_directory_symlink(tmp.path(), root / "escape");
    fs::create_symlink(tmp / "secret.txt", root / "link.txt");

    struct Row {
        const char* scenario;
        std::string path;
        std::string file;  // relative to root, empty when nothing may resolve
    };
    const std::vector<Row> rows = {
        {"the root is the page", "/", "index.html"},
        {"a file by name", "/app.js", "app.js"},
        {"a file in a folder", "/img/logo.svg", "img/logo.svg"},
        {"a missing file", "/nope.js", ""},
        {"a folder is not a file", "/img", ""},
        {"a trailing slash", "/img/", ""},
        {"dot-dot", "/../secret.txt", ""},
        {"dot-dot inside", "/img/../../secret.txt", ""},
        {"dot-dot that would stay inside is refused too", "/img/../app.js", ""},
        {"a single dot segment", "/./app.js", ""},
        {"a hidden file", "/.hidden", ""},
        {"double encoding leaves a percent sign after one decoding", "/%2e%2e/secret.txt", ""},
        {"a percent sign in a real file's name", "/100%.txt", ""},
        {"backslash separators", "/..\\secret.txt", ""},
        {"a backslash alone", "/img\\logo.svg", ""},
        {"an absolute path after the slash", "//etc/passwd", ""},
        {"no leading slash", "app.js", ""},
        {"an empty path", "", ""},
        {"a NUL byte", std::string("/app.js\0.png", 12), ""},
        {"a drive letter", "/C:/Windows/win.ini", ""},
        {"a symlinked folder leading out", "/escape/secret.txt", ""},
        {"a symlinked file leading out", "/link.txt", ""},
        {"UTF-8 lookalike dots", "/\xe2\x80\xa4\xe2\x80\xa4/secret.txt", ""},
        {"an over-long path", "/" + std::string(300, 'a'), ""},
    };
    for (const auto& row : rows) {
        SUBCASE(row.scenario) {
            const auto resolved = imr::web::resolve_static_file(root, row.path);
            if (row.file.empty()) {
                CHECK_FALSE(resolved.has_value());
            } else {
                REQUIRE(resolved.has_value());
                CHECK(*resolved == fs::canonical(root / row.file));
            }
        }
    }
}

TEST_CASE("a missing folder resolves nothing") {
    CHECK_FALSE(imr::web::resolve_static_file("/nonexistent/imr/static", "/").has_value());
}

TEST_CASE("content types by extension") {
    struct Row {
        const char* file;
        const char* type;
    };
    const Row rows[] = {
        {"index.html", "text/html; charset=utf-8"}, {"app.js", "text/javascript; charset=utf-8"},
        {"style.css", "text/css; charset=utf-8"},   {"logo.svg", "image/svg+xml"},
        {"shot.png", "image/png"},                  {"data.bin", "application/octet-stream"},
    };
    for (const auto& row : rows) {
        SUBCASE(row.file) { CHECK(imr::web::content_type_for(row.file) == row.type); }
    }
}
