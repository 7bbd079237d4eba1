// Evaluates a Xapian::Query into the exact set of matching docids: bitsets from postlists, Xapian for positions.
#include "matcher.h"

#include <algorithm>
#include <bit>
#include <future>
#include <memory>
#include <optional>

namespace imr {

void DocSet::operator&=(const DocSet& o) {
    for (std::size_t i = 0; i < bits_.size(); ++i) bits_[i] &= i < o.bits_.size() ? o.bits_[i] : 0;
}
void DocSet::operator|=(const DocSet& o) {
    for (std::size_t i = 0; i < bits_.size() && i < o.bits_.size(); ++i) bits_[i] |= o.bits_[i];
}
void DocSet::subtract(const DocSet& o) {
    for (std::size_t i = 0; i < bits_.size() && i < o.bits_.size(); ++i) bits_[i] &= ~o.bits_[i];
}
std::size_t DocSet::count() const {
    std::size_t n = 0;
    for (auto w : bits_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
}
std::vector<Xapian::docid> DocSet::docids() const {
    std::vector<Xapian::docid> out;
    out.reserve(count());
    for (std::size_t i = 0; i < bits_.size(); ++i) {
        for (std::uint64_t w = bits_[i]; w != 0; w &= w - 1)
            out.push_back(static_cast<Xapian::docid>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
    }
    return out;
}

namespace {

// Records every docid the matcher accepts and keeps none, so nothing is ranked or read.
class Collector : public Xapian::MatchDecider {
public:
    explicit Collector(DocSet& out) : out_(out) {}
    bool operator()(const Xapian::Document& doc) const override {
        out_.set(doc.get_docid());
        return false;
    }

private:
    DocSet& out_;
};


// Docids lo..hi, for splitting one Xapian pass over two threads.
class DocidRangeSource : public Xapian::PostingSource {
public:
    DocidRangeSource(Xapian::docid lo, Xapian::docid hi) : lo_(lo), hi_(hi), at_(lo) {}
    // A small estimate makes Xapian's AND lead with the range and skip the positional
    // subquery to it, instead of checking positions outside the range and filtering afterwards.
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return 1; }
    Xapian::doccount get_termfreq_max() const override { return hi_ - lo_ + 1; }
    Xapian::docid get_docid() const override { return at_; }
    void next(double) override {
        if (started_) ++at_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        at_ = std::max(at_, did);
    }
    bool at_end() const override { return started_ && at_ > hi_; }
    void init(const Xapian::Database&) override {
        at_ = lo_;
        started_ = false;
    }
    Xapian::PostingSource* clone() const override { return new DocidRangeSource(lo_, hi_); }
    std::string name() const override { return "imr::DocidRangeSource"; }

private:
    Xapian::docid lo_, hi_, at_;
    bool started_ = false;
};

class Evaluator {
public:
    Evaluator(const Xapian::Database& db, const FacetColumns& cols, const Xapian::Database* helper)
        : db_(db), cols_(cols), helper_(helper) {}

    // The documents `q` matches; when `within` is given the answer may be cut down to it. `twin`
    // is the same query from the helper's own parse (or empty without a helper): the tree is
    // walked in step so that the helper's thread only ever touches its own copy.
    DocSet eval(const Xapian::Query& q, const Xapian::Query& twin, const DocSet* within) {
        auto twin_child = [&](std::size_t i) { return helper_ ? twin.get_subquery(i) : Xapian::Query(); };
        switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM: return spread(postings(*q.get_terms_begin()));
        case Xapian::Query::LEAF_MATCH_ALL: return everything();
        case Xapian::Query::LEAF_MATCH_NOTHING: return DocSet(cols_.last_docid);
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_ELITE_SET: {
            DocSet out(cols_.last_docid);
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) out |= eval(q.get_subquery(i), twin_child(i), within);
            return out;
        }
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER: {
            // The children that are cheap to read narrow down where the others are checked.
            std::vector<std::size_t> order;  // cheap children first
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (is_boolean(q.get_subquery(i))) order.push_back(i);
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (!is_boolean(q.get_subquery(i))) order.push_back(i);
            std::optional<DocSet> out;
            for (std::size_t i : order) {
                DocSet part = eval(q.get_subquery(i), twin_child(i), out ? &*out : within);
                if (out) *out &= part;
                else out = std::move(part);
            }
            return out ? std::move(*out) : DocSet(cols_.last_docid);
        }
        case Xapian::Query::OP_AND_NOT: {
            DocSet out = eval(q.get_subquery(0), twin_child(0), within);
            for (std::size_t i = 1; i < q.get_num_subqueries(); ++i) out.subtract(eval(q.get_subquery(i), twin_child(i), &out));
            return out;
        }
        case Xapian::Query::OP_AND_MAYBE: return eval(q.get_subquery(0), twin_child(0), within);
        case Xapian::Query::OP_SCALE_WEIGHT: return eval(q.get_subquery(0), twin_child(0), within);
        default: return spread(xapian_pass(q, twin, within));
        }
    }

private:
    const Xapian::Database& db_;
    const FacetColumns& cols_;
    const Xapian::Database* helper_;

    // Whether a query is plain boolean structure over terms, readable from postlists alone.
    static bool is_boolean(const Xapian::Query& q) {
        switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM:
        case Xapian::Query::LEAF_MATCH_ALL:
        case Xapian::Query::LEAF_MATCH_NOTHING: return true;
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_ELITE_SET:
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_AND_MAYBE:
        case Xapian::Query::OP_SCALE_WEIGHT:
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (!is_boolean(q.get_subquery(i))) return false;
            return true;
        default: return false;
        }
    }

    // A letter document's match counts for every determination of its letter: a letter's shared
    // text is indexed once, in its letter document (schema.h). The letter document's bit stays set;
    // it is not a live document, so it never reaches the results.
    DocSet spread(DocSet set) const {
        auto& words = set.words();
        const std::size_t n = std::min(words.size(), cols_.letter_doc_bits.size());
        for (std::size_t i = 0; i < n; ++i) {
            for (std::uint64_t w = words[i] & cols_.letter_doc_bits[i]; w != 0; w &= w - 1) {
                const std::size_t did = i * 64 + static_cast<std::size_t>(std::countr_zero(w));
                const std::uint32_t letter = cols_.letter_of_letter_doc[did];
                for (std::uint32_t k = cols_.determination_offsets[letter]; k < cols_.determination_offsets[letter + 1]; ++k)
                    set.set(cols_.determination_docs[k]);
            }
        }
        return set;
    }

    // The determinations of `set` with their letter documents, which may hold the rest of their text.
    DocSet with_letter_docs(const DocSet& set) const {
        DocSet out = set;
        for (Xapian::docid d : set.docids()) {
            const std::uint32_t letter = d <= cols_.last_docid ? cols_.letter_of[d] : FacetColumns::kNoLetter;
            if (letter != FacetColumns::kNoLetter && cols_.letter_doc[letter] != 0) out.set(cols_.letter_doc[letter]);
        }
        return out;
    }

    DocSet postings(const std::string& term) {
        DocSet out(cols_.last_docid);
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p)
            if (*p <= cols_.last_docid) out.set(*p);
        return out;
    }

    DocSet everything() {
        DocSet out(cols_.last_docid);
        for (Xapian::docid d = 1; d <= cols_.last_docid; ++d)
            if (cols_.live(d)) out.set(d);
        return out;
    }

    static void run_pass(const Xapian::Database& db, const Xapian::Query& query, DocSet& out) {
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        Collector collector(out);
        enquire.get_mset(0, 0, db.get_doccount(), nullptr, &collector);
    }

    static Xapian::Query in_range(const Xapian::Query& q, Xapian::docid lo, Xapian::docid hi) {
        return Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query((new DocidRangeSource(lo, hi))->release()));
    }

    // Phrases, NEAR, value ranges, wildcards: Xapian's matcher with boolean weights, recording docids.
    DocSet xapian_pass(const Xapian::Query& q, const Xapian::Query& twin, const DocSet* within) {
        DocSet out(cols_.last_docid);
        if (within) {
            auto docs = std::make_shared<const std::vector<Xapian::docid>>(with_letter_docs(*within).docids());
            if (docs->empty()) return out;
            run_pass(db_, Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query((new SortedDocidSource(std::move(docs)))->release())), out);
            return out;
        }
        if (!helper_ || cols_.last_docid < 2) {
            run_pass(db_, q, out);
            return out;
        }
        // Two halves of the docid range at once; the bitsets are merged afterwards.
        const Xapian::docid middle = cols_.last_docid / 2;
        DocSet upper(cols_.last_docid);
        Xapian::Query upper_query = in_range(twin, middle + 1, cols_.last_docid);  // built here, used only there
        auto second = std::async(std::launch::async, [&] { run_pass(*helper_, upper_query, upper); });
        try {
            run_pass(db_, in_range(q, 1, middle), out);
        } catch (...) {
            second.wait();
            throw;
        }
        second.get();
        out |= upper;
        return out;
    }
};

}  // namespace

DocSet match_all_of(const Xapian::Database& db, const FacetColumns& columns, const Xapian::Query& query,
                    const MatchHelper* helper) {
    if (!helper) return Evaluator(db, columns, nullptr).eval(query, Xapian::Query(), nullptr);
    return Evaluator(db, columns, &helper->db).eval(query, helper->query, nullptr);
}

}  // namespace imr
