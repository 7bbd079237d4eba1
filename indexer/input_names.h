// File names as imr-index stores and prints them: names are bytes, the index and a terminal are not.
#pragma once

#include <string>
#include <string_view>

namespace imr {

// The name as stored in the index and shown by the searcher: valid UTF-8, each byte that is not
// part of a UTF-8 character written as "\xNN" ("caf\xE9.txt"). A name that is UTF-8 is unchanged.
// (A Latin-1 name made the letter's JSON throw type_error.316 and the letter was rejected.)
std::string stored_file_name(std::string_view path);

// The name as printed on stderr: stored_file_name, with control characters (a newline would forge
// a "rejected" line, ESC sequences would drive the terminal), DEL, C1 controls and the Unicode
// line separators written as "\xNN" or "\u2028", and a backslash doubled so the escapes are unambiguous.
std::string printable_file_name(std::string_view path);

}  // namespace imr
