// Relevance order: BM25 of a determination read as its own text joined to its letter's shared text.
//
// A letter's shared text lives in its letter document and a determination's own text in its
// determination document (schema.h), so no single Xapian document holds what a determination
// says, and Xapian's Enquire cannot weigh it. The score of a determination is the BM25 weight of
// its own document plus that of its letter document, both computed from the postlists of the
// query's weighted terms, and only for the matches and their letters. (Measured on 100k letters:
// a threshold algorithm over two early-terminating Xapian matches, best letters and best
// determinations, was 2-4 times slower on broad queries, whose common terms leave Xapian little
// to prune.)
#pragma once

#include "facet_columns.h"
#include "revision_cache.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imr {

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

struct RankedDoc {
    Xapian::docid did;
    double score;
};

// The terms of a query that carry weight: text terms (unprefixed words, schema.h) outside
// the negated side of AND_NOT, the filter side of FILTER and weight-scaled field searches;
// sorted, without repeats.
std::vector<std::string> weighted_terms(const Xapian::Query& query);

// The page [offset, offset + limit) of `matches` (determination docids, ascending) by score,
// highest first, ties in docid order; with `group_by_letter`, only the best determination of each
// letter takes part. `db` must be at the revision of `cols`; with a `helper` handle at the same
// revision, the postlists of a large scope are read in two docid halves on two threads.
// With a `cache`, terms that at least an eighth of the documents hold are weighed from cached wdf
// columns (made on first use).
std::vector<RankedDoc> rank_by_relevance(const Xapian::Database& db, const FacetColumns& cols,
                                         const Xapian::Query& query, const std::vector<Xapian::docid>& matches,
                                         bool group_by_letter, std::size_t offset, std::size_t limit,
                                         const Xapian::Database* helper = nullptr, WdfCache* cache = nullptr);

}  // namespace imr
