// The wdf columns of common terms, shared by the matcher (which reads their postlists first) and the ranker.
#pragma once

#include "revision_cache.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imr {

// A text term held by at least 1/kWdfColumnFrom of the documents is weighed from a wdf column.
inline constexpr Xapian::doccount kWdfColumnFrom = 8;

// Only text terms (unprefixed, schema.h) are weighed, and the indexer gives each a wdf of at least
// 1 in every document holding it, so a column's non-zero bytes are also the term's documents.
inline bool wants_wdf_column(const Xapian::Database& db, const std::string& term) {
    if (term.empty() || (term.front() >= 'A' && term.front() <= 'Z')) return false;
    return static_cast<double>(db.get_termfreq(term)) * kWdfColumnFrom >= static_cast<double>(db.get_doccount());
}

// A warmed-up engine keeps the columns of the most common words with each revision's columns
// (FacetColumns::common_wdf), up to this many bytes; others go to the WdfCache.
inline constexpr std::size_t kCommonColumnsBudget = std::size_t{256} << 20;

// A wdf as a column holds it: above 255 it is kept as 255 (WdfCache says why).
inline std::uint8_t column_wdf(Xapian::termcount wdf) {
    return static_cast<std::uint8_t>(std::min<Xapian::termcount>(wdf, UINT8_MAX));
}

// The wdf of common terms in every document, one byte per docid, for the last revision seen.
// A term most documents hold is cheaper to weigh from a flat array than from its postlist (Xapian
// decodes each posting through an iterator), and the broad queries that are slow to rank share
// their common words ("medically", "necessary", "pain", "patient"). Thread-safe; least recently
// used entries go first once the columns fill the byte budget. Measured at 1M letters with 24
// columns of 2 bytes: a 40-query mix cycling through more common words than that always missed,
// and `denied` spent 167 ms ranking instead of ~20. A wdf above 255 is kept as 255: BM25 with
// k1 = 1 weighs 255 and 300 within 0.2% of each other.
class WdfCache {
public:
    using Column = std::vector<std::uint8_t>;  // wdf by docid, at most 255
    static constexpr std::size_t kDefaultBudget = std::size_t{256} << 20;
    explicit WdfCache(std::size_t budget_bytes = kDefaultBudget) : budget_(budget_bytes), columns_(2) {}
    // The column of `term` at `revision`, or null.
    std::shared_ptr<const Column> find(Xapian::rev revision, const std::string& term) {
        return columns_.find(revision, term).value_or(nullptr);
    }
    // Columns of one revision are all as long: the budget holds a fixed number of them, never
    // fewer than two.
    void store(Xapian::rev revision, const std::string& term, std::shared_ptr<const Column> column) {
        columns_.set_capacity(std::max<std::size_t>(2, budget_ / std::max<std::size_t>(1, column->size())));
        columns_.store(revision, term, std::move(column));
    }
    std::size_t size() { return columns_.size(); }

private:
    std::size_t budget_;
    RevisionCache<std::shared_ptr<const Column>> columns_;
};

// The words (unprefixed terms that start with a letter, StemIndex::build says why) that want a wdf
// column, most documents first, at most `limit` of them: the ones a long-running searcher reads
// into columns with each revision's (EngineTuning::warm_up).
std::vector<std::string> words_wanting_columns(const Xapian::Database& db, std::size_t limit);

// The wdf column of `term`, from its postlist.
WdfCache::Column read_wdf_column(const Xapian::Database& db, const std::string& term);

}  // namespace imr
