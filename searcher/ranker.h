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
#include "matcher.h"
#include "wdf_cache.h"

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imr {

struct RankedDoc {
    Xapian::docid did;
    double score;
};

// The terms of a query that carry weight: text terms (unprefixed words, schema.h) outside
// the negated side of AND_NOT, the filter side of FILTER and weight-scaled field searches;
// sorted, without repeats.
std::vector<std::string> weighted_terms(const Xapian::Query& query);

// BM25's length part of each document, from its length (Xapian's: the sum of its wdfs) and the
// average; read with a revision's facet columns, as no query changes it.
std::vector<float> bm25_length_parts(const std::vector<std::uint32_t>& lengths, double average_length);

// The arrays a ranking fills, kept between rankings by the engine: a broad search at 1M letters
// fills about 50 MB of them, and memory a process has not touched before costs this VM 1-3 ms a
// MB to fault in; freed and allocated again, glibc's heap often had the room only at its top, in
// fresh memory, once caches had taken pieces of it (1M letters, `medical` after 35 other queries:
// 90 ms of its ranking in the kernel, 5 ms alone).
struct RankScratch {
    DocSet in_scope;
    std::vector<Xapian::docid> scope;
    std::vector<float> weight;
    std::vector<RankedDoc> ranked;
};

// The page [offset, offset + limit) of `matches` (determination docids, ascending) by score,
// highest first, ties in docid order; with `group_by_letter`, only the best determination of each
// letter takes part. `db` must be at the revision of `cols`; with a `helper` handle at the same
// revision, the postlists of a large scope are read in two docid halves on two threads.
// With a `cache`, terms that at least an eighth of the documents hold are weighed from cached wdf
// columns (made on first use).
std::vector<RankedDoc> rank_by_relevance(const Xapian::Database& db, const FacetColumns& cols,
                                         const Xapian::Query& query, const std::vector<Xapian::docid>& matches,
                                         bool group_by_letter, std::size_t offset, std::size_t limit,
                                         const Xapian::Database* helper = nullptr, WdfCache* cache = nullptr,
                                         RankScratch* scratch = nullptr);

}  // namespace imr
