// The progress bar imr-index draws on a terminal's stderr.
#include "progress.h"

#include <algorithm>
#include <cstdio>

namespace imr {

ProgressBar::ProgressBar(std::ostream& out, std::size_t total, bool enabled)
    : out_(out), total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

std::string ProgressBar::render(std::size_t done, std::size_t total, double seconds) {
    constexpr std::size_t kWidth = 20;
    const std::size_t filled = total == 0 ? kWidth : std::min(kWidth, done * kWidth / total);
    std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, ' ') + "]";
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    char tail[128];
    if (rate > 0 && done < total) {
        const auto left = static_cast<long long>(static_cast<double>(total - done) / rate + 0.5);
        std::snprintf(tail, sizeof tail, "  %zu/%zu letters  %.0f/s  ETA %lld:%02lld", done, total, rate, left / 60, left % 60);
    } else {
        std::snprintf(tail, sizeof tail, "  %zu/%zu letters  %.0f/s", done, total, rate);
    }
    return bar + tail;
}

void ProgressBar::update(std::size_t done) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
    last_draw_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    out_ << '\r' << render(done, total_, seconds) << "\033[K" << std::flush;
    drawn_ = true;
}

void ProgressBar::clear() {
    if (!enabled_ || !drawn_) return;
    out_ << "\r\033[K" << std::flush;
    drawn_ = false;
}

}  // namespace imr
