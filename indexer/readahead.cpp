// Readahead of letter files: open, POSIX_FADV_WILLNEED, close, a bounded window ahead of the parsers.
#include "readahead.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

namespace imr {

Readahead::Readahead(const std::vector<InputFile>& files, std::size_t window, unsigned threads)
    : files_(files), window_(window) {
    for (unsigned t = 0; t < threads; ++t) threads_.emplace_back([this] { run(); });
}

Readahead::~Readahead() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
}

void Readahead::reached(std::size_t index) {
    std::size_t seen = reached_.load(std::memory_order_relaxed);
    while (index + 1 > seen && !reached_.compare_exchange_weak(seen, index + 1, std::memory_order_relaxed)) {
    }
    // Waking the threads for every letter would cost more futex calls than it saves. Taking the
    // lock between the store and the wake means no waiting thread misses it.
    if (index % 64 == 0) {
        { std::lock_guard lock(mutex_); }
        wake_.notify_all();
    }
}

void Readahead::run() {
    for (std::size_t i = next_++; i < files_.size(); i = next_++) {
        {
            std::unique_lock lock(mutex_);
            // Woken every 64 files, and looking again every 50 ms for parsers that stopped short
            // of the next wake. Four threads looking every millisecond were most of a 1M build's
            // 1.5 million context switches.
            while (!stopping_ && i >= reached_.load(std::memory_order_relaxed) + window_)
                wake_.wait_for(lock, std::chrono::milliseconds(50));
            if (stopping_) return;
        }
        const int fd = ::open(files_[i].path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;  // the parser names the problem when it reads the file
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
        ::close(fd);
        ++advised_;
    }
}

}  // namespace imr
