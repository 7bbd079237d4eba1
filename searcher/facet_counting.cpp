// Facet filters and exact counts over a search's matches (facet_counting.h).
#include "facet_counting.h"

#include <algorithm>

namespace imr {

void filter_and_count(const FacetColumns& cols, const Xapian::docid* begin, const Xapian::docid* end,
                             const std::vector<Selection>& selections, bool with_facets, Matches& m,
                             std::vector<char>& letter_seen, std::size_t reserve) {
    // Filled on this thread's stack and moved back at the end (memory and all): the two
    // halves' Matches lie side by side in a SearchScratch, and writing their fields for every
    // match from two cores made each wait for the other's cache line.
    Matches local{std::move(m.docs), 0, std::move(m.counts), std::move(m.named_counts)};
    const auto move_back = [&] { m = std::move(local); };
    local.docs.clear();
    const std::size_t facet_count = cols.facets.size();
    local.counts.resize(with_facets ? facet_count : 0);
    for (std::size_t f = 0; f < local.counts.size(); ++f) local.counts[f].assign(cols.facets[f].terms.size(), 0);
    bool any_named = false;
    local.named_counts.resize(with_facets ? selections.size() : 0);
    for (std::size_t s = 0; s < local.named_counts.size(); ++s) {
        local.named_counts[s].assign(selections[s].named.size(), 0);
        any_named = any_named || !selections[s].named.empty();
    }
    auto count_facet = [&](std::size_t f, Xapian::docid d) {
        const FacetColumn& c = cols.facets[f];
        for (std::uint32_t k = c.offsets[d]; k < c.offsets[d + 1]; ++k) ++local.counts[f][c.ids[k]];
    };
    // A document that passes every other facet's selection counts for each named value of
    // this one that it holds.
    auto count_named = [&](std::size_t s, Xapian::docid d) {
        const Selection& sel = selections[s];
        for (std::size_t n = 0; n < sel.named.size(); ++n) local.named_counts[s][n] += sel.holds(d, sel.named[n].accepted);
    };
    letter_seen.assign(cols.letter_ids.size(), 0);
    local.docs.reserve(selections.empty() ? reserve : reserve / 4);
    for (const Xapian::docid* it = begin; it != end; ++it) {
        const Xapian::docid d = *it;
        if (!cols.live(d)) continue;
        std::size_t failed = 0, failed_selection = 0;
        for (std::size_t s = 0; s < selections.size(); ++s) {
            if (selections[s].passes(d)) continue;
            failed_selection = s;
            if (++failed > 1) break;
        }
        if (failed == 0) {
            local.docs.push_back(d);
            const std::uint32_t letter = cols.letter_of[d];
            local.letters += letter_seen[letter] == 0;
            letter_seen[letter] = 1;
        } else if (failed == 1 && with_facets) {
            count_facet(selections[failed_selection].facet, d);
            if (any_named) count_named(failed_selection, d);
        }
    }
    // The documents that pass every selection count in every facet: one facet at a time, so
    // that each pass reads one column's arrays in order instead of every column's at once.
    if (with_facets) {
        // Four counters a value, taken in turn by the matches: consecutive matches mostly hold
        // the same value (a decision, a year), and one counter made each add wait for the last.
        std::vector<std::uint32_t> lanes;
        for (std::size_t f = 0; f < facet_count; ++f) {
            const FacetColumn& c = cols.facets[f];
            auto& counts = local.counts[f];
            std::uint32_t lane = 0;
            if (!c.narrow.empty()) {
                // Value id + 1, so that slot 0 takes the matches without a value.
                lanes.assign((counts.size() + 1) * 4, 0);
                const std::uint16_t* narrow = c.narrow.data();
                std::uint32_t* counters = lanes.data();
                for (const Xapian::docid d : local.docs) {
                    ++counters[std::size_t{narrow[d]} * 4 + lane];
                    lane = (lane + 1) & 3;
                }
                for (std::size_t v = 0; v < counts.size(); ++v)
                    counts[v] += std::uint64_t{lanes[v * 4 + 4]} + lanes[v * 4 + 5] + lanes[v * 4 + 6] + lanes[v * 4 + 7];
                continue;
            }
            lanes.assign(counts.size() * 4, 0);
            const std::uint32_t* offsets = c.offsets.data();
            const std::uint32_t* ids = c.ids.data();
            std::uint32_t* counters = lanes.data();
            for (const Xapian::docid d : local.docs) {
                const std::uint32_t first = offsets[d], end = offsets[d + 1];
                for (std::uint32_t k = first; k < end; ++k) ++counters[std::size_t{ids[k]} * 4 + lane];
                lane = (lane + 1) & 3;
            }
            for (std::size_t v = 0; v < counts.size(); ++v)
                counts[v] += std::uint64_t{lanes[v * 4]} + lanes[v * 4 + 1] + lanes[v * 4 + 2] + lanes[v * 4 + 3];
        }
        if (any_named)
            for (const Xapian::docid d : local.docs)
                for (std::size_t s = 0; s < selections.size(); ++s) count_named(s, d);
    }
    move_back();
}

Matches filter_and_count(const FacetColumns& cols, const std::vector<Xapian::docid>& matched,
                                const std::vector<Selection>& selections, bool with_facets) {
    Matches m;
    std::vector<char> letter_seen;
    filter_and_count(cols, matched.data(), matched.data() + matched.size(), selections, with_facets, m, letter_seen,
                     matched.size());
    return m;
}

void add_matches(Matches& m, const Matches& upper) {
    m.docs.insert(m.docs.end(), upper.docs.begin(), upper.docs.end());
    m.letters += upper.letters;
    for (std::size_t f = 0; f < m.counts.size(); ++f)
        for (std::size_t v = 0; v < m.counts[f].size(); ++v) m.counts[f][v] += upper.counts[f][v];
    for (std::size_t sel = 0; sel < m.named_counts.size(); ++sel)
        for (std::size_t n = 0; n < m.named_counts[sel].size(); ++n) m.named_counts[sel][n] += upper.named_counts[sel][n];
}

std::vector<FacetCount> facet_counts(const FacetColumn& column, const std::vector<std::uint64_t>& counts,
                                            const Selection* selection, const std::vector<std::uint64_t>* named_counts,
                                            std::size_t limit) {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t id = 0; id < counts.size(); ++id)
        if (counts[id] > 0 || (selection && selection->exact[id])) ids.push_back(id);
    std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (counts[a] != counts[b]) return counts[a] > counts[b];
        return column.display[a] < column.display[b];
    });
    std::vector<FacetCount> out;
    for (std::uint32_t id : ids) {
        const bool selected = selection && selection->exact[id];
        if (out.size() >= limit && !selected) continue;
        out.push_back({column.display[id], counts[id], selected});
    }
    if (selection && named_counts) {
        for (std::size_t n = 0; n < selection->named.size(); ++n) {
            const FacetCount named{selection->named[n].value, (*named_counts)[n], true};
            out.insert(std::find_if(out.begin(), out.end(), [&](const FacetCount& c) { return c.count < named.count; }), named);
        }
    }
    return out;
}

}  // namespace imr
