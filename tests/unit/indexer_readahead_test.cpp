// Unit tests of the readahead of letter files: the window ahead of the parsers, missing files, stopping.
#include "readahead.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

using imr::test::TempDir;
using imr::test::write_file;

namespace {

std::vector<imr::InputFile> letter_files(const TempDir& dir, std::size_t n, std::size_t missing_from = SIZE_MAX) {
    std::vector<imr::InputFile> files;
    for (std::size_t i = 0; i < n; ++i) {
        const auto path = dir / ("letter-" + std::to_string(i) + ".txt");
        if (i < missing_from) write_file(path, "letter " + std::to_string(i));
        files.push_back({path.string(), 9});
    }
    return files;
}

// The count once it has stopped changing for a while (the threads work in the background).
std::size_t settled_count(const imr::Readahead& readahead, std::size_t expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (readahead.advised() < expected && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // time to go too far, if it would
    return readahead.advised();
}

}  // namespace

TEST_CASE("Readahead: files are advised up to the window past the furthest file reached") {
    struct Case {
        const char* name;
        std::size_t files, window;
        std::optional<std::size_t> reached;
        std::size_t advised;
    };
    const Case cases[] = {
        {"nothing reached: the first window", 10, 3, std::nullopt, 3},
        {"file 4 reached: up to file 4 + 3", 10, 3, 4, 8},
        {"the last file reached: all", 10, 3, 9, 10},
        {"a window wider than the files: all", 5, 100, std::nullopt, 5},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            TempDir dir;
            const auto files = letter_files(dir, c.files);
            imr::Readahead readahead(files, c.window, 2);
            if (c.reached) {
                // Reached once the threads wait at the first window's end: a parser that stops
                // short of the next wake must still move them on.
                CHECK(settled_count(readahead, std::min(c.window, c.files)) == std::min(c.window, c.files));
                readahead.reached(*c.reached);
            }
            CHECK(settled_count(readahead, c.advised) == c.advised);
        }
    }
}

TEST_CASE("Readahead: a file that cannot be opened is passed over, for its parser to name") {
    TempDir dir;
    const auto files = letter_files(dir, 6, 4);  // letter-4 and letter-5 do not exist
    imr::Readahead readahead(files, 100, 2);
    CHECK(settled_count(readahead, 4) == 4);
}

TEST_CASE("Readahead: destroyed while its threads wait for the parsers, it stops") {
    TempDir dir;
    const auto files = letter_files(dir, 50);
    const auto started = std::chrono::steady_clock::now();
    {
        imr::Readahead readahead(files, 1, 4);
        CHECK(settled_count(readahead, 1) == 1);
    }
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
