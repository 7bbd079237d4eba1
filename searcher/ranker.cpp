// BM25 over determination and letter documents from postlists, summed per determination, and the top of the order.
#include "ranker.h"

#include "matcher.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <unordered_map>

namespace imr {
namespace {

// Xapian's BM25Weight defaults, so that the order reads as Xapian's would on one document.
constexpr double kK1 = 1.0;
constexpr double kB = 0.5;
constexpr double kMinNormLength = 0.5;

bool is_text_term(const std::string& term) {
    if (term.empty()) return false;
    const char first = term.front();
    return first < 'A' || first > 'Z';
}

void collect(const Xapian::Query& q, std::vector<std::string>& out) {
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
        std::string term = *q.get_terms_begin();
        if (is_text_term(term)) out.push_back(std::move(term));
        return;
    }
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER:
        if (q.get_num_subqueries() > 0) collect(q.get_subquery(0), out);
        return;
    case Xapian::Query::OP_SCALE_WEIGHT:  // the query language scales only field searches, to 0
    case Xapian::Query::LEAF_POSTING_SOURCE:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
        return;
    default:
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) collect(q.get_subquery(i), out);
        return;
    }
}


}  // namespace

std::vector<float> bm25_length_parts(const std::vector<std::uint32_t>& lengths, double average_length) {
    const double average = std::max(average_length, 1.0);
    std::vector<float> out(lengths.size());
    for (std::size_t d = 0; d < lengths.size(); ++d)
        out[d] = static_cast<float>(kK1 * ((1 - kB) + kB * std::max(lengths[d] / average, kMinNormLength)));
    return out;
}

std::vector<std::string> weighted_terms(const Xapian::Query& query) {
    std::vector<std::string> terms;
    collect(query, terms);
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    return terms;
}

namespace {

// Below this many documents in scope, a second thread costs more than it saves.
constexpr std::size_t kSplitScope = 20000;

struct TermWeight {
    std::string term;
    double idf;
    std::shared_ptr<WdfCache::Column> fill;    // a column to fill while reading the postlist
    std::shared_ptr<const WdfCache::Column> column;  // or the cached column to read instead
};

// A term's BM25 weight in a document: `factor` is the term's idf times (k1 + 1). In float, not
// double, so that the dense path divides four documents at once; and the same arithmetic in every
// path (columns dense or sparse, postlists), so that a document's score never depends on which
// path weighed it.
inline float term_weight(float factor, float wdf, float length_part) { return factor * wdf / (length_part + wdf); }

// Documents weighed together by the dense path: a whole number of vector widths, so that GCC's
// cheapest vectorizing, the one -O2 does, takes the loop.
constexpr std::size_t kBlock = 256;

void weigh_block(const float* __restrict length_part, const std::uint8_t* __restrict column, float factor,
                 float* __restrict out) {
    for (std::size_t k = 0; k < kBlock; ++k) {
        const float wdf = column[k];
        out[k] += term_weight(factor, wdf, length_part[k]);
    }
}

// Adds the column terms' weights to `weight` for every docid of [lo, hi], in scope or not (no one
// reads the others): a block at a time, one column at a time.
void weigh_dense(const FacetColumns& cols, const std::vector<const std::uint8_t*>& columns, const std::vector<float>& factors,
                 Xapian::docid lo, Xapian::docid hi, std::vector<float>& weight) {
    const float* length_part = cols.length_part.data();
    float* out = weight.data();
    std::size_t base = lo;
    for (; base + kBlock - 1 <= hi; base += kBlock)
        for (std::size_t j = 0; j < columns.size(); ++j) weigh_block(length_part + base, columns[j] + base, factors[j], out + base);
    for (std::size_t d = base; d <= hi; ++d)
        for (std::size_t j = 0; j < columns.size(); ++j) out[d] += term_weight(factors[j], columns[j][d], length_part[d]);
}

// Adds each term's BM25 weight to `weight` for the documents of `in_scope` in [lo, hi].
void accumulate(const Xapian::Database& db, const FacetColumns& cols, const std::vector<TermWeight>& terms,
                const DocSet& in_scope, const std::vector<Xapian::docid>& scope, Xapian::docid lo, Xapian::docid hi,
                std::vector<float>& weight) {
    const auto first = std::lower_bound(scope.begin(), scope.end(), lo);
    const auto last = std::upper_bound(first, scope.end(), hi);
    const std::size_t wanted = static_cast<std::size_t>(last - first);
    // A column being made must be whole, even where this range wants no weight.
    if (wanted == 0 && std::none_of(terms.begin(), terms.end(), [](const TermWeight& t) { return t.fill != nullptr; })) return;
    // The terms weighed from columns: for a scope that fills most of its docids, every docid, in
    // blocks; else each document in scope.
    std::vector<const std::uint8_t*> columns;
    std::vector<float> factors;
    for (const TermWeight& t : terms) {
        if (!t.column) continue;
        columns.push_back(t.column->data());
        factors.push_back(static_cast<float>(t.idf * (kK1 + 1)));
    }
    if (!columns.empty() && wanted > 0) {
        if (wanted * 2 >= static_cast<std::size_t>(hi - lo) + 1) {
            weigh_dense(cols, columns, factors, lo, hi, weight);
        } else {
            for (auto d = first; d != last; ++d)
                for (std::size_t j = 0; j < columns.size(); ++j)
                    if (const std::uint8_t wdf = columns[j][*d]) weight[*d] += term_weight(factors[j], wdf, cols.length_part[*d]);
        }
    }
    for (const TermWeight& t : terms) {
        const auto factor = static_cast<float>(t.idf * (kK1 + 1));
        auto add = [&](Xapian::docid did, Xapian::termcount wdf) {
            weight[did] += term_weight(factor, static_cast<float>(wdf), cols.length_part[did]);
        };
        if (t.column) continue;
        auto p = db.postlist_begin(t.term);
        if (t.fill) {
            // The whole [lo, hi] part of the column, for the cache; the scope's weights on the way.
            WdfCache::Column& column = *t.fill;
            const auto end = db.postlist_end(t.term);
            if (lo > 1) p.skip_to(lo);
            for (; p != end && *p <= hi; ++p) {
                const Xapian::termcount wdf = p.get_wdf();
                column[*p] = column_wdf(wdf);
                if (in_scope.test(*p)) add(*p, wdf);
            }
            continue;
        }
        const auto end = db.postlist_end(t.term);
        if (wanted * 8 < db.get_termfreq(t.term)) {
            // Few documents wanted from a long postlist: skip to each.
            for (auto d = first; d != last && p != end; ++d) {
                p.skip_to(*d);
                if (p != end && *p == *d) add(*d, p.get_wdf());
            }
        } else {
            if (lo > 1) p.skip_to(lo);
            for (; p != end && *p <= hi; ++p)
                if (in_scope.test(*p)) add(*p, p.get_wdf());
        }
    }
}

}  // namespace

std::vector<RankedDoc> rank_by_relevance(const Xapian::Database& db, const FacetColumns& cols,
                                         const Xapian::Query& query, const std::vector<Xapian::docid>& matches,
                                         bool group_by_letter, std::size_t offset, std::size_t limit,
                                         const Xapian::Database* helper, WdfCache* cache, RankScratch* scratch) {
    if (matches.empty() || limit == 0) return {};
    RankScratch own;
    RankScratch& arrays = scratch ? *scratch : own;

    // The documents whose weights are needed: the matches and their letter documents.
    DocSet& in_scope = arrays.in_scope;
    in_scope.reset(cols.last_docid);
    for (Xapian::docid d : matches) {
        in_scope.set(d);
        if (const Xapian::docid letter_doc = cols.letter_doc_of(d)) in_scope.set(letter_doc);
    }
    std::vector<Xapian::docid>& scope = arrays.scope;
    in_scope.docids_into(scope);

    const double documents = static_cast<double>(db.get_doccount());
    std::vector<TermWeight> terms;
    for (std::string& term : weighted_terms(query)) {
        const double frequency = db.get_termfreq(term);
        if (frequency == 0) continue;
        TermWeight t{std::move(term), std::log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5)), nullptr, nullptr};
        if (cache && wants_wdf_column(db, t.term)) {
            t.column = cols.wdf_column(t.term, *cache);
            if (!t.column) t.fill = std::make_shared<WdfCache::Column>(static_cast<std::size_t>(cols.last_docid) + 1, 0);
        }
        terms.push_back(std::move(t));
    }
    std::vector<float>& weight = arrays.weight;
    weight.assign(static_cast<std::size_t>(cols.last_docid) + 1, 0.0f);
    if (!helper || scope.size() < kSplitScope) {
        accumulate(db, cols, terms, in_scope, scope, 1, cols.last_docid, weight);
    } else {
        // Two docid halves write disjoint parts of `weight`.
        const Xapian::docid middle = scope[scope.size() / 2];
        auto upper = std::async(std::launch::async, [&] {
            accumulate(*helper, cols, terms, in_scope, scope, middle, cols.last_docid, weight);
        });
        try {
            accumulate(db, cols, terms, in_scope, scope, 1, middle - 1, weight);
        } catch (...) {
            upper.wait();
            throw;
        }
        upper.get();
    }
    for (const TermWeight& t : terms)
        if (t.fill) cache->store(cols.revision, t.term, t.fill);

    std::vector<RankedDoc>& ranked = arrays.ranked;
    ranked.clear();
    ranked.reserve(matches.size());
    for (Xapian::docid d : matches) {
        const Xapian::docid shared = cols.letter_doc_of(d);
        ranked.push_back({d, static_cast<double>(weight[d]) + (shared ? static_cast<double>(weight[shared]) : 0.0)});
    }
    auto before = [](const RankedDoc& a, const RankedDoc& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.did < b.did;
    };
    if (group_by_letter) {
        std::unordered_map<std::uint32_t, std::size_t> best;  // letter -> index in `kept`
        best.reserve(ranked.size());
        std::vector<RankedDoc> kept;
        for (const RankedDoc& r : ranked) {
            auto [it, added] = best.try_emplace(cols.letter_of[r.did], kept.size());
            if (added) kept.push_back(r);
            else if (before(r, kept[it->second])) kept[it->second] = r;
        }
        ranked.assign(kept.begin(), kept.end());  // in the scratch's memory, which stays
    }
    if (offset >= ranked.size()) return {};
    const std::size_t end = std::min(ranked.size(), offset + limit);
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(end), ranked.end(), before);
    return std::vector<RankedDoc>(ranked.begin() + static_cast<std::ptrdiff_t>(offset),
                                  ranked.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace imr
