// Item-name checks for the audit: word lists of how a cut or merged name begins and ends.
#include "letter_audit.h"

#include "dates.h"
#include "text_scan.h"

#include <algorithm>
#include <vector>

namespace imr {
namespace {

using namespace imr::scan;

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> words;
    for (std::size_t i = 0; i < s.size();) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        if (j > i) words.push_back(s.substr(i, j - i));
        i = j;
    }
    return words;
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> list) {
    for (auto w : list)
        if (iequals(word, w)) return true;
    return false;
}

}  // namespace

std::string item_name_problem(std::string_view item) {
    item = trim(item);
    if (item.empty()) return "empty";
    auto words = words_of(item);
    const std::string_view first = words.front();
    const std::string_view last = trim_punct(words.back(), ".,;:");
    if (is_lower(first.front()) &&
        is_one_of(first, {"and", "or", "of", "the", "is", "to", "for", "in", "on", "at", "by", "a", "an", "as", "are"}))
        return "starts with \"" + std::string(first) + "\"";
    if (words.size() == 1 && is_lower(first.front())) return "a lone lower-case word";
    if (words.size() > 1 && is_one_of(last, {"is", "are", "was", "the", "of", "for", "and", "or", "to", "with", "a", "an"}))
        return "ends with \"" + std::string(last) + "\"";
    if (parse_date(item)) return "a bare date";
    if (std::all_of(item.begin(), item.end(), [](char c) { return is_digit(c) || c == ' ' || c == '.' || c == '/' || c == '-'; }))
        return "a bare number";
    for (std::string_view wording : {"original request", "set forth below", "was authorized", "IMR eligible",
                                     "Final Determination"})
        if (ifind(item, wording) != std::string_view::npos) return "holds \"" + std::string(wording) + "\"";
    return {};
}

}  // namespace imr
