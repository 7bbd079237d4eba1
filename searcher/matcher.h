// The exact set of documents a query matches, without ranking: the input of facet counts and totals.
//
// The matcher walks the compiled query tree (match_tree.h). Boolean structure over terms is
// evaluated straight from postlists into bitsets, which is several times faster than running
// Xapian's matcher over every match. Phrases, proximities and section checks are read from the
// documents' token streams (the index has no Xapian positions), value ranges from value streams,
// atleastN from postlists' wdf; each only for the documents the rest of the query still allows.
#pragma once

#include "facet_columns.h"
#include "match_tree.h"
#include "revision_cache.h"
#include "wdf_cache.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace imr {

// One bit per docid, 0..last_docid.
class DocSet {
public:
    explicit DocSet(Xapian::docid last_docid = 0) : bits_((static_cast<std::size_t>(last_docid) + 64) / 64, 0) {}
    void set(Xapian::docid d) { bits_[d >> 6] |= std::uint64_t{1} << (d & 63); }
    void clear(Xapian::docid d) { bits_[d >> 6] &= ~(std::uint64_t{1} << (d & 63)); }
    bool test(Xapian::docid d) const { return (d >> 6) < bits_.size() && (bits_[d >> 6] >> (d & 63) & 1); }
    void operator&=(const DocSet& o);
    void operator|=(const DocSet& o);
    void subtract(const DocSet& o);
    std::size_t count() const;
    bool none() const;
    std::vector<Xapian::docid> docids() const;  // ascending
    void docids_into(std::vector<Xapian::docid>& out) const;  // the same, into `out`'s memory
    // Every bit cleared, for docids 0..last_docid, in the memory already held where it is enough.
    void reset(Xapian::docid last_docid) { bits_.assign((static_cast<std::size_t>(last_docid) + 64) / 64, 0); }
    std::vector<std::uint64_t>& words() { return bits_; }
    const std::vector<std::uint64_t>& words() const { return bits_; }

private:
    std::vector<std::uint64_t> bits_;
};

// The documents of positional subqueries (phrases, NEAR, section checks) that took long to
// check, for the last revision seen. Refining a search by facets, paging it, sorting it, asking
// for its stats or exporting it runs the same phrases again, and checking positions is most of
// what a broad phrase costs. Thread-safe; least recently used entries go first.
// Keyed by positional_cache_key. It also keeps the documents of postlists that were slow to read,
// under "term <term>". A set is one bit per document: 128 of them take 42 MB at 1M letters.
class PositionalCache : public RevisionCache<DocSet> {
public:
    explicit PositionalCache(std::size_t capacity = 128) : RevisionCache(capacity) {}
};
// The node's description, and when the check was cut down to the documents `within`, a 64-bit
// hash of that set: such an answer holds only for the same set.
std::string positional_cache_key(const MatchNode& node, const DocSet* within);

// Every determination document the query matches, each read as its own text joined to its
// letter's shared text (schema.h); the answer may also hold letter documents, which are never
// live. `db` must be at the revision of `columns`. With a `helper` handle at the same revision,
// long positional passes and postlists are split in two docid ranges and run on both cores at once. With `wdf_cache`, the postlist of a term
// that wants a wdf column (wdf_cache.h) is read into one as well, and a term that has one is
// read from it: ranking a broad query needs those columns next, so each postlist is read once
// instead of twice (1M letters, first runs: ranking `patient` 70 -> 35 ms, `denied` 138 -> 109).
// From this many determinations to check for a phrase or NEAR, a sample of them chooses which
// kind of document is checked first (matcher.cpp says why); a parameter for the tests.
inline constexpr std::size_t kSampleOrderFrom = 20000;

// With `whole_letters`, every term, phrase and check that matches one document of a letter
// counts for every determination of that letter (Scope::Letter) before the operators combine.
DocSet match_all_of(const Xapian::Database& db, const FacetColumns& columns, const MatchNode& query,
                    const Xapian::Database* helper = nullptr, PositionalCache* cache = nullptr,
                    std::size_t sample_order_from = kSampleOrderFrom, WdfCache* wdf_cache = nullptr,
                    bool whole_letters = false);

}  // namespace imr
