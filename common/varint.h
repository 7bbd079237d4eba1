// LEB128 varints: the byte format of section spans and token streams.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace imr::varint {

inline void put(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

// Reads one varint from the front of `in`; false when `in` ends inside it.
inline bool get(std::string_view& in, std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) return true;
    }
    return false;
}

}  // namespace imr::varint
