// The texts of a stored letter that a search looks in (letter_texts.h).
#include "letter_texts.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

namespace imr {
namespace {

// Words worth suggesting as more like this: three characters or more, with a letter.
bool is_feedback_word(const std::string& term) {
    if (term.size() < 3) return false;
    return std::any_of(term.begin(), term.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c & 0x80); });
}

}  // namespace

std::vector<TextPiece> indexed_texts(const Letter& letter, int ordinal, bool every_item) {
    std::vector<TextPiece> pieces;
    for (const auto& s : letter.sections)
        if (s.name != section::decisions && s.name != section::rationale) pieces.push_back({s.name, s.text});
    for (std::size_t i = 0; i < letter.determinations.size(); ++i) {
        if (!every_item && static_cast<int>(i) != ordinal) continue;
        const auto& d = letter.determinations[i];
        pieces.push_back({"item", d.item});
        pieces.push_back({"guidelines", d.guidelines});
        pieces.push_back({"rationale", d.rationale});
    }
    return pieces;
}

std::vector<TextPiece> reading_order_texts(const Letter& letter, int ordinal, bool every_item) {
    const std::string_view text = letter.text;
    auto in_text = [&](std::size_t begin, std::size_t end) { return begin <= end && end <= text.size(); };
    std::vector<std::pair<std::size_t, std::size_t>> cuts;
    for (const auto& d : letter.determinations) {
        if (d.rationale.empty()) continue;
        if (!in_text(d.rationale_offset, d.rationale_offset + d.rationale.size())) return {};
        cuts.emplace_back(d.rationale_offset, d.rationale_offset + d.rationale.size());
    }
    std::sort(cuts.begin(), cuts.end());
    std::vector<TextPiece> pieces;
    std::size_t from = 0;
    for (const auto& [begin, end] : cuts) {
        if (begin > from) pieces.push_back({"shared", text.substr(from, begin - from)});
        from = std::max(from, end);
    }
    if (from < text.size()) pieces.push_back({"shared", text.substr(from)});
    for (std::size_t i = 0; i < letter.determinations.size(); ++i) {
        if (!every_item && static_cast<int>(i) != ordinal) continue;
        for (const auto& range : letter.determinations[i].printed)
            if (in_text(range.begin, range.end)) pieces.push_back({"rationale", text.substr(range.begin, range.end - range.begin)});
    }
    return pieces;
}

std::vector<TextPiece> own_texts(const Letter& letter, std::optional<int> ordinal) {
    std::vector<TextPiece> pieces;
    for (std::size_t i = 0; i < letter.determinations.size(); ++i) {
        if (ordinal && static_cast<std::size_t>(*ordinal) != i) continue;
        pieces.push_back({"item", letter.determinations[i].item});
        pieces.push_back({"rationale", letter.determinations[i].rationale});
    }
    const bool empty = std::all_of(pieces.begin(), pieces.end(), [](const TextPiece& p) { return p.text.empty(); });
    return empty ? indexed_texts(letter, ordinal.value_or(0)) : pieces;
}

// Xapian's ESet would weigh the terms of the documents' termlists, which the index does not keep
// (schema.h); the words come from the stored letter instead, tokenized as the indexer did.
std::vector<std::string> feedback_terms(const Xapian::Database& db, const Analyzer& analyzer, const std::vector<TextPiece>& pieces,
                                        std::size_t count) {
    std::unordered_map<std::string, unsigned> frequency;
    for (const TextPiece& piece : pieces)
        for (Token& token : analyzer.tokenize(piece.text))
            if (is_feedback_word(token.term)) ++frequency[std::move(token.term)];
    const double documents = std::max<double>(db.get_doccount(), 1.0);
    std::vector<std::pair<double, std::string>> weighed;
    for (auto& [word, tf] : frequency) {
        const double df = db.get_termfreq(word);
        if (df == 0) continue;
        const double idf = std::log((documents - df + 0.5) / (df + 0.5));
        if (idf <= 0) continue;  // in more than half of the documents: says nothing about this one
        weighed.emplace_back((1.0 + std::log(static_cast<double>(tf))) * idf, word);
    }
    const std::size_t kept = std::min(count, weighed.size());
    std::partial_sort(weighed.begin(), weighed.begin() + static_cast<std::ptrdiff_t>(kept), weighed.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<std::string> words;
    for (std::size_t i = 0; i < kept; ++i) words.push_back(std::move(weighed[i].second));
    return words;
}

}  // namespace imr
