// Formatting of access-log lines, kept apart from the server so it is testable without a socket.
#include "access_log.h"

#include <cstdio>

namespace imr::web {
namespace {

void append_escaped(std::string& out, std::string_view text, std::size_t max_bytes) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= max_bytes) {
            out += "...";
            return;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x21 || c >= 0x7F || c == '\\') {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02X", c);
            out += hex;
        } else {
            out += static_cast<char>(c);
        }
    }
}

}  // namespace

std::string access_log_line(std::string_view method, std::string_view target, int status, std::size_t bytes,
                            double milliseconds) {
    constexpr std::size_t kMaxFieldBytes = 2000;
    std::string line;
    append_escaped(line, method.empty() ? "-" : method, 20);
    line += ' ';
    std::string escaped_target;
    append_escaped(escaped_target, target.empty() ? "-" : target, kMaxFieldBytes);
    line += escaped_target;
    char tail[64];
    std::snprintf(tail, sizeof tail, " %d %zuB %.1fms", status, bytes, milliseconds);
    line += tail;
    return line;
}

}  // namespace imr::web
