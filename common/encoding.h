// Detects whether letter bytes are UTF-8 or Windows-1252 and converts them to UTF-8 with ICU.
#pragma once

#include <string>
#include <string_view>

namespace imr {

struct DecodedText {
    std::string utf8;      // the text, without a byte order mark
    std::string encoding;  // "UTF-8", "windows-1252", "UTF-16LE" or "UTF-16BE"
};

// True when the bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// True when the bytes look like binary data rather than text: a NUL byte, or more than 1% of the
// bytes are C0 control characters other than tab, line feed, carriage return and form feed.
bool looks_binary(std::string_view bytes);

// Valid UTF-8 (with or without a BOM) is kept; a UTF-16 BOM selects UTF-16; anything else is read
// as Windows-1252, the encoding of the letters that are not UTF-8. Throws RejectedLetter when the
// bytes are neither (Windows-1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined).
DecodedText decode_text(std::string_view bytes);

}  // namespace imr
