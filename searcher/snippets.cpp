// The snippet of a hit (snippets.h).
#include "snippets.h"

#include "letter.h"

#include <cstdint>
#include <string_view>
#include <utility>

namespace imr {
namespace {

// Among pieces that match equally well, the determination's own rationale reads best, then the
// case summary; the header's lists of items read worst.
int piece_preference(std::string_view name) {
    if (name == "rationale") return 3;
    if (name == section::summary) return 2;
    if (name == section::header || name == "item") return 0;
    return 1;
}

// The piece with the most distinct query items, with its analysis; SIZE_MAX when none holds any.
std::size_t best_piece(const Highlighter& highlighter, const std::vector<TextPiece>& pieces, Highlighter::Analysis& best_analysis) {
    std::size_t best = SIZE_MAX;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (!highlighter.might_match(pieces[i].text)) continue;
        Highlighter::Analysis a = highlighter.analyze(pieces[i].text);
        if (a.distinct == 0) continue;
        const auto better = [&] {
            // A place where a proximity search holds says the most; then the weightiest items.
            if (a.nears.empty() != best_analysis.nears.empty()) return !a.nears.empty();
            if (a.weight != best_analysis.weight) return a.weight > best_analysis.weight;
            if (a.distinct != best_analysis.distinct) return a.distinct > best_analysis.distinct;
            if (a.matches.size() != best_analysis.matches.size()) return a.matches.size() > best_analysis.matches.size();
            return piece_preference(pieces[i].name) > piece_preference(pieces[best].name);
        };
        if (best == SIZE_MAX || better()) {
            best = i;
            best_analysis = std::move(a);
        }
    }
    return best;
}

}  // namespace

std::string make_snippet(const Analyzer& analyzer, const Highlight& highlight, const std::vector<TextPiece>& pieces,
                         const std::vector<TextPiece>& in_reading_order, std::size_t words) {
    Highlighter highlighter(analyzer, highlight);
    Highlighter::Analysis best_analysis;
    std::size_t best = best_piece(highlighter, pieces, best_analysis);
    if (best == SIZE_MAX) {
        best = best_piece(highlighter, in_reading_order, best_analysis);
        if (best != SIZE_MAX) return highlighter.window(in_reading_order[best].text, best_analysis, words);
    }
    if (best == SIZE_MAX) {
        // Nothing to mark (a filter-only query): the rationale says most about the determination.
        for (std::size_t i = 0; i < pieces.size() && best == SIZE_MAX; ++i)
            if (pieces[i].name == "rationale" && !pieces[i].text.empty()) best = i;
        for (std::size_t i = 0; i < pieces.size() && best == SIZE_MAX; ++i)
            if (!pieces[i].text.empty()) best = i;
        if (best == SIZE_MAX) return {};
        best_analysis = highlighter.analyze(pieces[best].text);
    }
    return highlighter.window(pieces[best].text, best_analysis, words);
}

}  // namespace imr
