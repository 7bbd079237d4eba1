// Sentence and paragraph starts from punctuation and the shape of wrapped lines.
#include "sentences.h"

#include <algorithm>
#include <array>

namespace imr {
namespace {

// Longer lines than this are not a PDF's wrapped lines: each line is then a paragraph.
constexpr std::size_t kUnwrappedLine = 130;

// Folded words that end with a period without ending a sentence.
bool abbreviation(std::string_view term) {
    static constexpr std::array<std::string_view, 22> kWords = {
        "dr", "mr", "mrs", "ms", "vs", "e.g", "i.e", "no", "st", "jr", "sr", "approx", "fig", "inc", "al",
        "cf", "pp", "p", "u.s", "etc", "dept", "ph.d"};
    return std::find(kWords.begin(), kWords.end(), term) != kWords.end();
}

bool starts_capital_or_digit(std::string_view text, std::size_t at) {
    if (at >= text.size()) return false;
    const char c = text[at];
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::vector<TokenStart> token_starts(std::string_view text, const std::vector<Token>& tokens) {
    std::vector<TokenStart> starts(tokens.size(), TokenStart::None);
    if (tokens.size() < 2) return starts;

    std::size_t longest = 0;
    for (std::size_t begin = 0; begin <= text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) end = text.size();
        longest = std::max(longest, end - begin);
        begin = end + 1;
    }
    const bool unwrapped = longest > kUnwrappedLine;
    // Where the line holding byte `at` starts.
    auto line_start = [&](std::size_t at) {
        const std::size_t nl = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
        return nl == std::string_view::npos ? 0 : nl + 1;
    };

    for (std::size_t k = 1; k < tokens.size(); ++k) {
        const std::size_t gap_begin = tokens[k - 1].end, gap_end = tokens[k].begin;
        const std::string_view gap = text.substr(gap_begin, gap_end - gap_begin);
        bool sentence_end = false;  // a '.', '?' or '!' in the gap, followed by space
        char last_mark = '\0';      // the last non-space character of the gap before its first newline
        std::size_t newlines = 0;
        std::size_t first_newline = std::string_view::npos;
        bool blank_line = false;
        for (std::size_t i = 0; i < gap.size(); ++i) {
            const char c = gap[i];
            if (c == '\n') {
                if (newlines > 0) {
                    bool only_space = true;
                    for (std::size_t j = first_newline + 1; j < i && only_space; ++j) only_space = is_space(gap[j]);
                    blank_line = blank_line || only_space;
                }
                if (first_newline == std::string_view::npos) first_newline = i;
                ++newlines;
                continue;
            }
            if (is_space(c)) continue;
            if (first_newline == std::string_view::npos) last_mark = c;
            if ((c == '.' || c == '?' || c == '!') && (i + 1 == gap.size() || is_space(gap[i + 1]) || gap[i + 1] == '\n' ||
                                                       gap[i + 1] == '"' || gap[i + 1] == ')'))
                sentence_end = true;
        }
        const bool capital = starts_capital_or_digit(text, gap_end);
        const bool sentence = sentence_end && capital && !abbreviation(tokens[k - 1].term);

        bool paragraph = blank_line;
        if (!paragraph && newlines > 0) {
            if (unwrapped) {
                paragraph = true;
            } else {
                const std::size_t line_length = gap_begin + first_newline - line_start(gap_begin);
                const bool ends_clause = sentence_end || last_mark == ':' || last_mark == '.';
                paragraph = (ends_clause && line_length * 100 < longest * 85) || (capital && line_length * 100 < longest * 60);
            }
        }
        starts[k] = paragraph ? TokenStart::Paragraph : sentence ? TokenStart::Sentence : TokenStart::None;
    }
    return starts;
}

}  // namespace imr
