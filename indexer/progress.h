// A one-line progress bar for terminals: letters done, letters/s and the time left.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace imr {

class ProgressBar {
public:
    // Draws nothing when disabled, so callers need no conditions of their own.
    ProgressBar(std::ostream& out, std::size_t total, bool enabled);
    // Redraws at most ten times a second.
    void update(std::size_t done);
    // Wipes the bar so that another line can be printed; the next update draws it again.
    void clear();
    // The bar's text for `done` letters after `seconds`, e.g.
    // "[#########           ]  4500/10000 letters  2250/s  ETA 0:02".
    static std::string render(std::size_t done, std::size_t total, double seconds);

private:
    std::ostream& out_;
    std::size_t total_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace imr
