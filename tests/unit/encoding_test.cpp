// Unit tests of encoding detection and conversion: UTF-8, BOMs, Windows-1252 through ICU, rejects.
#include "encoding.h"
#include "parser.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("is_valid_utf8") {
    struct Case {
        const char* name;
        std::string bytes;
        bool valid;
    };
    const Case cases[] = {
        {"plain ASCII", "Soma 350mg #60", true},
        {"two-byte character", "caf\xC3\xA9", true},
        {"three-byte curly quote", "\xE2\x80\x9Cyes\xE2\x80\x9D", true},
        {"four-byte emoji", "\xF0\x9F\x98\x80", true},
        {"Windows-1252 curly quote", "\x93yes\x94", false},
        {"Windows-1252 e acute", "caf\xE9", false},
        {"truncated sequence at the end", "caf\xC3", false},
        {"overlong slash", "\xC0\xAF", false},
        {"overlong three-byte", "\xE0\x80\xAF", false},
        {"UTF-16 surrogate", "\xED\xA0\x80", false},
        {"above U+10FFFF", "\xF4\x90\x80\x80", false},
        {"lone continuation byte", "a\x80" "b", false},
        {"empty", "", true},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::is_valid_utf8(c.bytes) == c.valid); }
    }
}

TEST_CASE("looks_binary") {
    struct Case {
        const char* name;
        std::string bytes;
        bool binary;
    };
    std::string mostly_text(1000, 'a');
    mostly_text[10] = '\x01';
    std::string noisy(100, 'a');
    for (int i = 0; i < 5; ++i) noisy[static_cast<std::size_t>(i * 20)] = '\x02';
    const Case cases[] = {
        {"letter text with tabs, CRLF and form feed", "Soma\t350mg\r\nPage 2\f\n", false},
        {"a NUL byte", std::string("text\0more", 9), true},
        {"one control byte in a thousand", mostly_text, false},
        {"five control bytes in a hundred", noisy, true},
        {"Windows-1252 high bytes are not controls", "\x93quoted\x94 \x99", false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::looks_binary(c.bytes) == c.binary); }
    }
}

TEST_CASE("decode_text") {
    struct Case {
        const char* name;
        std::string bytes;
        std::string utf8;
        std::string encoding;
    };
    const Case cases[] = {
        {"UTF-8 kept as is", "Soprodal 350\xE2\x84\xA2", "Soprodal 350\xE2\x84\xA2", "UTF-8"},
        {"UTF-8 BOM dropped", "\xEF\xBB\xBFHOW THE IMR", "HOW THE IMR", "UTF-8"},
        {"Windows-1252 curly quotes", "\x93Not recommended.\x94", "\xE2\x80\x9CNot recommended.\xE2\x80\x9D",
         "windows-1252"},
        {"Windows-1252 trade mark and NBSP", "350\x99\xA0mg", "350\xE2\x84\xA2\xC2\xA0mg", "windows-1252"},
        {"Windows-1252 euro sign", "\x80" "5", "\xE2\x82\xAC" "5", "windows-1252"},
        {"Windows-1252 BOM-less with e acute", "caf\xE9", "caf\xC3\xA9", "windows-1252"},
        {"UTF-16LE with BOM", std::string("\xFF\xFEO\0K\0", 6), "OK", "UTF-16LE"},
        {"UTF-16BE with BOM", std::string("\xFE\xFF\0O\0K", 6), "OK", "UTF-16BE"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            auto decoded = imr::decode_text(c.bytes);
            CHECK(decoded.utf8 == c.utf8);
            CHECK(decoded.encoding == c.encoding);
        }
    }
}

TEST_CASE("decode_text rejects bytes that are neither UTF-8 nor Windows-1252") {
    struct Case {
        const char* name;
        std::string bytes;
        std::string reason;
    };
    const Case cases[] = {
        {"undefined 0x81", "abc\x81", "cannot decode as UTF-8 or Windows-1252 (byte 0x81 at offset 3)"},
        {"undefined 0x9D after a valid high byte", "\xE9\x9D", "cannot decode as UTF-8 or Windows-1252 (byte 0x9D at offset 1)"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK_THROWS_WITH_AS(imr::decode_text(c.bytes), c.reason.c_str(), imr::RejectedLetter); }
    }
}
