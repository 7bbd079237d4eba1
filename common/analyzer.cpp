// The ICU analyzer: UAX #29 words, NFKC case folding, compounds such as 10/325 and L5-S1, English stems.
//
// Decisions that the query side relies on (it uses this same code, so they hold for both sides):
// - Word pieces come from ICU's UAX #29 word break iterator, run directly over the UTF-8 bytes
//   (a UTF-8 UText), so ICU's boundaries are byte offsets into the caller's text and no UTF-16
//   copy of the letter is made. ICU already keeps 350mg, 9792.20, 7.5 and 2x6 whole.
// - A run of word pieces joined by single '-' or '/' characters (no spaces) becomes ONE token when
//   any piece of the run contains a digit: 10/325, 5/325mg, L5-S1, C5-6, L4-L5, CM15-0198233,
//   49-year-old. The pieces are kept as Token::parts (searchable, no positions of their own).
//   The whole run decides, not each pair, so "49-year-old" does not become "49-year" + "old".
// - Runs without digits are split into separate tokens, one position each: "long-term" ->
//   "long" "term", "hydrocodone/APAP" -> "hydrocodone" "apap". So a user typing "long term",
//   "long-term" or "hydrocodone APAP" gets the same phrase as the letter, and phrases never need
//   optional positions.
// - '#' directly before a number is part of the token: "#60" with part "60".
// - A piece that is a number glued to a unit ("350mg", "25mcg") also gets the number and the unit
//   as parts, so "350 mg" typed as words finds "350mg" through the parts. A piece with '.' between
//   letters ("injury.The", two sentences run together by PDF extraction; UAX #29 keeps it whole)
//   gets its words as parts.
// - A joined run longer than kMaxTermBytes is not joined (its pieces become tokens); a single
//   piece longer than that is dropped (base64 junk, long rules of underscores). Both sides drop
//   the same tokens, so phrases stay adjacent.
#include "analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace imr {
namespace {

// Longer tokens are noise, and Xapian's TermGenerator uses the same limit.
constexpr std::size_t kMaxTermBytes = 64;

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool has_digit(std::string_view s) { return std::any_of(s.begin(), s.end(), is_digit); }
// Digits, with the decimal point or thousands comma UAX #29 keeps inside a number ("1.5").
bool is_number(std::string_view s) {
    return !s.empty() && is_digit(s.front()) &&
           std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c) || c == '.' || c == ','; });
}

// The separators that join compound pieces: '-', '/', and the Unicode hyphens and dashes that
// PDF extraction produces in "L4–L5" (folded to '-').
bool is_joiner(std::string_view s) {
    return s == "-" || s == "/" || s == "\u2010" || s == "\u2011" || s == "\u2012" || s == "\u2013";
}

// "350mg" -> {"350", "mg"}; anything else -> nothing. Expects a folded piece.
bool split_number_unit(std::string_view piece, std::string_view& number, std::string_view& unit) {
    if (piece.empty() || !is_digit(piece.front())) return false;
    std::size_t i = 0;
    while (i < piece.size() && (is_digit(piece[i]) || piece[i] == '.' || piece[i] == ',')) ++i;
    if (i == piece.size() || !is_digit(piece[i - 1])) return false;
    for (std::size_t j = i; j < piece.size(); ++j)
        if (piece[j] < 'a' || piece[j] > 'z') return false;
    number = piece.substr(0, i);
    unit = piece.substr(i);
    return true;
}

void add_part(std::vector<std::string>& parts, std::string_view part) {
    if (part.empty()) return;
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.emplace_back(part);
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; }

// Parts a folded piece gets on its own: the number and unit of "350mg", and the words of a
// sentence run together by text extraction, "injury.the" (UAX #29 keeps letters around '.' whole).
void add_piece_parts(std::vector<std::string>& parts, std::string_view piece) {
    std::string_view number, unit;
    if (split_number_unit(piece, number, unit)) {
        add_part(parts, number);
        add_part(parts, unit);
        return;
    }
    std::size_t start = 0;
    bool dotted = false;
    for (std::size_t i = 1; i + 1 < piece.size(); ++i) {
        if (piece[i] == '.' && is_letter(piece[i - 1]) && is_letter(piece[i + 1])) {
            add_part(parts, piece.substr(start, i - start));
            start = i + 1;
            dotted = true;
        }
    }
    if (dotted) add_part(parts, piece.substr(start));
}

}  // namespace

struct Analyzer::Impl {
    std::unique_ptr<icu::BreakIterator> words;
    UText* utext = nullptr;
    const icu::Normalizer2* nfkc_casefold = nullptr;
    Xapian::Stem stemmer{"english"};

    // One ICU segment: a word (letters, digits) or anything else (space, punctuation, symbol).
    struct Segment {
        std::size_t begin;
        std::size_t end;
        bool word;
    };
    // Reused between calls so that tokenizing a letter does not allocate per segment.
    mutable std::vector<Segment> segments;
    mutable icu::UnicodeString fold_in, fold_out;
    // Snowball costs ~300 ns a word while a letter's vocabulary is small and repeats across
    // letters: remembering stems makes stemming nearly free. Bounded so junk cannot grow it forever.
    static constexpr std::size_t kStemCacheLimit = 200000;
    mutable std::unordered_map<std::string, std::string> stems;

    Impl() {
        UErrorCode status = U_ZERO_ERROR;
        words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status) || !words)
            throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(status));
        nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
        if (U_FAILURE(status))
            throw std::runtime_error(std::string("ICU NFKC_Casefold normalizer: ") + u_errorName(status));
    }
    ~Impl() {
        if (utext) utext_close(utext);
    }

    void fold_into(std::string_view utf8, std::string& out) const {
        out.clear();
        if (is_ascii(utf8)) {  // the common case: NFKC is the identity and folding is tolower
            out.resize(utf8.size());
            std::transform(utf8.begin(), utf8.end(), out.begin(), [](char c) {
                return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            });
            return;
        }
        fold_in = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
        UErrorCode status = U_ZERO_ERROR;
        nfkc_casefold->normalize(fold_in, fold_out, status);
        if (U_FAILURE(status)) fold_out = fold_in;
        // Curly apostrophes and Unicode dashes are typed as ASCII by users: make them one term.
        fold_out.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x2019)), icu::UnicodeString(u'\''));
        fold_out.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x2018)), icu::UnicodeString(u'\''));
        for (UChar dash : {UChar(0x2010), UChar(0x2011), UChar(0x2012), UChar(0x2013)})
            fold_out.findAndReplace(icu::UnicodeString(dash), icu::UnicodeString(u'-'));
        fold_out.toUTF8String(out);
    }

    void segment(std::string_view utf8) const {
        segments.clear();
        UErrorCode status = U_ZERO_ERROR;
        auto* self = const_cast<Impl*>(this);
        self->utext = utext_openUTF8(self->utext, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
        if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU utext_openUTF8: ") + u_errorName(status));
        words->setText(self->utext, status);
        if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU setText: ") + u_errorName(status));
        int32_t begin = words->first();
        for (int32_t end = words->next(); end != icu::BreakIterator::DONE; begin = end, end = words->next()) {
            bool word = words->getRuleStatus() >= UBRK_WORD_NONE_LIMIT;
            segments.push_back({static_cast<std::size_t>(begin), static_cast<std::size_t>(end), word});
        }
    }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

std::vector<Token> Analyzer::tokenize(std::string_view utf8) const {
    impl_->segment(utf8);
    const auto& segs = impl_->segments;
    auto text_of = [&](std::size_t i) { return utf8.substr(segs[i].begin, segs[i].end - segs[i].begin); };

    std::vector<Token> tokens;
    tokens.reserve(segs.size() / 2 + 1);
    std::string piece;
    const std::size_t n = segs.size();
    std::size_t i = 0;
    while (i < n) {
        // A token starts at a word, or at '#' glued to a number.
        bool hash = false;
        std::size_t first = i;
        if (!segs[i].word) {
            if (text_of(i) == "#" && i + 1 < n && segs[i + 1].word && is_digit(utf8[segs[i + 1].begin])) {
                hash = true;
                first = i + 1;
            } else {
                ++i;
                continue;
            }
        }
        // The maximal run word (joiner word)*, and whether any piece holds a digit.
        std::size_t last = first;
        bool digits = has_digit(text_of(first));
        while (last + 2 < n && !segs[last + 1].word && is_joiner(text_of(last + 1)) && segs[last + 2].word) {
            last += 2;
            digits = digits || has_digit(text_of(last));
        }
        const std::size_t begin = hash ? segs[i].begin : segs[first].begin;
        const std::size_t end = segs[last].end;
        bool joined = last > first || hash;
        if (last > first && !digits) joined = false;
        // A number joined to words ("31-year-old", "10-point", "6-week") reads as its words: kept
        // apart, "year-old male" finds "31-year-old male" as a reader would.
        if (joined && !hash && is_number(text_of(first))) {
            bool words_after = true;
            for (std::size_t k = first + 2; k <= last && words_after; k += 2) words_after = !has_digit(text_of(k));
            if (words_after) joined = false;
        }

        if (joined) {
            Token token;
            impl_->fold_into(utf8.substr(begin, end - begin), token.term);
            if (token.term.size() <= kMaxTermBytes) {
                token.begin = begin;
                token.end = end;
                for (std::size_t k = first; k <= last; k += 2) {
                    impl_->fold_into(text_of(k), piece);
                    add_part(token.parts, piece);
                    add_piece_parts(token.parts, piece);
                }
                // In runs of three or more pieces, each joined pair is findable too: "L5-S1" in
                // "L4-5/L5-S1". Not for all-number runs such as dates, where pairs mean nothing.
                const bool has_letter = std::any_of(token.term.begin(), token.term.end(), is_letter);
                if (last - first >= 4 && has_letter) {
                    for (std::size_t k = first; k + 2 <= last; k += 2) {
                        impl_->fold_into(utf8.substr(segs[k].begin, segs[k + 2].end - segs[k].begin), piece);
                        add_part(token.parts, piece);
                    }
                }
                tokens.push_back(std::move(token));
                i = last + 1;
                continue;
            }
            // Too long to be one term: fall through and emit the pieces one by one.
        }
        for (std::size_t k = first; k <= last; k += 2) {
            Token token;
            impl_->fold_into(text_of(k), token.term);
            if (token.term.empty() || token.term.size() > kMaxTermBytes) continue;
            token.begin = segs[k].begin;
            token.end = segs[k].end;
            add_piece_parts(token.parts, token.term);
            tokens.push_back(std::move(token));
        }
        i = last + 1;
    }
    return tokens;
}

std::string Analyzer::stem(const std::string& term) const {
    auto found = impl_->stems.find(term);
    if (found != impl_->stems.end()) return found->second;
    if (impl_->stems.size() >= Impl::kStemCacheLimit) impl_->stems.clear();
    std::string stemmed = impl_->stemmer(term);
    impl_->stems.emplace(term, stemmed);
    return stemmed;
}

std::string Analyzer::fold(std::string_view utf8) const {
    std::string out;
    impl_->fold_into(utf8, out);
    return out;
}

}  // namespace imr
