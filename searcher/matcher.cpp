// Evaluates a Xapian::Query into the exact set of matching docids: bitsets from postlists, Xapian for positions.
#include "matcher.h"

#include "section_check.h"
#include "work_budget.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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
bool DocSet::none() const {
    return std::all_of(bits_.begin(), bits_.end(), [](std::uint64_t w) { return w == 0; });
}
std::vector<Xapian::docid> DocSet::docids() const {
    std::vector<Xapian::docid> out;
    docids_into(out);
    return out;
}

void DocSet::docids_into(std::vector<Xapian::docid>& out) const {
    out.clear();
    out.reserve(count());
    for (std::size_t i = 0; i < bits_.size(); ++i) {
        for (std::uint64_t w = bits_[i]; w != 0; w &= w - 1)
            out.push_back(static_cast<Xapian::docid>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
    }
}

namespace {

// A positional check that took this long is kept in the PositionalCache.
constexpr double kCacheFromMs = 5.0;

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


// Determinations sampled to choose the order of a phrase or NEAR check.
constexpr std::size_t kSample = 200;
// Below this many documents to check, a positional pass is not worth a second thread.
constexpr std::size_t kSplitScope = 20000;
// Below this many postings, reading a postlist is not worth a second thread.
constexpr Xapian::doccount kSplitPostings = 200000;

// Runs `lower` here and `upper` on a second thread at the same time; the second thread is always
// joined, also when `lower` throws.
template <typename Lower, typename Upper>
void on_two_threads(Lower&& lower, Upper&& upper) {
    // The second thread works for the same search, so it charges the same work budget.
    WorkBudget* budget = current_work_budget();
    auto second = std::async(std::launch::async, [budget, &upper] {
        const WorkBudgetScope scope(budget);
        return upper();
    });
    try {
        lower();
    } catch (...) {
        second.wait();
        throw;
    }
    second.get();
}

class Evaluator {
public:
    Evaluator(const Xapian::Database& db, const FacetColumns& cols, const Xapian::Database* helper, PositionalCache* cache,
              std::size_t sample_order_from, WdfCache* wdf_cache, bool whole_letters)
        : db_(db), cols_(cols), helper_(helper), cache_(cache), wdf_cache_(wdf_cache), sample_order_from_(sample_order_from),
          whole_letters_(whole_letters) {}

    // The documents `q` matches; when `within` is given the answer may be cut down to it. `twin`
    // is the same query from the helper's own parse (or empty without a helper): the tree is
    // walked in step so that the helper's thread only ever touches its own copy.
    DocSet eval(const Xapian::Query& q, const Xapian::Query& twin, const DocSet* within) {
        auto twin_child = [&](std::size_t i) { return helper_ ? twin.get_subquery(i) : Xapian::Query(); };
        switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM: return letter_wide(spread(postings(*q.get_terms_begin())));
        case Xapian::Query::LEAF_MATCH_ALL: return everything();
        case Xapian::Query::LEAF_MATCH_NOTHING: return DocSet(cols_.last_docid);
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_SYNONYM:
        case Xapian::Query::OP_ELITE_SET: {
            // Cheap children first; a positional one then checks only the documents that no
            // sibling matched. A drug's name phrases ("tramadol er" beside tramadol) check nothing.
            DocSet out(cols_.last_docid);
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (is_boolean(q.get_subquery(i))) out |= eval(q.get_subquery(i), twin_child(i), within);
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
                if (is_boolean(q.get_subquery(i))) continue;
                DocSet rest = within ? *within : everything();
                rest.subtract(out);
                out |= eval(q.get_subquery(i), twin_child(i), &rest);
            }
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
        case Xapian::Query::OP_PHRASE:
        case Xapian::Query::OP_NEAR: return letter_wide(cached(q, within, [&] { return check_streams(q, within); }));
        default: return letter_wide(cached(q, within, [&] { return check_positions(q, twin, within); }));
        }
    }

private:
    const Xapian::Database& db_;
    const FacetColumns& cols_;
    const Xapian::Database* helper_;
    PositionalCache* cache_;
    WdfCache* wdf_cache_;
    std::size_t sample_order_from_;
    bool whole_letters_;

    // Every determination document of letter `letter` into `set`.
    void set_determinations(std::uint32_t letter, DocSet& set) const {
        for (std::uint32_t k = cols_.determination_offsets[letter]; k < cols_.determination_offsets[letter + 1]; ++k)
            set.set(cols_.determination_docs[k]);
    }

    // Scope::Letter: a determination's match counts for its letter's every determination. The
    // sets the operators combine are then whole letters, so a `within` cut to them loses nothing.
    DocSet letter_wide(DocSet set) const {
        if (!whole_letters_) return set;
        DocSet out = set;
        const auto& words = set.words();
        for (std::size_t i = 0; i < words.size(); ++i) {
            for (std::uint64_t w = words[i]; w != 0; w &= w - 1) {
                const std::size_t did = i * 64 + static_cast<std::size_t>(std::countr_zero(w));
                if (did >= cols_.letter_of.size()) break;
                const std::uint32_t letter = cols_.letter_of[did];
                if (letter == FacetColumns::kNoLetter) continue;
                set_determinations(letter, out);
            }
        }
        charge_work(1 + words.size());
        return out;
    }

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
                set_determinations(cols_.letter_of_letter_doc[did], set);
            }
        }
        return set;
    }

    // The set without its letter documents.
    DocSet without_letter_docs(DocSet set) const {
        auto& words = set.words();
        for (std::size_t i = 0; i < words.size() && i < cols_.letter_doc_bits.size(); ++i) words[i] &= ~cols_.letter_doc_bits[i];
        return set;
    }

    // The documents of a postlist, from the cache when it was slow to read: the common words of
    // broad queries ("medical" is five words with its stem) are millions of postings at 1M
    // letters, and a bitset is a few hundred kilobytes.
    DocSet postings(const std::string& term) {
        // A term's bitset is made, spread and combined word by word whatever its postings: an
        // OR of thousands of expanded wildcard terms costs that many passes over the docids.
        charge_work(1 + cols_.last_docid / 64);
        if (!cache_) return read_postlist(term);
        // Descriptions of queries start "Query(", so the keys never meet.
        return remembered("term " + term, [&] { return read_postlist(term); });
    }

    // The documents of a postlist; a long one is read in two docid halves at once. A common
    // term's wdf column is read instead when there is one, and made on the way when not.
    DocSet read_postlist(const std::string& term) {
        DocSet out(cols_.last_docid);
        std::shared_ptr<WdfCache::Column> fill;
        if (wdf_cache_ && wants_wdf_column(db_, term)) {
            if (const auto column = cols_.wdf_column(term, *wdf_cache_)) {
                for (std::size_t d = 0; d < column->size(); ++d)
                    if ((*column)[d] != 0) out.set(static_cast<Xapian::docid>(d));
                charge_work(column->size() / 64);
                return out;
            }
            fill = std::make_shared<WdfCache::Column>(static_cast<std::size_t>(cols_.last_docid) + 1, 0);
        }
        if (!helper_ || db_.get_termfreq(term) < kSplitPostings) {
            read_postings(db_, term, 1, cols_.last_docid, out, fill.get());
        } else {
            const Xapian::docid middle = cols_.last_docid / 2;
            DocSet upper(cols_.last_docid);
            // The halves fill disjoint parts of the column.
            on_two_threads([&] { read_postings(db_, term, 1, middle, out, fill.get()); },
                           [&] { read_postings(*helper_, term, middle + 1, cols_.last_docid, upper, fill.get()); });
            out |= upper;
        }
        if (fill) wdf_cache_->store(cols_.revision, term, std::move(fill));
        return out;
    }

    static void read_postings(const Xapian::Database& db, const std::string& term, Xapian::docid lo, Xapian::docid hi,
                              DocSet& out, WdfCache::Column* wdf) {
        auto p = db.postlist_begin(term);
        const auto end = db.postlist_end(term);
        if (lo > 1) p.skip_to(lo);
        // Postings are charged too (one unit per four, about the time of a unit elsewhere): an OR
        // of hundreds of wildcards reads tens of millions of them and checks no position.
        std::uint64_t read = 0;
        if (!wdf) {
            for (; p != end && *p <= hi; ++p) {
                out.set(*p);
                if ((++read & 4095) == 0) charge_work(1024);
            }
            charge_work((read & 4095) / 4);
            return;
        }
        for (; p != end && *p <= hi; ++p) {
            out.set(*p);
            (*wdf)[*p] = column_wdf(p.get_wdf());
            if ((++read & 4095) == 0) charge_work(1024);
        }
        charge_work((read & 4095) / 4);
    }

    // Every determination document; built once per evaluation, as an OR may ask for it often.
    const DocSet& everything() {
        if (!everything_) {
            everything_.emplace(cols_.last_docid);
            for (Xapian::docid d = 1; d <= cols_.last_docid; ++d)
                if (cols_.live(d)) everything_->set(d);
        }
        return *everything_;
    }
    std::optional<DocSet> everything_;

    static void run_pass(const Xapian::Database& db, const Xapian::Query& query, DocSet& out) {
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        Collector collector(out);
        enquire.get_mset(0, 0, db.get_doccount(), nullptr, &collector);
    }


    // A phrase, NEAR, section check or value range, from the cache when it was slow to check.
    // A check cut down to `within` is only the answer for that same set of documents, so the
    // set's hash is part of its key: the same query asked again (another page, another facet
    // value) gives the same sets, as in `norco -tramadol`, whose drug-name phrases are checked
    // only where no other name of the drug matched (measured at 1M letters: 136 ms every time).
    template <typename Check>
    DocSet cached(const Xapian::Query& q, const DocSet* within, Check&& check) {
        if (!cache_) return check();
        return remembered(positional_cache_key(q, within), std::forward<Check>(check));
    }

    // The cache's set under `key`, or what `compute` gives, kept when it took kCacheFromMs or more.
    template <typename Compute>
    DocSet remembered(const std::string& key, Compute&& compute) {
        if (auto found = cache_->find(cols_.revision, key)) return std::move(*found);
        const auto started = std::chrono::steady_clock::now();
        DocSet out = compute();
        if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count() >= kCacheFromMs)
            cache_->store(cols_.revision, key, out);
        return out;
    }

    // Phrases and NEAR, from the documents' token streams: the index has no Xapian positions.
    // Only candidate documents are read, one kind first and then the other kind only where it can
    // still add a match.
    DocSet check_streams(const Xapian::Query& q, const DocSet* within) {
        const auto match = std::make_shared<const SectionMatch>(match_of_positional(q));
        // Candidates: the documents holding a word of the rarest member, and of each other member
        // that is not in most documents. Reading the postlist of a word nearly every document
        // holds ("the") rules out almost nothing, and the stream check looks at every member anyway.
        std::vector<std::pair<Xapian::doccount, std::size_t>> by_frequency;  // (documents holding it, slot)
        for (std::size_t i = 0; i < match->slots.size(); ++i) {
            Xapian::doccount frequency = 0;
            for (const auto& term : match->slots[i].terms) frequency += db_.get_termfreq(term);
            by_frequency.emplace_back(frequency, i);
        }
        std::sort(by_frequency.begin(), by_frequency.end());
        DocSet candidates(cols_.last_docid);
        bool first = true;
        for (const auto& [frequency, i] : by_frequency) {
            if (!first && frequency > db_.get_doccount() / 2) break;
            DocSet any(cols_.last_docid);
            for (const auto& term : match->slots[i].terms) any |= postings(term);
            if (first) candidates = std::move(any);
            else candidates &= any;
            first = false;
            if (candidates.none()) return candidates;
        }
        DocSet unmatched = within ? without_letter_docs(*within) : everything();
        DocSet scope = candidates;
        scope &= unmatched;
        // Which kind first: a phrase most determinations hold in their own text is best checked
        // there first (letters then only for the rest); one they mostly share through their
        // letter ("the patient") is best checked in letters first. A sample of the determinations
        // tells which: measured at 1M letters, "the patient" matched 7% of its sampled determinations
        // and its check took 240 ms determinations first, 158 ms letters first.
        const std::size_t in_scope = scope.count();
        DocSet out(cols_.last_docid);
        if (in_scope > 0 && in_scope >= sample_order_from_) {
            StreamCheck check(db_, *match, cols_.streams.get());
            std::size_t hits = 0, tried = 0;
            for (const Xapian::docid d : every_nth(scope, std::max<std::size_t>(1, in_scope / kSample))) {
                if (check.matches(d, false)) {
                    out.set(d);
                    ++hits;
                }
                scope.clear(d);
                ++tried;
            }
            if (hits * 2 < tried) {
                DocSet letters = letters_with_unmatched(candidates, unmatched);
                const DocSet by_letter = spread(stream_pass(match, letters, true));
                out |= by_letter;
                scope.subtract(by_letter);
                out |= stream_pass(match, scope, false);
                return out;
            }
        }
        out |= stream_pass(match, scope, false);
        unmatched.subtract(out);
        out |= spread(stream_pass(match, letters_with_unmatched(candidates, unmatched), true));
        return out;
    }

    // The candidate letter documents with a determination in `unmatched`.
    DocSet letters_with_unmatched(const DocSet& candidates, const DocSet& unmatched) const {
        DocSet letters(cols_.last_docid);
        const auto& words = candidates.words();
        for (std::size_t i = 0; i < words.size() && i < cols_.letter_doc_bits.size(); ++i) {
            for (std::uint64_t w = words[i] & cols_.letter_doc_bits[i]; w != 0; w &= w - 1) {
                const auto did = static_cast<Xapian::docid>(i * 64 + static_cast<std::size_t>(std::countr_zero(w)));
                const std::uint32_t letter = cols_.letter_of_letter_doc[did];
                for (std::uint32_t k = cols_.determination_offsets[letter]; k < cols_.determination_offsets[letter + 1]; ++k) {
                    if (unmatched.test(cols_.determination_docs[k])) {
                        letters.set(did);
                        break;
                    }
                }
            }
        }
        return letters;
    }

    // Every `step`th member of `scope`, from its first, skipping whole words of bits.
    static std::vector<Xapian::docid> every_nth(const DocSet& scope, std::size_t step) {
        std::vector<Xapian::docid> out;
        const auto& words = scope.words();
        std::size_t next = 0, index = 0;
        for (std::size_t i = 0; i < words.size(); ++i) {
            const auto members = static_cast<std::size_t>(std::popcount(words[i]));
            if (next >= index + members) {
                index += members;
                continue;
            }
            for (std::uint64_t w = words[i]; w != 0; w &= w - 1, ++index) {
                if (index != next) continue;
                out.push_back(static_cast<Xapian::docid>(i * 64 + static_cast<std::size_t>(std::countr_zero(w))));
                next += step;
            }
        }
        return out;
    }

    // The documents of `scope` whose streams match; a long scope is split in two halves, one for
    // the helper's thread. The members are read from the bits, not listed first: at 1M letters a
    // broad phrase's list took 6 MB, often of fresh memory.
    DocSet stream_pass(const std::shared_ptr<const SectionMatch>& match, const DocSet& scope, bool letter_documents) {
        DocSet out(cols_.last_docid);
        const std::size_t members = scope.count();
        if (members == 0) return out;
        const StreamStore* store = cols_.streams.get();
        const auto& words = scope.words();
        auto run = [&match, letter_documents, store, &words](const Xapian::Database& db, std::size_t first_word, std::size_t end_word,
                                                             DocSet& into) {
            StreamCheck check(db, *match, store);
            if (!check.possible()) return;
            for (std::size_t i = first_word; i < end_word; ++i) {
                for (std::uint64_t w = words[i]; w != 0; w &= w - 1) {
                    const auto d = static_cast<Xapian::docid>(i * 64 + static_cast<std::size_t>(std::countr_zero(w)));
                    if (check.matches(d, letter_documents)) into.set(d);
                }
            }
        };
        if (!helper_ || members < kSplitScope) {
            run(db_, 0, words.size(), out);
            return out;
        }
        std::size_t middle = 0;
        for (std::size_t before = 0; middle < words.size() && before < members / 2; ++middle)
            before += static_cast<std::size_t>(std::popcount(words[middle]));
        DocSet upper(cols_.last_docid);
        on_two_threads([&] { run(db_, 0, middle, out); }, [&] { run(*helper_, middle, words.size(), upper); });
        out |= upper;
        return out;
    }

    // Section checks and value ranges, through Xapian's matcher with boolean weights: determination
    // documents first, then only the letter documents of determinations still unmatched.
    DocSet check_positions(const Xapian::Query& q, const Xapian::Query& twin, const DocSet* within) {
        DocSet unmatched = within ? without_letter_docs(*within) : everything();
        DocSet out = xapian_pass(q, twin, unmatched);
        unmatched.subtract(out);
        DocSet letters(cols_.last_docid);
        for (Xapian::docid d : unmatched.docids())
            if (const Xapian::docid letter_doc = cols_.letter_doc_of(d)) letters.set(letter_doc);
        out |= spread(xapian_pass(q, twin, letters));
        return out;
    }

    // The documents of `scope` that `q` matches; a long scope is split in two halves, one for the
    // helper's thread.
    DocSet xapian_pass(const Xapian::Query& q, const Xapian::Query& twin, const DocSet& scope) {
        DocSet out(cols_.last_docid);
        const std::vector<Xapian::docid> docs = scope.docids();
        if (docs.empty()) return out;
        auto restricted = [](const Xapian::Query& query, std::vector<Xapian::docid> part) {
            auto shared = std::make_shared<const std::vector<Xapian::docid>>(std::move(part));
            return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query((new SortedDocidSource(std::move(shared)))->release()));
        };
        if (!helper_ || docs.size() < kSplitScope) {
            run_pass(db_, restricted(q, docs), out);
            return out;
        }
        const std::size_t middle = docs.size() / 2;
        DocSet upper(cols_.last_docid);
        // Built here, used only there: the helper's thread touches only its own copy of the query.
        Xapian::Query upper_query = restricted(twin, std::vector<Xapian::docid>(docs.begin() + static_cast<std::ptrdiff_t>(middle), docs.end()));
        on_two_threads(
            [&] {
                run_pass(db_, restricted(q, std::vector<Xapian::docid>(docs.begin(), docs.begin() + static_cast<std::ptrdiff_t>(middle))), out);
            },
            [&] { run_pass(*helper_, upper_query, upper); });
        out |= upper;
        return out;
    }
};

}  // namespace

std::string positional_cache_key(const Xapian::Query& query, const DocSet* within) {
    std::string key = query.get_description();
    if (within) {
        const auto& words = within->words();
        const std::string_view bytes(reinterpret_cast<const char*>(words.data()), words.size() * sizeof(words[0]));
        key += " within " + std::to_string(std::hash<std::string_view>{}(bytes));
    }
    return key;
}

DocSet match_all_of(const Xapian::Database& db, const FacetColumns& columns, const Xapian::Query& query,
                    const MatchHelper* helper, PositionalCache* cache, std::size_t sample_order_from, WdfCache* wdf_cache,
                    bool whole_letters) {
    if (!helper)
        return Evaluator(db, columns, nullptr, cache, sample_order_from, wdf_cache, whole_letters)
            .eval(query, Xapian::Query(), nullptr);
    return Evaluator(db, columns, &helper->db, cache, sample_order_from, wdf_cache, whole_letters)
        .eval(query, helper->query, nullptr);
}

}  // namespace imr
