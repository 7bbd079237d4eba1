// Unit tests of the input walk: file types, recursion, symlink cycles, duplicates, missing inputs.
#include "file_walker.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>

#include <filesystem>

using imr::test::TempDir;
using imr::test::write_file;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> relative_paths(const imr::WalkResult& walk, const fs::path& root) {
    std::vector<std::string> out;
    const auto base = fs::canonical(root).string() + "/";
    for (const auto& f : walk.files) out.push_back(f.path.rfind(base, 0) == 0 ? f.path.substr(base.size()) : f.path);
    return out;
}

}  // namespace

TEST_CASE("is_letter_file: .txt and .pdf in any case") {
    struct Case {
        const char* name;
        bool letter;
    };
    const Case cases[] = {{"a.txt", true},  {"a.TXT", true},   {"b.pdf", true},     {"b.Pdf", true},
                          {"c.md", false},  {"txt", false},    {"d.txt.gz", false}, {".txt", false},
                          {"e.jsonl", false}};
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::is_letter_file(c.name) == c.letter); }
    }
}

TEST_CASE("collect_inputs: recursive, sorted, each file once") {
    TempDir dir;
    write_file(dir / "in" / "b.txt", "b");
    write_file(dir / "in" / "a" / "c.PDF", "c");
    write_file(dir / "in" / "a" / "deep" / "d.txt", "dd");
    write_file(dir / "in" / "skip.md", "x");
    write_file(dir / "in" / "truth.jsonl", "x");

    SUBCASE("a folder") {
        auto walk = imr::collect_inputs({(dir / "in").string()});
        CHECK(relative_paths(walk, dir / "in") == std::vector<std::string>{"a/c.PDF", "a/deep/d.txt", "b.txt"});
        CHECK(walk.files[1].size == 2);
        CHECK(walk.problems.empty());
    }
    SUBCASE("a symlink cycle ends and a folder linked twice is walked once") {
        fs::create_directory_symlink(dir / "in", dir / "in" / "a" / "deep" / "up");
        fs::create_directory_symlink(dir / "in" / "a", dir / "in" / "z-alias");
        auto walk = imr::collect_inputs({(dir / "in").string()});
        CHECK(walk.files.size() == 3);
    }
    SUBCASE("the same file named twice, and through a relative path") {
        auto cwd = fs::current_path();
        fs::current_path(dir.path());
        auto walk = imr::collect_inputs({"in/b.txt", (dir / "in" / "b.txt").string(), "in/../in"});
        fs::current_path(cwd);
        CHECK(relative_paths(walk, dir / "in") == std::vector<std::string>{"a/c.PDF", "a/deep/d.txt", "b.txt"});
    }
    SUBCASE("a dangling symlink is named, not passed over in silence (issue 19, item 10)") {
        fs::create_symlink(dir / "gone.txt", dir / "in" / "dangling.txt");
        auto walk = imr::collect_inputs({(dir / "in").string()});
        CHECK(walk.files.size() == 3);
        CHECK(walk.problems == std::vector<std::string>{(fs::canonical(dir / "in") / "dangling.txt").string() +
                                                        ": dangling symbolic link (its target does not exist)"});
    }
    SUBCASE("a link loop and a fifo named .txt are named with their reasons") {
        fs::create_symlink(dir / "in" / "loop.txt", dir / "in" / "loop.txt");
        REQUIRE(::mkfifo((dir / "in" / "pipe.txt").c_str(), 0644) == 0);
        auto walk = imr::collect_inputs({(dir / "in").string()});
        CHECK(walk.files.size() == 3);
        const std::string in = fs::canonical(dir / "in").string();
        std::sort(walk.problems.begin(), walk.problems.end());
        CHECK(walk.problems == std::vector<std::string>{in + "/loop.txt: symbolic link loop (Too many levels of symbolic links)",
                                                        in + "/pipe.txt: a fifo, not a letter file"});
    }
    SUBCASE("a missing input is an error naming it") {
        const auto missing = (dir / "nope").string();
        CHECK_THROWS_WITH_AS(imr::collect_inputs({missing}), ("input '" + missing + "': No such file or directory").c_str(),
                             imr::InputError);
    }
}
