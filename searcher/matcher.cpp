// Evaluates the compiled query tree into the exact set of matching docids: bitsets from postlists, streams for positions.
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

// A wildcard's completions a stream check reads, as many as the query language expands.
constexpr std::size_t kWildcardTerms = 100;

// A positional check that took this long is kept in the PositionalCache.
constexpr double kCacheFromMs = 5.0;

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

    // The documents `node` matches; when `within` is given the answer may be cut down to it.
    DocSet eval(const MatchNode& node, const DocSet* within) {
        switch (node.kind) {
        case MatchNode::Kind::All: return everything();
        case MatchNode::Kind::Nothing: return DocSet(cols_.last_docid);
        case MatchNode::Kind::Terms: {
            DocSet out = postings(node.terms.front());
            for (std::size_t i = 1; i < node.terms.size(); ++i) out |= postings(node.terms[i]);
            return letter_wide(spread(std::move(out)));
        }
        case MatchNode::Kind::Or: {
            // Cheap children first; a positional one then checks only the documents that no
            // sibling matched. A drug's name phrases ("tramadol er" beside tramadol) check nothing.
            DocSet out(cols_.last_docid);
            for (const auto& child : node.children)
                if (reads_postlists_only(child)) out |= eval(child, within);
            for (const auto& child : node.children) {
                if (reads_postlists_only(child)) continue;
                DocSet rest = within ? *within : everything();
                rest.subtract(out);
                out |= eval(child, &rest);
            }
            return out;
        }
        case MatchNode::Kind::And: {
            // The children that are cheap to read narrow down where the others are checked.
            std::vector<const MatchNode*> order;
            for (const auto& child : node.children)
                if (reads_postlists_only(child)) order.push_back(&child);
            for (const auto& child : node.children)
                if (!reads_postlists_only(child)) order.push_back(&child);
            std::optional<DocSet> out;
            for (const MatchNode* child : order) {
                DocSet part = eval(*child, out ? &*out : within);
                if (out) *out &= part;
                else out = std::move(part);
            }
            return out ? std::move(*out) : DocSet(cols_.last_docid);
        }
        case MatchNode::Kind::AndNot: {
            DocSet out = eval(node.children.front(), within);
            for (std::size_t i = 1; i < node.children.size(); ++i) out.subtract(eval(node.children[i], &out));
            return out;
        }
        case MatchNode::Kind::Positional:
            return letter_wide(cached(node, within, [&] { return check_streams(node.positional, within); }));
        case MatchNode::Kind::Range: return letter_wide(cached(node, within, [&] { return in_range(node, within); }));
        case MatchNode::Kind::AtLeast: return letter_wide(cached(node, within, [&] { return at_least(node, within); }));
        }
        return DocSet(cols_.last_docid);
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
        // No cached node's description starts "term ", so the keys never meet.
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
            everything_->words() = cols_.live_bits;
        }
        return *everything_;
    }
    std::optional<DocSet> everything_;

    // A phrase, NEAR, section check or value range, from the cache when it was slow to check.
    // A check cut down to `within` is only the answer for that same set of documents, so the
    // set's hash is part of its key: the same query asked again (another page, another facet
    // value) gives the same sets, as in `norco -tramadol`, whose drug-name phrases are checked
    // only where no other name of the drug matched (measured at 1M letters: 136 ms every time).
    template <typename Check>
    DocSet cached(const MatchNode& node, const DocSet* within, Check&& check) {
        if (!cache_) return check();
        return remembered(positional_cache_key(node, within), std::forward<Check>(check));
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

    // Phrases, proximities and section checks, from the documents' token streams: the index has
    // no Xapian positions. Only candidate documents are read, one kind first and then the other
    // kind only where it can still add a match.
    DocSet check_streams(const std::shared_ptr<const SectionMatch>& match, const DocSet* within) {
        // Candidates: the documents holding a word of the rarest member, and of each other member
        // that is not in most documents. Reading the postlist of a word nearly every document
        // holds ("the") rules out almost nothing, and the stream check looks at every member anyway.
        std::vector<std::pair<Xapian::doccount, std::size_t>> by_frequency;  // (documents holding it, slot)
        std::vector<std::vector<std::string>> slot_terms;
        for (std::size_t i = 0; i < match->slots.size(); ++i) {
            slot_terms.push_back(terms_of(match->slots[i]));
            Xapian::doccount frequency = 0;
            for (const auto& term : slot_terms.back()) frequency += db_.get_termfreq(term);
            by_frequency.emplace_back(frequency, i);
        }
        std::sort(by_frequency.begin(), by_frequency.end());
        DocSet candidates(cols_.last_docid);
        bool first = true;
        for (const auto& [frequency, i] : by_frequency) {
            if (!first && frequency > db_.get_doccount() / 2) break;
            DocSet any(cols_.last_docid);
            for (const auto& term : slot_terms[i]) any |= postings(term);
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

    // The candidate letter documents with a determination in `unmatched`, found from whichever
    // is fewer: the candidate letters (a drug's brand phrase, checked where its generic did not
    // match) or the unmatched determinations (a phrase most letters print).
    DocSet letters_with_unmatched(const DocSet& candidates, const DocSet& unmatched) const {
        DocSet letters(cols_.last_docid);
        const auto& words = candidates.words();
        std::size_t candidate_letters = 0;
        for (std::size_t i = 0; i < words.size() && i < cols_.letter_doc_bits.size(); ++i)
            candidate_letters += static_cast<std::size_t>(std::popcount(words[i] & cols_.letter_doc_bits[i]));
        if (candidate_letters <= unmatched.count()) {
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
        // A letter's determinations lie side by side, so its document is looked up in order.
        const auto& unmatched_words = unmatched.words();
        Xapian::docid previous = 0;
        for (std::size_t i = 0; i < unmatched_words.size(); ++i) {
            for (std::uint64_t w = unmatched_words[i]; w != 0; w &= w - 1) {
                const auto did = static_cast<Xapian::docid>(i * 64 + static_cast<std::size_t>(std::countr_zero(w)));
                const Xapian::docid letter_doc = cols_.letter_doc_of(did);
                if (letter_doc == previous) continue;
                previous = letter_doc;
                if (letter_doc && candidates.test(letter_doc)) letters.set(letter_doc);
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

    // A slot's words: its terms, or the completions of its wildcard (a query compiled without
    // a vocabulary), as many as the query language expands.
    std::vector<std::string> terms_of(const SectionMatch::Slot& slot) const {
        if (!slot.terms.empty() || slot.wildcard.empty()) return slot.terms;
        std::vector<std::string> out;
        for (auto t = db_.allterms_begin(slot.wildcard); t != db_.allterms_end(slot.wildcard) && out.size() < kWildcardTerms; ++t)
            out.push_back(*t);
        return out;
    }

    // The live determinations in scope whose value in the node's slot lies in its range. Values
    // are read for the determinations in scope only when they are few; else the whole stream.
    DocSet in_range(const MatchNode& node, const DocSet* within) {
        const DocSet& scope = within ? *within : everything();
        DocSet out(cols_.last_docid);
        auto fits = [&](const std::string& value) {
            return !value.empty() && (node.low.empty() || value >= node.low) && (node.high.empty() || value <= node.high);
        };
        const std::size_t members = scope.count();
        if (members < cols_.last_docid / 16) {
            Xapian::ValueIterator it = db_.valuestream_begin(node.slot);
            const Xapian::ValueIterator end = db_.valuestream_end(node.slot);
            for (const Xapian::docid d : scope.docids()) {
                if (!cols_.live(d)) continue;
                if (it != end && it.get_docid() < d) it.skip_to(d);
                if (it == end) break;
                if (it.get_docid() == d && fits(*it)) out.set(d);
            }
            charge_work(1 + members);
            return out;
        }
        std::uint64_t read = 0;
        for (auto it = db_.valuestream_begin(node.slot); it != db_.valuestream_end(node.slot); ++it) {
            const Xapian::docid d = it.get_docid();
            if (d <= cols_.last_docid && scope.test(d) && cols_.live(d) && fits(*it)) out.set(d);
            if ((++read & 4095) == 0) charge_work(1024);
        }
        return out;
    }

    // atleastN(word): a determination's count is its own document's wdf plus its letter
    // document's, or, for a whole letter, the letter document's and every determination's.
    DocSet at_least(const MatchNode& node, const DocSet* within) {
        std::vector<std::uint32_t> wdf(static_cast<std::size_t>(cols_.last_docid) + 1, 0);
        DocSet holding(cols_.last_docid);
        for (const auto& term : node.terms) {
            std::uint64_t read = 0;
            for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term) && *p <= cols_.last_docid; ++p) {
                wdf[*p] += p.get_wdf();
                holding.set(*p);
                if ((++read & 4095) == 0) charge_work(1024);
            }
        }
        auto letter_count = [&](std::uint32_t letter, Xapian::docid letter_doc) {
            std::uint64_t sum = letter_doc ? wdf[letter_doc] : 0;
            for (std::uint32_t k = cols_.determination_offsets[letter]; k < cols_.determination_offsets[letter + 1]; ++k)
                sum += wdf[cols_.determination_docs[k]];
            return sum;
        };
        DocSet candidates = spread(std::move(holding));
        candidates &= within ? without_letter_docs(*within) : everything();
        DocSet out(cols_.last_docid);
        for (const Xapian::docid d : candidates.docids()) {
            if (!cols_.live(d)) continue;
            const Xapian::docid letter_doc = cols_.letter_doc_of(d);
            std::uint64_t count = wdf[d] + (letter_doc ? wdf[letter_doc] : 0);
            if (node.whole_letter && d < cols_.letter_of.size() && cols_.letter_of[d] != FacetColumns::kNoLetter)
                count = letter_count(cols_.letter_of[d], letter_doc);
            if (count >= node.count) out.set(d);
        }
        charge_work(1 + candidates.words().size());
        return out;
    }
};

}  // namespace

std::string positional_cache_key(const MatchNode& node, const DocSet* within) {
    std::string key = describe(node);
    if (within) {
        const auto& words = within->words();
        const std::string_view bytes(reinterpret_cast<const char*>(words.data()), words.size() * sizeof(words[0]));
        key += " within " + std::to_string(std::hash<std::string_view>{}(bytes));
    }
    return key;
}

DocSet match_all_of(const Xapian::Database& db, const FacetColumns& columns, const MatchNode& query,
                    const Xapian::Database* helper, PositionalCache* cache, std::size_t sample_order_from, WdfCache* wdf_cache,
                    bool whole_letters) {
    return Evaluator(db, columns, helper, cache, sample_order_from, wdf_cache, whole_letters).eval(query, nullptr);
}

}  // namespace imr
