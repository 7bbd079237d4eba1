// JSON text written directly, as nlohmann::json::dump() writes it.
#include "json_text.h"

#include <charconv>
#include <stdexcept>

namespace imr::json_text {
namespace {

// Bytes of the well-formed UTF-8 sequence (RFC 3629, as dump()'s decoder accepts) that starts with a
// byte >= 0x80 at p; 0 when there is none.
std::size_t utf8_length(const unsigned char* p, std::size_t left) {
    auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return k < left && p[k] >= lo && p[k] <= hi;
    };
    const unsigned char c = p[0];
    if (c < 0xC2) return 0;
    if (c <= 0xDF) return cont(1) ? 2 : 0;
    if (c <= 0xEF) {
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        return cont(1, lo, hi) && cont(2) ? 3 : 0;
    }
    if (c <= 0xF4) {
        const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
        return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

// dump() names the first bad byte in its exception: let it.
[[noreturn]] void invalid_utf8(std::string_view s) {
    (void)nlohmann::json(std::string(s)).dump();
    throw std::logic_error("json_text: a string dump() accepts was taken for invalid UTF-8");
}

void append_escaped(std::string& out, unsigned char c) {
    switch (c) {
        case '\b': out += "\\b"; return;
        case '\t': out += "\\t"; return;
        case '\n': out += "\\n"; return;
        case '\f': out += "\\f"; return;
        case '\r': out += "\\r"; return;
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        default: {
            static constexpr char kHex[] = "0123456789abcdef";
            const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out.append(escaped, sizeof escaped);
        }
    }
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
        } else if (c >= 0x80) {
            const std::size_t length = utf8_length(p + i, n - i);
            if (length == 0) invalid_utf8(s);
            i += length;
        } else {
            out.append(s.data() + run, i - run);
            append_escaped(out, c);
            run = ++i;
        }
    }
    out.append(s.data() + run, n - run);
    out += '"';
}

void append_number(std::string& out, std::uint64_t n) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

void append_number(std::string& out, std::int64_t n) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

void append(std::string& out, const nlohmann::json& value) {
    using value_t = nlohmann::json::value_t;
    switch (value.type()) {
        case value_t::null: out += "null"; return;
        case value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
        case value_t::number_integer: append_number(out, value.get<std::int64_t>()); return;
        case value_t::number_unsigned: append_number(out, value.get<std::uint64_t>()); return;
        case value_t::string: append_string(out, value.get_ref<const std::string&>()); return;
        case value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& item : value) {
                if (!first) out += ',';
                first = false;
                append(out, item);
            }
            out += ']';
            return;
        }
        case value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : value.items()) {
                if (!first) out += ',';
                first = false;
                append_string(out, key);
                out += ':';
                append(out, item);
            }
            out += '}';
            return;
        }
        default: out += value.dump(); return;  // floats, binary: rare, and dump() knows their forms
    }
}

}  // namespace imr::json_text
