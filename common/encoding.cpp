// Encoding detection and conversion: UTF-8 is validated by hand (fast, no copy); other encodings go through ICU.
#include "encoding.h"

#include "parser.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace imr {
namespace {

struct ConverterCloser {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// ICU converters are not thread-safe; one per thread and encoding keeps parse() reentrant.
UConverter& converter_for(const char* name) {
    thread_local std::vector<std::pair<std::string, ConverterPtr>> cache;
    for (auto& [cached_name, converter] : cache)
        if (cached_name == name) return *converter;
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(name, &status));
    if (U_FAILURE(status) || !converter)
        throw std::runtime_error(std::string("ICU has no converter for ") + name + ": " + u_errorName(status));
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    cache.emplace_back(name, std::move(converter));
    return *cache.back().second;
}

std::string hex_byte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

// Converts with ICU, stopping at the first byte the encoding does not define.
std::string convert_to_utf8(std::string_view bytes, const char* encoding) {
    UConverter& converter = converter_for(encoding);
    ucnv_reset(&converter);
    UErrorCode status = U_ZERO_ERROR;
    std::u16string utf16(bytes.size() + 1, u'\0');
    int32_t units = ucnv_toUChars(&converter, utf16.data(), static_cast<int32_t>(utf16.size()), bytes.data(),
                                  static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status))
        throw RejectedLetter(std::string("cannot decode as ") + encoding + ": " + u_errorName(status));
    std::string utf8(static_cast<std::size_t>(units) * 3 + 1, '\0');
    int32_t length = 0;
    status = U_ZERO_ERROR;
    u_strToUTF8(utf8.data(), static_cast<int32_t>(utf8.size()), &length, utf16.data(), units, &status);
    if (U_FAILURE(status))
        throw RejectedLetter(std::string("cannot decode as ") + encoding + ": " + u_errorName(status));
    utf8.resize(static_cast<std::size_t>(length));
    return utf8;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        // Eight ASCII bytes at a time: letters are almost all ASCII.
        while (end - p >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ULL) break;
            p += 8;
        }
        if (p == end) break;
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t need;
        uint32_t code;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            code = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            code = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            code = c & 0x07;
        } else {
            return false;  // continuation byte out of place, overlong lead (C0, C1) or F5..FF
        }
        if (static_cast<std::size_t>(end - p) <= need) return false;
        for (std::size_t i = 1; i <= need; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            code = (code << 6) | (p[i] & 0x3F);
        }
        if ((need == 2 && code < 0x800) || (need == 3 && code < 0x10000) || code > 0x10FFFF ||
            (code >= 0xD800 && code <= 0xDFFF))
            return false;
        p += need + 1;
    }
    return true;
}

bool looks_binary(std::string_view bytes) {
    std::size_t controls = 0;
    std::size_t i = 0;
    while (i < bytes.size()) {
        // Skip eight bytes at a time when none is below 0x20 or equal to 0x7F (the usual case).
        if (bytes.size() - i >= 8) {
            uint64_t word;
            std::memcpy(&word, bytes.data() + i, 8);
            constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
            uint64_t below_space = (word - ones * 0x20) & ~word & highs;
            uint64_t x = word ^ (ones * 0x7F);
            uint64_t is_del = (x - ones) & ~x & highs;
            if (!(below_space | is_del)) {
                i += 8;
                continue;
            }
        }
        auto c = static_cast<unsigned char>(bytes[i++]);
        if (c == 0) return true;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) ++controls;
    }
    return controls * 100 > bytes.size();
}

DecodedText decode_text(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    else if (bytes.starts_with("\xFF\xFE")) return {convert_to_utf8(bytes.substr(2), "UTF-16LE"), "UTF-16LE"};
    else if (bytes.starts_with("\xFE\xFF")) return {convert_to_utf8(bytes.substr(2), "UTF-16BE"), "UTF-16BE"};

    if (is_valid_utf8(bytes)) return {std::string(bytes), "UTF-8"};

    // ICU maps the five bytes Windows-1252 leaves undefined to C1 controls instead of failing;
    // a real letter never holds them, so they mean the file is in some other encoding.
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto c = static_cast<unsigned char>(bytes[i]);
        if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D)
            throw RejectedLetter("cannot decode as UTF-8 or Windows-1252 (byte " + hex_byte(c) + " at offset " +
                                 std::to_string(i) + ")");
    }
    return {convert_to_utf8(bytes, "windows-1252"), "windows-1252"};
}

}  // namespace imr
