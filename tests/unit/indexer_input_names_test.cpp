// File names as the index stores them (valid UTF-8) and as stderr prints them (no control bytes).
#include "input_names.h"

#include <doctest/doctest.h>

// Issue 19, items 9 and 11.
TEST_CASE("stored_file_name: bytes that are not UTF-8 are written as \\xNN, UTF-8 is kept") {
    CHECK(imr::stored_file_name("/in/letter.txt") == "/in/letter.txt");
    CHECK(imr::stored_file_name("/in/caf\xC3\xA9.txt") == "/in/caf\xC3\xA9.txt");
    CHECK(imr::stored_file_name("/in/caf\xE9.txt") == "/in/caf\\xE9.txt");
    CHECK(imr::stored_file_name("/in/\xC3") == "/in/\\xC3");              // a character cut short
    CHECK(imr::stored_file_name("/in/\xED\xA0\x80.txt") == "/in/\\xED\\xA0\\x80.txt");  // a surrogate
    CHECK(imr::stored_file_name("a\nb") == "a\nb");  // the index may hold it; JSON escapes it
}

TEST_CASE("printable_file_name: nothing in a name can forge a line or drive the terminal") {
    CHECK(imr::printable_file_name("/in/letter.txt") == "/in/letter.txt");
    CHECK(imr::printable_file_name("/in/evil\n/in/x.txt: rejected") == "/in/evil\\x0A/in/x.txt: rejected");
    CHECK(imr::printable_file_name("/in/\x1B[31mred.txt") == "/in/\\x1B[31mred.txt");
    CHECK(imr::printable_file_name("/in/a\rb\tc\x7F.txt") == "/in/a\\x0Db\\x09c\\x7F.txt");
    CHECK(imr::printable_file_name("/in/\xC2\x9B" "31m.txt") == "/in/\\u009B31m.txt");  // 8-bit CSI
    CHECK(imr::printable_file_name("/in/a\xE2\x80\xA8" "b.txt") == "/in/a\\u2028b.txt");
    CHECK(imr::printable_file_name("/in/back\\slash.txt") == "/in/back\\\\slash.txt");
    CHECK(imr::printable_file_name("/in/caf\xE9.txt") == "/in/caf\\xE9.txt");
    CHECK(imr::printable_file_name("/in/caf\xC3\xA9.txt") == "/in/caf\xC3\xA9.txt");
}
