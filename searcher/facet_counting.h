// Facet filters and exact counts over a search's matches, from the in-memory columns
// (facet_columns.h): values of one facet ORed, different facets ANDed, and each facet counted
// over the matches that pass every other facet's selection (multi-select).
#pragma once

#include "engine.h"
#include "facet_columns.h"

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace imr {

// One facet's selection: the value ids a document must hold one of.
struct Selection {
    std::size_t facet = 0;  // index in FacetColumns::facets
    const FacetColumn* column = nullptr;
    std::vector<char> accepted;  // by value id: every value the selection takes
    std::vector<char> exact;     // by value id: the values given as the facet shows them
    // A value given that is none of the facet's values (a brand, a guideline source, words of
    // a specialty) with the value ids it selects: counted apart, so that it shows with the
    // number of results it gives.
    struct Named {
        std::string value;
        std::vector<char> accepted;
    };
    std::vector<Named> named;
    // A selection of facet `facet` of `cols` that takes no value yet.
    static Selection of(const FacetColumns& cols, std::size_t facet) {
        const FacetColumn& c = cols.facets[facet];
        return {facet, &c, std::vector<char>(c.terms.size(), 0), std::vector<char>(c.terms.size(), 0), {}};
    }
    bool passes(Xapian::docid did) const { return holds(did, accepted); }
    bool holds(Xapian::docid did, const std::vector<char>& ids) const {
        for (std::uint32_t k = column->offsets[did]; k < column->offsets[did + 1]; ++k)
            if (ids[column->ids[k]]) return true;
        return false;
    }
};

// The matches that pass every selection, and the counts of each facet's values.
struct Matches {
    std::vector<Xapian::docid> docs;  // matching the query and every filter, ascending
    std::uint64_t letters = 0;
    std::vector<std::vector<std::uint64_t>> counts;  // facet -> value id -> count
    std::vector<std::vector<std::uint64_t>> named_counts;  // selection -> Selection::named -> count
};

// The matches in [begin, end) that pass every selection, into `m` (its memory reused), with
// the facet counts of each facet's own matches, where each facet ignores its own selection.
// `letter_seen` is scratch memory; `reserve` the room to make for the matches kept.
void filter_and_count(const FacetColumns& cols, const Xapian::docid* begin, const Xapian::docid* end,
                      const std::vector<Selection>& selections, bool with_facets, Matches& m, std::vector<char>& letter_seen,
                      std::size_t reserve);
// The same for every match, into fresh memory.
Matches filter_and_count(const FacetColumns& cols, const std::vector<Xapian::docid>& matched, const std::vector<Selection>& selections,
                         bool with_facets);
// Adds the matches and counts of a later part of the docids (`upper`) to `m`.
void add_matches(Matches& m, const Matches& upper);

// A facet's values by count; a selected one is listed past the limit and marked, a named one
// (Selection::named) with its own count, so that a selection can always be seen and cleared.
std::vector<FacetCount> facet_counts(const FacetColumn& column, const std::vector<std::uint64_t>& counts, const Selection* selection,
                                     const std::vector<std::uint64_t>* named_counts, std::size_t limit);

}  // namespace imr
