// Small byte-level scanning helpers shared by the parser modules (ASCII case rules; UTF-8 passes through).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imr::scan {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
inline bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
// Bytes of a multi-byte UTF-8 character count as word characters, so "café" is one word.
inline bool is_word_byte(char c) { return is_alnum(c) || static_cast<unsigned char>(c) >= 0x80; }
inline char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
inline char upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline bool iends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Case-insensitive search for an ASCII needle; npos when absent.
inline std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
    if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
    if (hay.size() < needle.size()) return std::string_view::npos;
    const char first_lower = lower(needle[0]);
    const char first_upper = upper(needle[0]);
    const std::size_t last = hay.size() - needle.size();  // the last start the needle fits after
    // Candidates are the first letter's places in either case, found by memchr (string_view::find).
    std::size_t next_lower = hay.find(first_lower, from);
    std::size_t next_upper = first_upper != first_lower ? hay.find(first_upper, from) : std::string_view::npos;
    for (;;) {
        const std::size_t i = next_lower < next_upper ? next_lower : next_upper;
        if (i == std::string_view::npos || i > last) return std::string_view::npos;
        std::size_t j = 1;
        while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
        if (j == needle.size()) return i;
        if (i == next_lower) next_lower = hay.find(first_lower, i + 1);
        else next_upper = hay.find(first_upper, i + 1);
    }
}

inline bool word_start_at(std::string_view s, std::size_t pos) { return pos == 0 || !is_word_byte(s[pos - 1]); }
inline bool word_end_at(std::string_view s, std::size_t end) { return end >= s.size() || !is_word_byte(s[end]); }

// Case-insensitive search for a needle that starts and ends on word boundaries.
inline std::size_t ifind_word(std::string_view hay, std::string_view needle, std::size_t from = 0) {
    for (std::size_t pos = ifind(hay, needle, from); pos != std::string_view::npos;
         pos = ifind(hay, needle, pos + 1)) {
        if ((word_start_at(hay, pos) || !is_word_byte(needle.front())) &&
            (word_end_at(hay, pos + needle.size()) || !is_word_byte(needle.back())))
            return pos;
    }
    return std::string_view::npos;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Trims spaces and the given punctuation from both ends: trim_punct(" Soma 350mg. ", ".;,") -> "Soma 350mg".
inline std::string_view trim_punct(std::string_view s, std::string_view punct) {
    auto strip = [&](char c) { return is_space(c) || punct.find(c) != std::string_view::npos; };
    while (!s.empty() && strip(s.front())) s.remove_prefix(1);
    while (!s.empty() && strip(s.back())) s.remove_suffix(1);
    return s;
}

// Collapses every run of whitespace into one space and trims the ends.
inline std::string squeeze_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (char c : s) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// Offset of a view that points into `whole`.
inline std::size_t offset_in(std::string_view whole, std::string_view part) {
    return static_cast<std::size_t>(part.data() - whole.data());
}

// The values with `sep` between them: join(std::vector<std::string>{"a", "b"}, "; ") == "a; b".
template <class Strings>
std::string join(const Strings& values, std::string_view sep) {
    std::string out;
    for (const auto& value : values) {
        if (!out.empty()) out += sep;
        out += value;
    }
    return out;
}

// The values as a sentence lists them: or_list({"a", "b", "c"}) == "a, b or c".
template <class Strings>
std::string or_list(const Strings& values) {
    std::string out;
    std::size_t i = 0;
    for (const auto& value : values) {
        if (i > 0) out += i + 1 == std::size(values) ? " or " : ", ";
        out += value;
        ++i;
    }
    return out;
}

}  // namespace imr::scan
