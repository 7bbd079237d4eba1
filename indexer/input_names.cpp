// Escaping of file names for the index (valid UTF-8) and for stderr (no control characters).
#include "input_names.h"

#include "encoding.h"

#include <cstdio>

namespace imr {
namespace {

// Length of the valid UTF-8 character at s[i], or 0 when the byte starts none.
std::size_t utf8_length_at(std::string_view s, std::size_t i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) return 1;
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
    if (length == 0 || i + length > s.size() || !is_valid_utf8(s.substr(i, length))) return 0;
    return length;
}

void append_hex(std::string& out, unsigned char byte) {
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
    out += escaped;
}

std::string escape(std::string_view path, bool for_terminal) {
    std::string out;
    out.reserve(path.size());
    for (std::size_t i = 0; i < path.size();) {
        const std::size_t length = utf8_length_at(path, i);
        const auto byte = static_cast<unsigned char>(path[i]);
        if (length == 0) {
            append_hex(out, byte);
            ++i;
            continue;
        }
        if (for_terminal) {
            if (byte < 0x20 || byte == 0x7F) {
                append_hex(out, byte);
                ++i;
                continue;
            }
            if (byte == '\\') {
                out += "\\\\";
                ++i;
                continue;
            }
            const std::string_view character = path.substr(i, length);
            // C1 controls (U+0080-U+009F; 8-bit CSI is U+009B) and the line and paragraph separators.
            if (length == 2 && byte == 0xC2 && static_cast<unsigned char>(path[i + 1]) < 0xA0) {
                out += "\\u00";
                char hex[3];
                std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(path[i + 1]));
                out += hex;
                i += length;
                continue;
            }
            if (character == "\xE2\x80\xA8" || character == "\xE2\x80\xA9") {
                out += character == "\xE2\x80\xA8" ? "\\u2028" : "\\u2029";
                i += length;
                continue;
            }
        }
        out.append(path.substr(i, length));
        i += length;
    }
    return out;
}

}  // namespace

std::string stored_file_name(std::string_view path) { return escape(path, false); }

std::string printable_file_name(std::string_view path) { return escape(path, true); }

}  // namespace imr
