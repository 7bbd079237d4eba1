// Asks the kernel to read letter files a little ahead of the parsers, on a few threads of their own.
//
// Why: a corpus that is not in the page cache is a million small files, and a parser reads one at
// a time, so the disk serves one request per parser: a 1M-letter build read 6 MB/s with 18% of
// the time waiting on I/O. The disk answers many requests at once; the readahead threads keep
// it busy while the parsers use the cores. They only open and advise (POSIX_FADV_WILLNEED), so
// a file is still read, and its failures reported, by the parser.
#pragma once

#include "file_walker.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace imr {

class Readahead {
public:
    // Files are advised in order, never more than `window` past the furthest one reached().
    Readahead(const std::vector<InputFile>& files, std::size_t window = kDefaultWindow, unsigned threads = kDefaultThreads);
    ~Readahead();
    Readahead(const Readahead&) = delete;
    Readahead& operator=(const Readahead&) = delete;

    // A parser has come to file `index` (of the vector given to the constructor).
    void reached(std::size_t index);
    // Files advised so far (for tests).
    std::size_t advised() const { return advised_.load(); }

    static constexpr std::size_t kDefaultWindow = 512;
    static constexpr unsigned kDefaultThreads = 4;

private:
    void run();

    const std::vector<InputFile>& files_;
    const std::size_t window_;
    std::atomic<std::size_t> next_{0};      // the next file a readahead thread takes
    std::atomic<std::size_t> reached_{0};   // one past the furthest file a parser reached
    std::atomic<std::size_t> advised_{0};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace imr
