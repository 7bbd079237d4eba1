// Date recognition by hand-written scanning (std::regex is far too slow for a parser run on millions of letters).
#include "dates.h"

#include "text_scan.h"

#include <algorithm>
#include <array>

namespace imr {
namespace {

using namespace imr::scan;

struct MonthName {
    const char* name;
    int month;
};
// Full names first so that "June" is not read as "Jun" + "e".
constexpr std::array kMonths = {
    MonthName{"january", 1}, MonthName{"february", 2}, MonthName{"march", 3},    MonthName{"april", 4},
    MonthName{"may", 5},     MonthName{"june", 6},     MonthName{"july", 7},     MonthName{"august", 8},
    MonthName{"september", 9}, MonthName{"october", 10}, MonthName{"november", 11}, MonthName{"december", 12},
    MonthName{"sept", 9},    MonthName{"jan", 1},      MonthName{"feb", 2},      MonthName{"mar", 3},
    MonthName{"apr", 4},     MonthName{"jun", 6},      MonthName{"jul", 7},      MonthName{"aug", 8},
    MonthName{"sep", 9},     MonthName{"oct", 10},     MonthName{"nov", 11},     MonthName{"dec", 12},
};

// Reads 1..max_digits digits at i; returns the count read (0 when none) and the value.
std::size_t read_number(std::string_view s, std::size_t i, std::size_t max_digits, int& value) {
    std::size_t n = 0;
    value = 0;
    while (i + n < s.size() && is_digit(s[i + n])) {
        if (n == max_digits) return 0;  // too many digits: not this field
        value = value * 10 + (s[i + n] - '0');
        ++n;
    }
    return n;
}

std::size_t skip_blanks(std::string_view s, std::size_t i) {
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
}

// A number must not run on into letters, digits or another separator ("10/325/40", "2014-15").
bool ends_cleanly(std::string_view s, std::size_t end) {
    if (end >= s.size()) return true;
    char c = s[end];
    if (is_alnum(c)) return false;
    if ((c == '/' || c == '-') && end + 1 < s.size() && is_digit(s[end + 1])) return false;
    return true;
}

std::optional<DateMatch> numeric_date_at(std::string_view s, std::size_t pos) {
    int a = 0, b = 0, c = 0;
    std::size_t na = read_number(s, pos, 4, a);
    if (na == 0) return std::nullopt;
    std::size_t i = pos + na;
    if (i >= s.size() || (s[i] != '/' && s[i] != '-')) return std::nullopt;
    char sep = s[i++];
    std::size_t nb = read_number(s, i, 2, b);
    if (nb == 0) return std::nullopt;
    i += nb;
    if (i >= s.size() || s[i] != sep) return std::nullopt;
    ++i;
    std::size_t nc = read_number(s, i, 4, c);
    if (nc == 0) return std::nullopt;
    i += nc;
    if (!ends_cleanly(s, i)) return std::nullopt;
    int year, month, day;
    if (na == 4) {  // 2014-12-04
        if (nc > 2) return std::nullopt;
        year = a, month = b, day = c;
    } else if (na <= 2 && (nc == 4 || nc == 2)) {  // 12/04/2014, 9/16/14
        year = nc == 2 ? expand_two_digit_year(c) : c;
        month = a, day = b;
    } else {
        return std::nullopt;
    }
    if (!is_valid_date(year, month, day)) return std::nullopt;
    return DateMatch{Date{year, month, day}, pos, i};
}

// The month named at pos ("December", "Dec.", "SEPT"), with the position after it.
std::optional<int> month_at(std::string_view s, std::size_t pos, std::size_t& after) {
    if (pos >= s.size() || !is_upper(s[pos])) return std::nullopt;  // "may" in prose is not a month
    for (const auto& m : kMonths) {
        std::string_view name(m.name);
        if (!istarts_with(s.substr(pos), name)) continue;
        std::size_t end = pos + name.size();
        if (end < s.size() && is_alpha(s[end])) continue;
        if (end < s.size() && s[end] == '.' && name.size() <= 4) ++end;
        after = end;
        return m.month;
    }
    return std::nullopt;
}

// The ", 2014" that ends a written date whose month and day are read; `i` is just past the day
// (or month). The match starts at `start`.
std::optional<DateMatch> with_year_at(std::string_view s, std::size_t start, std::size_t i, int month, int day) {
    if (i < s.size() && s[i] == ',') ++i;
    i = skip_blanks(s, i);
    int year = 0;
    std::size_t ny = read_number(s, i, 4, year);
    if (ny != 4) return std::nullopt;
    i += ny;
    if (i < s.size() && is_alnum(s[i])) return std::nullopt;
    if (!is_valid_date(year, month, day)) return std::nullopt;
    return DateMatch{Date{year, month, day}, start, i};
}

std::optional<DateMatch> written_date_at(std::string_view s, std::size_t pos) {
    std::size_t i = 0;
    if (auto month = month_at(s, pos, i)) {  // December 22, 2014
        i = skip_blanks(s, i);
        int day = 0;
        std::size_t nd = read_number(s, i, 2, day);
        if (nd == 0) return std::nullopt;
        i += nd;
        for (std::string_view suffix : {"st", "nd", "rd", "th"})
            if (s.substr(i).starts_with(suffix)) i += 2;
        return with_year_at(s, pos, i, *month, day);
    }
    int day = 0;  // 22 December 2014
    std::size_t nd = read_number(s, pos, 2, day);
    if (nd == 0) return std::nullopt;
    i = skip_blanks(s, pos + nd);
    if (i == pos + nd) return std::nullopt;
    std::size_t after = 0;
    auto month = month_at(s, i, after);
    if (!month) return std::nullopt;
    return with_year_at(s, pos, after, *month, day);
}

bool is_sentence_end(std::string_view s, std::size_t i) {
    if (s[i] == '\n') return true;
    if (s[i] != '.' && s[i] != '?' && s[i] != '!') return false;
    // "U.S." and "Dr." are not sentence ends when followed by a lower-case word; a capital after
    // ". " usually is.
    return i + 2 < s.size() && s[i + 1] == ' ' && (is_upper(s[i + 2]) || is_digit(s[i + 2]));
}

// The sentence containing [begin, end).
std::string_view sentence_around(std::string_view s, std::size_t begin, std::size_t end) {
    std::size_t start = begin;
    while (start > 0 && !is_sentence_end(s, start - 1)) --start;
    std::size_t stop = end;
    while (stop < s.size() && !is_sentence_end(s, stop)) ++stop;
    return s.substr(start, stop - start);
}

// Lower-case words of a short stretch of text, last first.
std::vector<std::string> words_backwards(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = s.size();
    while (i > 0) {
        while (i > 0 && !is_alnum(s[i - 1])) {
            if (s[i - 1] == '.' || s[i - 1] == ';') return words;  // stop at a sentence or clause end
            --i;
        }
        std::size_t end = i;
        while (i > 0 && is_alnum(s[i - 1])) --i;
        if (end > i) words.push_back(to_lower(s.substr(i, end - i)));
    }
    return words;
}

bool is_injury_word(std::string_view w) {
    return w == "injury" || w == "injuries" || w == "injured" || w == "hurt" || w == "doi" || w == "accident";
}

// Words between an injury word and a date that show the date is of something else: a visit, a
// report, a test ("injured ... was seen on", "injury ... progress note dated").
bool is_other_event(std::string_view w) {
    constexpr std::array kEvents = {"seen", "evaluated", "examined", "visit", "visits", "note", "notes",
                                    "report", "reports", "progress", "follow", "request", "requested",
                                    "review", "reviewed", "surgery", "underwent", "mri", "exam",
                                    "examination", "treated", "denied", "certified", "prescribed"};
    return std::find(kEvents.begin(), kEvents.end(), w) != kEvents.end();
}

bool is_connector(std::string_view w) {
    constexpr std::array kConnectors = {"dated", "date", "on", "of", "occurring", "occurred", "that", "which",
                                        "was", "in", "from", "around", "approximately", "about", "the", "a",
                                        "an", "sustained", "reported", "is", "with", "at", "to", "his", "her",
                                        "their", "work", "while"};
    for (const char* c : kConnectors)
        if (w == c) return true;
    return false;
}

// "industrial injury dated", "injured his low back on", "DOI:" right before a date.
bool injury_named_before(std::string_view before) {
    auto words = words_backwards(before.substr(before.size() > 80 ? before.size() - 80 : 0));
    std::size_t others = 0;
    for (std::size_t n = 0; n < words.size() && n < 7; ++n) {
        if (is_injury_word(words[n])) {
            // "the injured worker was seen on ..." names a person, not the injury.
            static constexpr std::array kPersons = {"worker", "workers", "employee", "party", "patient", "individual"};
            bool names_person = n > 0 && std::find(kPersons.begin(), kPersons.end(), words[n - 1]) != kPersons.end();
            return !names_person && others <= 3;
        }
        if (!is_connector(words[n])) {
            // Another date or number, or another event, in between.
            if (is_digit(words[n].front()) || is_other_event(words[n])) return false;
            ++others;
        }
    }
    return false;
}

// "12/27/00 date of injury", "4/1/2012 (DOI)", "5/5/2010 industrial injury".
bool injury_named_after(std::string_view after) {
    std::size_t i = 0;
    while (i < after.size() && (after[i] == ' ' || after[i] == '(' || after[i] == ',')) ++i;
    after = after.substr(i);
    for (std::string_view phrase : {"date of injury", "doi", "industrial injury", "injury date", "date of the injury"})
        if (istarts_with(after, phrase) && word_end_at(after, phrase.size())) return true;
    return false;
}

}  // namespace

int expand_two_digit_year(int two_digit_year) {
    return two_digit_year <= 30 ? 2000 + two_digit_year : 1900 + two_digit_year;
}

bool is_valid_date(int year, int month, int day) {
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int days = kDays[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) days = 29;
    return day <= days;
}

std::optional<DateMatch> date_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size() || !word_start_at(text, pos)) return std::nullopt;
    if (is_digit(text[pos])) {
        if (pos > 0 && (text[pos - 1] == '/' || text[pos - 1] == '-' || text[pos - 1] == '.')) return std::nullopt;
        if (auto numeric = numeric_date_at(text, pos)) return numeric;
        return written_date_at(text, pos);
    }
    if (is_upper(text[pos])) return written_date_at(text, pos);
    return std::nullopt;
}

std::optional<Date> parse_date(std::string_view text) {
    text = trim_punct(text, ".");
    auto match = date_at(text, 0);
    if (!match || match->end != text.size()) return std::nullopt;
    return match->date;
}

std::vector<DateMatch> find_dates(std::string_view text) {
    std::vector<DateMatch> dates;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (!(is_digit(c) || is_upper(c)) || !word_start_at(text, i)) continue;
        if (auto match = date_at(text, i)) {
            dates.push_back(*match);
            i = match->end - 1;
        }
    }
    return dates;
}

std::optional<Date> labelled_date(std::string_view text, std::string_view label) {
    // Where the label's first letter is, in either case: two memchr scans rather than a byte loop
    // (most letters are read for three or four labels, and a missing one costs the whole text).
    const char first_lower = lower(label.front());
    const char first_upper = upper(label.front());
    std::size_t next_lower = text.find(first_lower);
    std::size_t next_upper = first_upper != first_lower ? text.find(first_upper) : std::string_view::npos;
    for (;;) {
        const std::size_t start = std::min(next_lower, next_upper);
        if (start == std::string_view::npos) break;
        if (start == next_lower) next_lower = text.find(first_lower, start + 1);
        else next_upper = text.find(first_upper, start + 1);
        if (!word_start_at(text, start)) continue;
        bool line_start = start == 0 || text[start - 1] == '\n';
        if (!line_start && text[start - 1] != ' ') continue;
        // Spacing-insensitive: compare label and text letter by letter, skipping spaces.
        std::size_t i = start, j = 0;
        while (j < label.size() && i < text.size() && text[i] != '\n') {
            if (label[j] == ' ') { ++j; continue; }
            if (text[i] == ' ') { ++i; continue; }
            if (lower(text[i]) != lower(label[j])) break;
            ++i, ++j;
        }
        if (j != label.size() || (i < text.size() && is_alnum(text[i]))) continue;
        // Header tables put several fields on one line ("Case Number: ...  Date Assigned: ..."):
        // away from the start of a line, only a label with its colon counts.
        std::size_t k = i;
        while (k < text.size() && text[k] == ' ') ++k;
        bool colon = k < text.size() && text[k] == ':';
        if (!line_start && !colon) continue;
        while (k < text.size() && (text[k] == ' ' || text[k] == ':')) ++k;
        if (auto match = date_at(text, k)) return match->date;
    }
    return std::nullopt;
}

std::optional<Date> injury_date_in_prose(std::string_view text) {
    for (const auto& match : find_dates(text)) {
        if (injury_named_before(text.substr(0, match.begin)) || injury_named_after(text.substr(match.end)))
            return match.date;
    }
    return std::nullopt;
}

std::optional<Date> ur_denial_date_in_prose(std::string_view text) {
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t review = ifind(text, "utilization review", pos);
        std::size_t ur = ifind_word(text, "UR", pos);
        std::size_t at = std::min(review, ur);
        if (at == std::string_view::npos) return std::nullopt;
        std::string_view sentence = sentence_around(text, at, at + 2);
        std::size_t sentence_start = scan::offset_in(text, sentence);
        bool denied = false;
        for (std::string_view verb : {"denied", "non-certified", "noncertified", "not certified", "failed to approve",
                                      "did not approve", "not approve", "modified", "non-certify", "deny"})
            denied = denied || ifind(sentence, verb) != std::string_view::npos;
        if (denied) {
            for (const auto& match : find_dates(sentence))
                if (sentence_start + match.begin > at && sentence_start + match.begin - at < 120) return match.date;
        }
        pos = sentence_start + sentence.size() + 1;
    }
    return std::nullopt;
}

}  // namespace imr
