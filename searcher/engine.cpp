// The search engine: query matching, exact multi-select facets from in-memory columns, ranking, snippets, letters.
//
// How a search runs (see facet_columns.h for the columns):
//  1. The query language is parsed into the project's query tree and compiled against the index
//     (query_tree.h, query_parser.h, match_tree.h), with a Xapian::Query of its words for ranking.
//  2. The exact set of matching docids comes from walking the compiled tree over postlists and
//     token streams (matcher.h); an empty query takes every live docid.
//  3. The facet filters are sets of value ids checked against the columns, so each match costs a
//     few array lookups: a document passing every filter counts in every facet; a document failing
//     exactly one facet's filter counts in that facet only (multi-select: a facet's counts ignore
//     its own selection).
//  4. The page: for relevance on a text query, BM25 of each match's own document plus its letter
//     document (ranker.h); for date orders and for queries without text, a partial sort of the
//     filtered docids on the date columns.
//  5. Snippets come from the letter document, which stores the whole letter.
#include "engine.h"

#include "document_data.h"
#include "facet_columns.h"
#include "facet_counting.h"
#include "highlighter.h"
#include "letter_json.h"
#include "letter_texts.h"
#include "lexicon.h"
#include "matcher.h"
#include "query_parser.h"
#include "ranker.h"
#include "schema.h"
#include "snippets.h"
#include "text_scan.h"
#include "work_budget.h"

#include <xapian.h>

#include <malloc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace imr {
namespace {

using document_data::copy_fields;
using document_data::hit_from;
using document_data::int_of;
using document_data::parse_data;
using document_data::stored_letter;
using document_data::string_of;

using Clock = std::chrono::steady_clock;
using DocidList = std::vector<Xapian::docid>;

constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kSnippetWords = 32;
constexpr std::size_t kSuggestMax = 1000;

// ---- Xapian helpers -------------------------------------------------------------------------

// The index as the query parser sees it: prefix completions, most frequent first.
class DatabaseVocabulary : public QueryVocabulary {
public:
    explicit DatabaseVocabulary(const Xapian::Database& db) : db_(db) {}
    std::vector<std::string> terms_with_prefix(const std::string& prefix, std::size_t limit) const override {
        std::vector<std::pair<Xapian::doccount, std::string>> found;
        for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) found.emplace_back(t.get_termfreq(), *t);
        // A short prefix lists thousands of terms: hundreds of wildcards are work to account for.
        charge_work(16 * found.size());
        std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (found.size() > limit) found.resize(limit);
        std::vector<std::string> terms;
        for (auto& f : found) terms.push_back(std::move(f.second));
        return terms;
    }
    std::vector<std::string> words_with_stem(const std::string& stem) const override {
        return stems ? stems->words(stem) : std::vector<std::string>();
    }
    // The stem index of the revision the worker is at; set before each parse.
    const StemIndex* stems = nullptr;

private:
    const Xapian::Database& db_;
};


// The words of a letter that `similar` looks for.
constexpr std::size_t kSimilarWords = 30;

// Keeps out of a Xapian match the documents no reader may see (a replaced letter's old version,
// schema.h): in `similar`, an old version would take a place of the page, and as it shares its
// letter id with the live version, it could win the collapse and hide the letter altogether.
class LiveDocuments : public Xapian::MatchDecider {
public:
    explicit LiveDocuments(const FacetColumns& cols) : cols_(cols) {}
    bool operator()(const Xapian::Document& doc) const override {
        const Xapian::docid did = doc.get_docid();
        if (did > cols_.last_docid) return false;
        return cols_.letter_of_letter_doc[did] != FacetColumns::kNoLetter || cols_.live(did);
    }

private:
    const FacetColumns& cols_;
};

// The filter a request names (by name or alias), and its column's index in FacetColumns::facets.
std::size_t facet_named(const FacetColumns& cols, const std::string& name) {
    if (const schema::Field* field = schema::find_field(name, schema::kFilter))
        if (const FacetColumn* column = cols.facet(field->name)) return static_cast<std::size_t>(column - cols.facets.data());
    throw BadRequest("unknown facet \"" + name + "\" (facets: " + scan::join(schema::names_with(schema::kFilter), ", ") + ")");
}

}  // namespace

// ---- The engine -----------------------------------------------------------------------------

struct Engine::Impl {
    std::filesystem::path path;
    const Lexicon& lexicon;
    EngineTuning tuning;

    // Xapian objects are not thread-safe: each search borrows a worker with its own handle.
    struct Worker {
        Xapian::Database db;
        Analyzer analyzer;
        DatabaseVocabulary vocabulary{db};
        QueryParser parser;
        Worker(const Xapian::Database& database, const Lexicon& lex) : db(database), parser(analyzer, lex, &vocabulary) {}
    };
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<Worker>> idle;

    std::mutex columns_mutex;  // guards `columns` (the pointer; the columns are immutable)
    std::shared_ptr<const FacetColumns> columns;
    std::mutex rebuild_mutex;  // one rebuild of the columns at a time
    PositionalCache positional_cache;
    WdfCache wdf_cache;
    std::atomic<int> searches_running{0};  // searches and stats in progress, for helper_for
    // Searches' arrays (SearchScratch); the last one given back is the next taken.
    struct SearchScratch;
    std::mutex scratch_mutex;
    std::vector<std::unique_ptr<SearchScratch>> idle_scratch;

    // A search's arrays, held for its lifetime and then given back.
    class ScratchLease {
    public:
        explicit ScratchLease(Impl& impl) : impl_(impl) {
            std::lock_guard lock(impl_.scratch_mutex);
            if (impl_.idle_scratch.empty()) {
                scratch_ = std::make_unique<SearchScratch>();
            } else {
                scratch_ = std::move(impl_.idle_scratch.back());
                impl_.idle_scratch.pop_back();
            }
        }
        ~ScratchLease() {
            std::lock_guard lock(impl_.scratch_mutex);
            impl_.idle_scratch.push_back(std::move(scratch_));
        }
        ScratchLease(const ScratchLease&) = delete;
        ScratchLease& operator=(const ScratchLease&) = delete;
        SearchScratch* operator->() const { return scratch_.get(); }
        SearchScratch& operator*() const { return *scratch_; }

    private:
        Impl& impl_;
        std::unique_ptr<SearchScratch> scratch_;
    };

    // Searches run at most one a core (plus one, for the moments a search spends off the CPU), the
    // others wait their turn in arrival order: on a busy server, sharing the cores among every
    // request would make each of them as slow as all of them together. Measured with wrk, 32
    // connections, 100k letters: p99 3.6 s -> 0.7 s, p50 174 -> 338 ms, 99 -> 92 requests/s.
    // Two queues (issue 19): a query that looks costly (QueryParser::looks_costly) waits in its
    // own and runs on at most one slot, so a cheap search never waits behind costly ones; a search
    // with a deadline gives up its place when the deadline passes.
    std::mutex turn_mutex;
    std::condition_variable turn_changed;
    std::uint64_t next_ticket = 0;
    std::deque<std::uint64_t> waiting[2];  // tickets in arrival order: [0] cheap, [1] costly
    int costly_running = 0;
    const int search_slots = static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) + 1;
    static constexpr int kCostlySlots = 1;

    // A search's turn, held for its lifetime; counted in searches_running.
    class Running {
    public:
        explicit Running(Impl& impl, bool costly = false,
                         std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt)
            : impl_(impl), costly_(costly) {
            std::unique_lock lock(impl_.turn_mutex);
            const std::uint64_t ticket = impl_.next_ticket++;
            auto& queue = impl_.waiting[costly_ ? 1 : 0];
            queue.push_back(ticket);
            auto my_turn = [&] {
                return queue.front() == ticket && impl_.searches_running.load() < impl_.search_slots &&
                       (!costly_ || impl_.costly_running < kCostlySlots);
            };
            if (deadline) {
                if (!impl_.turn_changed.wait_until(lock, *deadline, my_turn)) {
                    queue.erase(std::find(queue.begin(), queue.end(), ticket));
                    impl_.turn_changed.notify_all();
                    throw SearchDeadline("the server is busy: the search waited past its deadline for a turn; try again");
                }
            } else {
                impl_.turn_changed.wait(lock, my_turn);
            }
            queue.pop_front();
            ++impl_.searches_running;
            if (costly_) ++impl_.costly_running;
            impl_.turn_changed.notify_all();
        }
        ~Running() {
            {
                std::lock_guard lock(impl_.turn_mutex);
                --impl_.searches_running;
                if (costly_) --impl_.costly_running;
            }
            impl_.turn_changed.notify_all();
        }
        Running(const Running&) = delete;
        Running& operator=(const Running&) = delete;

    private:
        Impl& impl_;
        bool costly_;
    };

    Impl(std::filesystem::path p, const Lexicon& lex) : path(std::move(p)), lexicon(lex) {}

    Xapian::Database open_database() const {
        try {
            return Xapian::Database(path.string());
        } catch (const Xapian::DatabaseModifiedError&) {
            throw;  // a commit while opening: the callers' retries handle it
        } catch (const Xapian::Error& e) {
            throw DatabaseUnavailable("cannot open database " + path.string() + ": " + e.get_msg());
        }
    }

    // Columns of `db`'s revision, read on two threads when a second handle opens at that revision;
    // with the streams in memory, those are read meanwhile through a third.
    FacetColumns read_columns(const Xapian::Database& db) const {
        std::optional<Xapian::Database> second, third;
        try {
            second = open_database();
            if (tuning.streams_in_memory) third = open_database();
        } catch (const DatabaseUnavailable&) {
            // One thread, then: `db` itself is open, and reading the columns reports what is wrong.
        }
        std::future<std::shared_ptr<const StreamStore>> streams;
        if (third && third->get_revision() == db.get_revision())
            streams = std::async(std::launch::async, [&third] { return StreamStore::load(*third); });
        FacetColumns read = build_facet_columns(db, second ? &*second : nullptr);
        if (streams.valid()) {
            read.streams = streams.get();
        } else if (tuning.streams_in_memory) {
            read.streams = StreamStore::load(db);
        }
        if (tuning.warm_up) read_common_columns(read, db, second ? &*second : third ? &*third : nullptr);
        return read;
    }

    // The wdf columns of the most common words, as many as kCommonColumnsBudget holds, read on
    // `db` and, when there is one at its revision, `second` at once.
    static void read_common_columns(FacetColumns& cols, const Xapian::Database& db, const Xapian::Database* second) {
        const std::size_t capacity = kCommonColumnsBudget / (static_cast<std::size_t>(cols.last_docid) + 1);
        cols.common_words = words_wanting_columns(db, capacity);
        const std::vector<std::string>& words = cols.common_words;
        std::vector<std::shared_ptr<const WdfCache::Column>> read(words.size());
        auto fill = [&](const Xapian::Database& handle, std::size_t first) {
            for (std::size_t i = first; i < words.size(); i += 2)
                read[i] = std::make_shared<const WdfCache::Column>(read_wdf_column(handle, words[i]));
        };
        if (second && second->get_revision() == db.get_revision()) {
            auto odd = std::async(std::launch::async, [&] { fill(*second, 1); });
            fill(db, 0);
            odd.get();
        } else {
            fill(db, 0);
            fill(db, 1);
        }
        for (std::size_t i = 0; i < words.size(); ++i) cols.common_wdf.emplace(words[i], std::move(read[i]));
    }

    std::shared_ptr<const FacetColumns> current_columns() {
        std::lock_guard lock(columns_mutex);
        return columns;
    }

    // Columns for the revision `db` is at, rebuilt when they are older. With `unless_busy`, null
    // instead of waiting while another thread rebuilds them.
    std::shared_ptr<const FacetColumns> columns_for(const Xapian::Database& db, bool unless_busy = false) {
        std::unique_lock rebuild(rebuild_mutex, std::defer_lock);
        if (!unless_busy) rebuild.lock();
        else if (!rebuild.try_lock()) return nullptr;
        auto current = current_columns();
        if (current && current->revision == db.get_revision()) return current;
        auto fresh = std::make_shared<const FacetColumns>(read_columns(db));
        if (!current || fresh->revision > current->revision) {
            std::lock_guard lock(columns_mutex);
            columns = fresh;
        }
        return fresh;
    }

    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<Worker> worker) : impl_(impl), worker_(std::move(worker)) {}
        ~Lease() {
            if (!worker_) return;  // moved from
            std::lock_guard lock(impl_.pool_mutex);
            impl_.idle.push_back(std::move(worker_));
        }
        Lease(Lease&& other) noexcept : impl_(other.impl_), worker_(std::move(other.worker_)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Worker& operator*() const { return *worker_; }
        Worker* operator->() const { return worker_.get(); }

    private:
        Impl& impl_;
        std::unique_ptr<Worker> worker_;
    };

    Lease acquire() {
        {
            std::lock_guard lock(pool_mutex);
            if (!idle.empty()) {
                auto worker = std::move(idle.back());
                idle.pop_back();
                return Lease(*this, std::move(worker));
            }
        }
        return Lease(*this, std::make_unique<Worker>(open_database(), lexicon));
    }

    // Runs `work` with a worker whose database handle is at the revision of the columns it gets.
    // A reader that meets a commit reopens and tries again (issue 19, item 7: three attempts made
    // 18 of 68k requests fail at --batch 50), pausing a little longer each time, until it
    // succeeds, its deadline passes, or kMaxAttempts say the database never holds still.
    static constexpr int kMaxAttempts = 40;
    static constexpr int kCorruptRetries = 3;
    template <typename Work>
    auto with_worker(Work&& work, std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt) {
        auto pause_before = [&](int attempt, const char* why) {
            if (attempt + 1 >= kMaxAttempts || (deadline && std::chrono::steady_clock::now() >= *deadline))
                throw DatabaseUnavailable(std::string("the database keeps changing under the searcher (") + why +
                                          ", " + std::to_string(attempt + 1) + " attempts); try again");
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(attempt, 6), 50)));
        };
        bool stale = false;  // the last attempt met a discarded revision: reopen first
        int corrupt_reads = 0;
        for (int attempt = 0;; ++attempt) {
            try {
                Lease worker = acquire();  // opening a handle can meet a commit too
                // Inside the try: a reopen can itself meet the next commit (it threw out of the
                // handler below, past every other, when it was called there).
                if (stale) worker->db.reopen();
                stale = false;
                auto cols = current_columns();
                bool behind = false;  // searching the columns' revision with a newer handle
                if (worker->db.get_revision() != cols->revision) {
                    worker->db.reopen();
                    if (worker->db.get_revision() != cols->revision) {
                        // While another thread builds the next revision's columns (seconds at
                        // 1M letters), search the revision the current ones describe rather
                        // than wait: written documents never change, a newer handle holds them
                        // all, and every set is bounded by the columns' last docid.
                        if (auto fresh = columns_for(worker->db, true)) cols = fresh;
                        else behind = worker->db.get_revision() > cols->revision;
                    }
                }
                if (worker->db.get_revision() != cols->revision && !behind) {
                    pause_before(attempt, "another reader moved the columns on");
                    continue;
                }
                worker->vocabulary.stems = &cols->stems;
                return work(*worker, *cols);
            } catch (const Xapian::DatabaseModifiedError&) {
                // The indexer committed twice while this handle read an old revision.
                pause_before(attempt, "revisions discarded while reading");
                stale = true;
            } catch (const Xapian::DatabaseCorruptError& e) {
                // A read racing a commit can see a block half written and report it corrupt
                // (engine_test's 150 commits under three readers, with other tests running: 2 runs
                // in 130). A database that is corrupt stays so when read again.
                if (++corrupt_reads > kCorruptRetries)
                    throw DatabaseUnavailable("cannot read database " + path.string() + ": " + e.get_msg());
                pause_before(attempt, "a block read while it was written");
                stale = true;
            } catch (const Xapian::DatabaseError& e) {
                throw DatabaseUnavailable("cannot read database " + path.string() + ": " + e.get_msg());
            } catch (const Xapian::Error& e) {
                throw EngineError("search failed: " + e.get_description());
            }
        }
    }

    // ---- Matching and facets ----

    static std::vector<Selection> resolve_filters(const SearchRequest& request, const Worker& worker,
                                                  const FacetColumns& cols) {
        std::vector<Selection> selections;
        for (const auto& [name, values] : request.filters) {
            const std::size_t facet = facet_named(cols, name);
            if (values.empty()) continue;
            Selection* sel = nullptr;
            for (auto& s : selections)
                if (s.facet == facet) sel = &s;
            if (!sel) {
                selections.push_back(Selection::of(cols, facet));
                sel = &selections.back();
            }
            for (const auto& value : values) accept_value(*sel, value, worker, cols);
        }
        return selections;
    }

    // Marks the values a filter value selects. A value of the facet, as it shows it, selects
    // exactly that value, so that ticking it gives the count beside it; any other value is
    // resolved as the query language's field: does (a brand selects its drug, a guideline source
    // its topics).
    static void accept_value(Selection& sel, const std::string& value, const Worker& worker, const FacetColumns& cols) {
        const FacetColumn& column = *sel.column;
        const schema::Field& facet = *column.field;
        if (auto it = column.id_of_term.find(schema::field_term(facet.prefix, value)); it != column.id_of_term.end()) {
            sel.accepted[it->second] = sel.exact[it->second] = 1;
            return;
        }
        const Xapian::Query q = worker.parser.field_query(std::string(facet.name), value);
        for (const auto& named : sel.named)
            if (named.value == value) return;
        Selection::Named& named = sel.named.emplace_back(Selection::Named{value, std::vector<char>(column.terms.size(), 0)});
        auto accept = [&](std::uint32_t id) { sel.accepted[id] = named.accepted[id] = 1; };
        for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
            const std::string term = *t;
            if (auto it = column.id_of_term.find(term); it != column.id_of_term.end()) {
                accept(it->second);
            } else if (facet.name == "drug" && term.rfind(schema::kBrand, 0) == 0) {
                if (auto b = cols.drug_ids_by_brand.find(term.substr(schema::kBrand.size())); b != cols.drug_ids_by_brand.end())
                    for (auto id : b->second) accept(id);
            } else if (facet.name == "guideline" && term.rfind(schema::kGuideSource, 0) == 0) {
                const std::string wanted = std::string(schema::kGuideline) + term.substr(schema::kGuideSource.size()) + ":";
                for (std::uint32_t id = 0; id < column.terms.size(); ++id)
                    if (column.terms[id].rfind(wanted, 0) == 0) accept(id);
            }
        }
    }

    // A second worker at the revision of the columns, for the second thread of a split search:
    // it reads the same compiled tree (match_tree.h) through a database handle of its own.
    struct Helper {
        Lease lease;
    };
    // A second worker at the revision of `cols`, when a second thread is worth it.
    std::optional<Lease> helper_lease(const FacetColumns& cols) {
        if (cols.documents < tuning.split_above) return std::nullopt;
        // With another search running the other core is taken: a second thread would only queue
        // behind it and add its start-up to both.
        if (searches_running.load(std::memory_order_relaxed) > 1) return std::nullopt;
        Lease lease = acquire();
        if (lease->db.get_revision() != cols.revision) lease->db.reopen();
        if (lease->db.get_revision() != cols.revision) return std::nullopt;
        return lease;
    }
    std::optional<Helper> helper_for(const FacetColumns& cols) {
        std::optional<Lease> lease = helper_lease(cols);
        if (!lease) return std::nullopt;
        (*lease)->vocabulary.stems = &cols.stems;
        return Helper{std::move(*lease)};
    }

    // Every docid the parsed query matches, ascending. With a helper, long positional passes use
    // both cores.
    void matching_docids(const Worker& worker, const FacetColumns& cols, const ParsedQuery& parsed,
                         const std::optional<Helper>& helper, DocidList& docs, Scope scope) {
        const bool whole_letters = scope == Scope::Letter;
        if (parsed.match_all) {
            docs.clear();
            docs.reserve(cols.documents);
            for (Xapian::docid d = 1; d <= cols.last_docid; ++d)
                if (cols.live(d)) docs.push_back(d);
            return;
        }
        match_all_of(worker.db, cols, parsed.match, helper ? &helper->lease->db : nullptr,
                     tuning.cache_positional ? &positional_cache : nullptr, kSampleOrderFrom,
                     &wdf_cache, whole_letters)
            .docids_into(docs);
    }
    DocidList matching_docids(const Worker& worker, const FacetColumns& cols, const ParsedQuery& parsed,
                              const std::optional<Helper>& helper, Scope scope) {
        DocidList docs;
        matching_docids(worker, cols, parsed, helper, docs, scope);
        return docs;
    }

    // The arrays of one search, kept between searches for the reason ranker.h gives RankScratch:
    // its matches, the filtered halves with their facet counts, and the ranking's arrays.
    struct SearchScratch {
        DocidList matched;
        Matches kept, upper;  // after filtering, `kept` holds every match that passes
        std::vector<char> letter_seen, upper_letter_seen;
        RankScratch rank;
    };

    // scratch.matched filtered and counted into scratch.kept, on two threads from `split_above`
    // matches on, each taking the matches of half of the letters.
    void filter_and_count(SearchScratch& scratch, const FacetColumns& cols, const std::vector<Selection>& selections,
                          bool with_facets) const {
        const DocidList& matched = scratch.matched;
        const Xapian::docid* all = matched.data();
        if (matched.size() < tuning.split_above) {
            imr::filter_and_count(cols, all, all + matched.size(), selections, with_facets, scratch.kept, scratch.letter_seen, matched.size());
            return;
        }
        std::size_t middle = matched.size() / 2;
        while (middle > 0 && middle < matched.size() && cols.letter_of[matched[middle]] == cols.letter_of[matched[middle - 1]]) ++middle;
        auto second = std::async(std::launch::async, [&] {
            imr::filter_and_count(cols, all + middle, all + matched.size(), selections, with_facets, scratch.upper,
                             scratch.upper_letter_seen, matched.size() - middle);
        });
        // Room for both halves, so that the upper one joins without moving the lower.
        imr::filter_and_count(cols, all, all + middle, selections, with_facets, scratch.kept, scratch.letter_seen, matched.size());
        second.get();
        add_matches(scratch.kept, scratch.upper);
    }

    // ---- Ordering ----

    static std::uint32_t sort_date(const FacetColumns& cols, SortOrder sort, Xapian::docid d) {
        return sort == SortOrder::InjuryDate ? cols.injury_date[d] : cols.decision_date[d];
    }

    // One page of docids ordered by a date column (newest first unless ascending; undated last).
    static DocidList date_page(const FacetColumns& cols, const DocidList& docs, SortOrder sort, bool ascending,
                               bool group, std::size_t offset, std::size_t limit) {
        auto before = [&](Xapian::docid a, Xapian::docid b) {
            const std::uint32_t da = sort_date(cols, sort, a), db = sort_date(cols, sort, b);
            if ((da == 0) != (db == 0)) return db == 0;
            if (da != db) return ascending ? da < db : da > db;
            return ascending ? a < b : a > b;
        };
        DocidList candidates;
        if (group) {
            // The best-placed determination of each letter stands for it.
            std::unordered_map<std::uint32_t, Xapian::docid> best;
            best.reserve(docs.size());
            for (Xapian::docid d : docs) {
                auto [it, added] = best.try_emplace(cols.letter_of[d], d);
                if (!added && before(d, it->second)) it->second = d;
            }
            candidates.reserve(best.size());
            for (const auto& [letter, d] : best) candidates.push_back(d);
        } else {
            candidates = docs;
        }
        if (offset >= candidates.size()) return {};
        const std::size_t end = std::min(candidates.size(), offset + limit);
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(end), candidates.end(), before);
        return DocidList(candidates.begin() + static_cast<std::ptrdiff_t>(offset),
                         candidates.begin() + static_cast<std::ptrdiff_t>(end));
    }

    using Ranked = RankedDoc;

    // ---- Hits ----

    Hit make_hit(const Worker& worker, const FacetColumns& cols, Xapian::docid did, double score, const Highlight& highlight,
                 std::unordered_map<std::uint32_t, Letter>& letters, bool with_snippet = true,
                 Scope scope = Scope::Determination) const {
        const nlohmann::json data = parse_data(worker.db.get_document(did), cols.codec);
        Hit hit = hit_from(data);
        hit.score = score;
        if (!with_snippet) return hit;
        const std::uint32_t letter = cols.letter_of[did];
        auto it = letters.find(letter);
        if (it == letters.end()) {
            const Xapian::docid letter_doc = cols.letter_doc_of(did);
            it = letters.emplace(letter, letter_doc ? stored_letter(worker.db.get_document(letter_doc), cols.codec) : Letter{}).first;
        }
        const int ordinal = int_of(data, "ordinal", 0);
        hit.snippet = make_snippet(worker.analyzer, highlight, indexed_texts(it->second, ordinal, scope == Scope::Letter),
                                   reading_order_texts(it->second, ordinal, scope == Scope::Letter), kSnippetWords);
        return hit;
    }

    // The page's hits; on a large database a full page is read and marked up in two halves at once.
    std::vector<Hit> make_hits(const Worker& worker, const FacetColumns& cols, const std::vector<Ranked>& page,
                               const Highlight& highlight, const std::optional<Helper>& helper, bool with_snippets,
                               Scope scope = Scope::Determination) {
        auto run = [&](const Worker& w, std::size_t begin, std::size_t end) {
            std::unordered_map<std::uint32_t, Letter> letters;
            std::vector<Hit> hits;
            for (std::size_t i = begin; i < end; ++i)
                hits.push_back(make_hit(w, cols, page[i].did, page[i].score, highlight, letters, with_snippets, scope));
            return hits;
        };
        if (page.size() < 4 || !with_snippets || !helper) return run(worker, 0, page.size());
        const std::size_t middle = page.size() / 2;
        auto second = std::async(std::launch::async, [&] { return run(*helper->lease, middle, page.size()); });
        std::vector<Hit> hits;
        try {
            hits = run(worker, 0, middle);
        } catch (...) {
            second.wait();
            throw;
        }
        std::vector<Hit> rest = second.get();
        hits.insert(hits.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
        return hits;
    }

    static std::optional<std::string> spelling_suggestion(const Worker& worker, std::string_view query,
                                                          const ParsedQuery& parsed) {
        std::string suggested(query);
        bool changed = false;
        for (auto w = parsed.words.rbegin(); w != parsed.words.rend(); ++w) {
            if (w->has_forms || worker.db.get_termfreq(w->term) > 0) continue;
            const std::string better = worker.db.get_spelling_suggestion(w->term, 2);
            if (better.empty() || better == w->term) continue;
            suggested.replace(w->begin, w->end - w->begin, better);
            changed = true;
        }
        if (!changed) return std::nullopt;
        return suggested;
    }

    // ---- Ids ----

    struct Target {
        std::string letter_id;
        std::optional<int> ordinal;  // set when the id named a determination
        Xapian::docid did = 0;       // the determination's document (ordinal 0 for a letter id)
    };

    static Target resolve_id(const FacetColumns& cols, const std::string& id) {
        Target t;
        const auto slash = id.find('/');
        t.letter_id = id.substr(0, slash);
        int ordinal = 0;
        if (slash != std::string::npos) {
            const std::string number = id.substr(slash + 1);
            if (number.empty() || number.size() > 6 || !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }))
                throw NotFound("no letter or determination has the id \"" + id + "\"");
            ordinal = std::stoi(number);
            t.ordinal = ordinal;
        }
        if (t.letter_id.empty()) throw NotFound("no letter or determination has the id \"" + id + "\"");
        t.did = cols.find_document(t.letter_id, ordinal);
        if (t.did == 0) throw NotFound("no letter or determination has the id \"" + id + "\"");
        return t;
    }

    // The live letters holding determinations of a case number, in docid order.
    static std::vector<std::uint32_t> letters_of_case(const Worker& worker, const FacetColumns& cols, const std::string& case_number) {
        const std::string term = schema::field_term(schema::kCase, case_number);
        std::vector<std::uint32_t> letters;
        for (auto p = worker.db.postlist_begin(term); p != worker.db.postlist_end(term); ++p)
            if (cols.live(*p) && std::find(letters.begin(), letters.end(), cols.letter_of[*p]) == letters.end())
                letters.push_back(cols.letter_of[*p]);
        return letters;
    }

    // A letter or determination id, or a case number (as the table prints it) that one letter
    // holds; a case number several letters hold throws AmbiguousId, which lists them.
    static Target resolve(const Worker& worker, const FacetColumns& cols, const std::string& id) {
        const bool looks_like_id = id.find('/') != std::string::npos || (id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
                                                                          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                                                                      }));
        if (looks_like_id || id.empty()) return resolve_id(cols, id);
        const std::vector<std::uint32_t> letters = letters_of_case(worker, cols, id);
        if (letters.empty()) throw NotFound("no letter has the id or case number \"" + id + "\"");
        if (letters.size() == 1) {
            const std::uint32_t letter = letters.front();
            return Target{cols.letter_ids[letter], std::nullopt, cols.determination_docs[cols.determination_offsets[letter]]};
        }
        std::vector<LetterChoice> choices;
        for (std::uint32_t letter : letters) {
            LetterChoice choice;
            choice.letter_id = cols.letter_ids[letter];
            for (std::uint32_t k = cols.determination_offsets[letter]; k < cols.determination_offsets[letter + 1]; ++k) {
                const nlohmann::json data = parse_data(worker.db.get_document(cols.determination_docs[k]), cols.codec);
                if (choice.file.empty()) {
                    choice.file = string_of(data, "file");
                    choice.case_number = string_of(data, "case_number");
                    choice.decision_date = string_of(data, "decision_date");
                }
                choice.items.push_back(string_of(data, "item") + " (" + string_of(data, "decision") + ")");
            }
            choices.push_back(std::move(choice));
        }
        // Newest decision first, as an attorney reads a case's history.
        std::stable_sort(choices.begin(), choices.end(), [](const LetterChoice& a, const LetterChoice& b) {
            return a.decision_date != b.decision_date ? a.decision_date > b.decision_date : a.file < b.file;
        });
        const std::string message =
            "the case number \"" + id + "\" is on " + std::to_string(choices.size()) + " letters; give one of their ids";
        throw AmbiguousId(message, std::move(choices));
    }

    static void check_limits(const SearchRequest& request) {
        if (request.limit > kMaxLimit)
            throw BadRequest("limit " + std::to_string(request.limit) + " is too large (at most " + std::to_string(kMaxLimit) + ")");
    }

    SearchResult run_search(const SearchRequest& request, Worker& worker, const FacetColumns& cols) {
        const auto started = Clock::now();
        check_limits(request);
        const ParsedQuery parsed = worker.parser.parse(request.query, request.scope);
        const auto selections = resolve_filters(request, worker, cols);

        SearchResult result;
        auto lap = [last = Clock::now()]() mutable {
            const auto now = Clock::now();
            const double ms = std::chrono::duration<double, std::milli>(now - last).count();
            last = now;
            return ms;
        };
        const std::optional<Helper> helper = helper_for(cols);
        const ScratchLease scratch(*this);
        matching_docids(worker, cols, parsed, helper, scratch->matched, request.scope);
        result.phases.match_ms = lap();
        filter_and_count(*scratch, cols, selections, request.with_facets);
        const Matches& m = scratch->kept;

        result.query = request.query;
        result.interpreted_as = parsed.interpreted_as;
        result.scope = request.scope;
        result.notices = parsed.notices;
        result.total = m.docs.size();
        result.total_letters = m.letters;
        result.offset = request.offset;
        result.limit = request.limit;
        const std::uint64_t pageable = request.group_by_letter ? result.total_letters : result.total;
        if (request.offset > pageable)
            throw BadRequest("offset " + std::to_string(request.offset) + " is past the end of the results (" +
                             std::to_string(pageable) + (request.group_by_letter ? " letters)" : " matches)"));

        if (request.with_facets) {
            for (std::size_t f = 0; f < cols.facets.size(); ++f) {
                const Selection* selection = nullptr;
                const std::vector<std::uint64_t>* named = nullptr;
                for (std::size_t s = 0; s < selections.size(); ++s)
                    if (selections[s].facet == f) {
                        selection = &selections[s];
                        named = &m.named_counts[s];
                    }
                result.facets.emplace_back(std::string(cols.facets[f].field->json),
                                           facet_counts(cols.facets[f], m.counts[f], selection, named, request.facet_limit));
            }
        }
        result.phases.facets_ms = lap();

        std::vector<Ranked> page;
        if (request.limit > 0 && !m.docs.empty()) {
            if (request.sort == SortOrder::Relevance && parsed.ranked) {
                page = rank_by_relevance(worker.db, cols, parsed.ranking, m.docs, request.group_by_letter, request.offset,
                                         request.limit, helper ? &helper->lease->db : nullptr, &wdf_cache, &scratch->rank);
            } else {
                const SortOrder by = request.sort == SortOrder::Relevance ? SortOrder::DecisionDate : request.sort;
                const bool ascending = request.sort == SortOrder::Relevance ? false : request.ascending;
                for (Xapian::docid d : date_page(cols, m.docs, by, ascending, request.group_by_letter, request.offset, request.limit))
                    page.push_back({d, 0.0});
            }
        }
        result.phases.order_ms = lap();
        result.hits = make_hits(worker, cols, page, parsed.highlight, helper, request.with_snippets, request.scope);
        if (!parsed.match_all) result.suggestion = spelling_suggestion(worker, request.query, parsed);
        result.phases.hits_ms = lap();
        result.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        return result;
    }
};

namespace {

// A search over a million letters allocates tens of megabytes of per-document arrays (weights,
// docid lists, bitsets) and frees them at its end. glibc hands chunks that big back to the kernel
// (mmap and trim), so the next search faults every page in and zeroes it again: measured at 1M
// letters, a repeated `denied` spent about a fifth of its time in the kernel. Keeping them in the
// heap makes the next search reuse them. Process-wide, set once, by the first engine.
void keep_freed_search_memory() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest: every array below 32 MB from the heap
        mallopt(M_TRIM_THRESHOLD, 1 << 30);   // and none of it handed back below 1 GB free at the top
    });
}

}  // namespace

Engine::Engine(const std::filesystem::path& db, const Lexicon& lexicon, EngineTuning tuning)
    : impl_(std::make_unique<Impl>(db, lexicon)) {
    keep_freed_search_memory();
    impl_->tuning = tuning;
    if (!std::filesystem::exists(db)) throw DatabaseUnavailable("cannot open database " + db.string() + ": no such file or directory");
    Xapian::Database database = impl_->open_database();
    if (const std::string problem = schema::version_problem(database); !problem.empty())
        throw DatabaseUnavailable("cannot read database " + db.string() + ": " + problem);
    try {
        impl_->columns = std::make_shared<const FacetColumns>(impl_->read_columns(database));
    } catch (const Xapian::Error& e) {
        throw DatabaseUnavailable("cannot read database " + db.string() + ": " + e.get_msg());
    } catch (const LetterCodecError& e) {
        throw DatabaseUnavailable("cannot read database " + db.string() + ": " + e.what());
    }
    impl_->idle.push_back(std::make_unique<Impl::Worker>(database, lexicon));
    if (tuning.warm_up && !impl_->columns->common_words.empty()) {
        // One broad search faults in the memory of the arrays every broad search needs.
        SearchRequest request;
        request.query = "\"" + impl_->columns->common_words.front() + "\"";
        try {
            search(request);
        } catch (const BadRequest&) {
            // A word the query language reads otherwise: the columns are made all the same.
        }
    }
}

Engine::~Engine() = default;

SearchResult Engine::search(const SearchRequest& request) const {
    // Positional checks charge this budget, on this thread and on a helper's (work_budget.h).
    WorkBudget budget(WorkBudget::kDefaultLimit, request.deadline);
    const WorkBudgetScope scope(&budget);
    const Impl::Running running(*impl_, QueryParser::looks_costly(request.query), request.deadline);
    budget.check_deadline();  // a turn that came after the deadline is not worth starting
    return impl_->with_worker(
        [&](Impl::Worker& worker, const FacetColumns& cols) { return impl_->run_search(request, worker, cols); },
        request.deadline);
}

nlohmann::json Engine::letter(const std::string& id, const std::string& highlight_query) const {
    return impl_->with_worker([&](Impl::Worker& worker, const FacetColumns& cols) {
        const Impl::Target target = Impl::resolve(worker, cols, id);
        const ParsedQuery parsed = worker.parser.parse(highlight_query);
        const Highlighter highlighter(worker.analyzer, parsed.highlight);

        const Xapian::docid letter_doc = cols.letter_doc_of(target.did);
        const Xapian::Document first = worker.db.get_document(letter_doc ? letter_doc : target.did);
        const nlohmann::json first_data = parse_data(first, cols.codec);
        const Letter letter = stored_letter(first, cols.codec);

        nlohmann::json out;
        out["id"] = target.ordinal ? id : target.letter_id;  // a case number names its letter
        out["letter_id"] = target.letter_id;
        out["determination"] = target.ordinal ? nlohmann::json(std::string(target.letter_id + "/" + std::to_string(*target.ordinal)))
                                              : nlohmann::json(nullptr);
        for (const char* key : {"file", "layout"}) out[key] = first_data.value(key, nlohmann::json(""));
        copy_fields(first_data, schema::Level::Letter, out);
        out["encoding"] = letter.encoding;
        out["flags"] = letter.flags;

        nlohmann::json sections = nlohmann::json::array();
        for (const auto& section : letter.sections)
            sections.push_back({{"name", section.name},
                                {"heading", section.heading},
                                {"text", section.text},
                                {"html", highlighter.mark_all(section.text)}});
        out["sections"] = std::move(sections);

        nlohmann::json determinations = nlohmann::json::array();
        const int count = int_of(first_data, "determinations", 1);
        for (int ordinal = 0; ordinal < count; ++ordinal) {
            const Xapian::docid did = cols.find_document(target.letter_id, ordinal);
            if (did == 0) continue;
            const nlohmann::json data = parse_data(worker.db.get_document(did), cols.codec);
            nlohmann::json d;
            d["id"] = data.value("id", nlohmann::json(""));
            copy_fields(data, schema::Level::Determination, d);
            d["ordinal"] = ordinal;
            d["citations"] = data.value("citations", nlohmann::json::array());
            const Determination* parsed_det =
                static_cast<std::size_t>(ordinal) < letter.determinations.size() ? &letter.determinations[static_cast<std::size_t>(ordinal)] : nullptr;
            // The claims administrator's citations are shown only here: they are kept in the stored letter.
            d["claims_citations"] = parsed_det ? nlohmann::json(parsed_det->claims_citations) : nlohmann::json::array();
            d["unknown_reason"] = parsed_det ? parsed_det->unknown_reason : std::string();
            d["guideline_text"] = parsed_det ? parsed_det->guidelines : std::string();
            d["rationale"] = parsed_det ? parsed_det->rationale : std::string();
            d["rationale_html"] = highlighter.mark_all(parsed_det ? parsed_det->rationale : std::string());
            determinations.push_back(std::move(d));
        }
        out["determinations"] = std::move(determinations);
        return out;
    });
}

SearchResult Engine::similar(const std::string& id, std::size_t limit) const {
    if (limit > kMaxLimit)
        throw BadRequest("limit " + std::to_string(limit) + " is too large (at most " + std::to_string(kMaxLimit) + ")");
    return impl_->with_worker([&](Impl::Worker& worker, const FacetColumns& cols) {
        const auto started = Clock::now();
        const Impl::Target target = Impl::resolve(worker, cols, id);
        const Xapian::docid letter_doc = cols.letter_doc_of(target.did);
        const Letter target_letter = letter_doc ? stored_letter(worker.db.get_document(letter_doc), cols.codec) : Letter{};
        // The words of the determination's own item and rationale: its letter's shared text names
        // the letter's other items too, and drew their letters' other items in.
        Highlight highlight;
        highlight.terms = feedback_terms(worker.db, worker.analyzer, own_texts(target_letter, target.ordinal), kSimilarWords);
        SearchResult result;
        result.query = id;
        result.limit = limit;
        std::unordered_map<std::uint32_t, Letter> letters;
        result.like = impl_->make_hit(worker, cols, target.did, 0.0, highlight, letters, false);
        if (!target.ordinal) result.like->id = target.letter_id;
        if (!highlight.terms.empty()) {
            // Other letters only: not the determination's own, nor another letter of its case.
            std::vector<char> excluded(cols.letter_ids.size(), 0);
            excluded[cols.letter_of[target.did]] = 1;
            if (const std::string case_number = result.like->text("case_number"); !case_number.empty())
                for (std::uint32_t letter : Impl::letters_of_case(worker, cols, case_number)) excluded[letter] = 1;
            const std::vector<Xapian::Query> any(highlight.terms.begin(), highlight.terms.end());
            const Xapian::Query query(Xapian::Query::OP_OR, any.begin(), any.end());
            const std::optional<Impl::Lease> helper = impl_->helper_lease(cols);
            DocidList matched = match_all_of(worker.db, cols, MatchNode::any_of(highlight.terms), helper ? &(*helper)->db : nullptr,
                                             &impl_->positional_cache, kSampleOrderFrom, &impl_->wdf_cache)
                                    .docids();
            std::erase_if(matched, [&](Xapian::docid d) { return !cols.live(d) || excluded[cols.letter_of[d]]; });
            std::unordered_set<std::uint32_t> letters_matched;
            for (Xapian::docid d : matched) letters_matched.insert(cols.letter_of[d]);
            result.total = matched.size();
            result.total_letters = letters_matched.size();
            // Ranked as a search ranks (BM25 of each determination's own text and its letter's),
            // one determination a letter: the one most like the target, not its letter's first.
            if (limit > 0 && !matched.empty())
                for (const RankedDoc& r : rank_by_relevance(worker.db, cols, query, matched, true, 0, limit,
                                                            helper ? &(*helper)->db : nullptr, &impl_->wdf_cache))
                    result.hits.push_back(impl_->make_hit(worker, cols, r.did, r.score, highlight, letters));
        }
        result.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        return result;
    });
}

const std::vector<std::string>& stats_dimensions() {
    static const std::vector<std::string> dims = [] {
        std::vector<std::string> names;
        for (auto name : schema::names_with(schema::kStats)) names.emplace_back(name);
        return names;
    }();
    return dims;
}

StatsResult Engine::stats(const SearchRequest& request, const std::string& by) const {
    const schema::Field* field = schema::find_field(by, schema::kStats);
    if (!field) throw BadRequest("unknown stats dimension \"" + by + "\" (by: " + scan::join(stats_dimensions(), ", ") + ")");
    const std::string dimension(field->name);
    WorkBudget budget(WorkBudget::kDefaultLimit, request.deadline);
    const WorkBudgetScope scope(&budget);
    const Impl::Running running(*impl_, QueryParser::looks_costly(request.query), request.deadline);
    return impl_->with_worker([&](Impl::Worker& worker, const FacetColumns& cols) {
        const ParsedQuery parsed = worker.parser.parse(request.query, request.scope);
        const auto selections = Impl::resolve_filters(request, worker, cols);
        const DocidList matched =
            impl_->matching_docids(worker, cols, parsed, impl_->helper_for(cols), request.scope);
        const Matches m = filter_and_count(cols, matched, selections, false);

        const FacetColumn& column = *cols.facet(dimension);
        const FacetColumn& decisions = *cols.facet("decision");
        std::vector<std::uint32_t> decision_kind(decisions.terms.size(), 2);  // 0 upheld, 1 overturned, 2 unknown
        for (std::uint32_t id = 0; id < decisions.terms.size(); ++id) {
            if (decisions.terms[id] == std::string(schema::kDecision) + "upheld") decision_kind[id] = 0;
            if (decisions.terms[id] == std::string(schema::kDecision) + "overturned") decision_kind[id] = 1;
        }
        std::vector<std::array<std::uint64_t, 3>> tally(column.terms.size(), {0, 0, 0});
        for (Xapian::docid d : m.docs) {
            const std::uint32_t dec = decisions.single(d);
            const std::uint32_t kind = dec == FacetColumn::kNone ? 2 : decision_kind[dec];
            for (std::uint32_t k = column.offsets[d]; k < column.offsets[d + 1]; ++k) ++tally[column.ids[k]][kind];
        }
        StatsResult result;
        result.by = dimension;
        result.total = m.docs.size();
        for (std::uint32_t id = 0; id < tally.size(); ++id) {
            const auto& t = tally[id];
            if (t[0] + t[1] + t[2] == 0) continue;
            StatsRow row{column.display[id], t[0], t[1], t[2], 0.0};
            if (t[0] + t[1] > 0) row.overturn_rate = static_cast<double>(t[1]) / static_cast<double>(t[0] + t[1]);
            result.rows.push_back(std::move(row));
        }
        std::sort(result.rows.begin(), result.rows.end(), [](const StatsRow& a, const StatsRow& b) {
            const auto da = a.upheld + a.overturned, db = b.upheld + b.overturned;
            if (da != db) return da > db;
            if (a.unknown != b.unknown) return a.unknown > b.unknown;
            return a.value < b.value;
        });
        return result;
    });
}

std::vector<std::string> Engine::suggest(const std::string& field, const std::string& prefix, std::size_t limit) const {
    const schema::Field* suggested = schema::find_field(field, schema::kSuggest);
    if (!suggested)
        throw BadRequest("unknown suggest field \"" + field + "\" (" + scan::join(schema::names_with(schema::kSuggest), ", ") + ")");
    if (limit > kSuggestMax)
        throw BadRequest("limit " + std::to_string(limit) + " is too large (at most " + std::to_string(kSuggestMax) + ")");
    return impl_->with_worker([&](Impl::Worker& worker, const FacetColumns& cols) {
        const std::string wanted = worker.analyzer.fold(prefix);
        // A completion starts with what was typed, or has a word that does.
        auto completes = [&](const std::string& value) {
            const std::string folded = worker.analyzer.fold(value);
            for (std::size_t at = folded.find(wanted); at != std::string::npos; at = folded.find(wanted, at + 1)) {
                if (at == 0) return 2;
                const char before = folded[at - 1];
                if (!((before >= 'a' && before <= 'z') || (before >= '0' && before <= '9'))) return 1;
            }
            return 0;
        };
        const FacetColumn& column = *cols.facet(suggested->name);
        struct Candidate {
            std::string value;
            int rank;
            std::uint64_t count;
        };
        std::vector<Candidate> candidates;
        std::unordered_set<std::string> seen;
        auto offer = [&](const std::string& value, std::uint64_t count) {
            if (count == 0 || value.empty()) return;
            const int rank = completes(value);
            if (rank == 0 || !seen.insert(worker.analyzer.fold(value)).second) return;
            candidates.push_back({value, rank, count});
        };
        for (std::uint32_t id = 0; id < column.terms.size(); ++id) offer(column.display[id], column.doc_count[id]);
        if (suggested->prefix == schema::kDrug) {
            // Brand names complete too ("Soma"), with the count of the drug they name.
            for (const auto& entry : worker.parser.lexicon().drugs()) {
                auto it = column.id_of_term.find(schema::field_term(schema::kDrug, entry.generic));
                if (it == column.id_of_term.end()) continue;
                for (const auto& brand : entry.brands) offer(brand, column.doc_count[it->second]);
            }
        }
        std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
            if (a.rank != b.rank) return a.rank > b.rank;
            if (a.count != b.count) return a.count > b.count;
            return a.value < b.value;
        });
        std::vector<std::string> out;
        for (const auto& c : candidates) {
            if (out.size() >= limit) break;
            out.push_back(c.value);
        }
        return out;
    });
}

Health Engine::health() const {
    return impl_->with_worker([&](Impl::Worker& worker, const FacetColumns& cols) {
        Health h;
        h.documents = cols.documents;
        h.letters = cols.letter_ids.size();
        h.revision = worker.db.get_revision();
        if (cols.streams) {
            h.stream_store_bytes = cols.streams->bytes();
            h.stream_store_break_bytes = cols.streams->break_bytes();
        }
        return h;
    });
}

bool Engine::refresh() {
    // Reading the new revision's columns can meet the next commit or two: start again from the
    // newest revision, as searches do, rather than give up at the first.
    for (int attempt = 0;; ++attempt) {
        try {
            Xapian::Database probe = impl_->open_database();
            const auto current = impl_->current_columns();
            if (current && probe.get_revision() == current->revision) return false;
            impl_->columns_for(probe);
            return true;
        } catch (const Xapian::DatabaseModifiedError& e) {
            if (attempt + 1 >= Impl::kMaxAttempts)
                throw DatabaseUnavailable("cannot reopen database " + impl_->path.string() + ": " + e.get_msg());
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(attempt, 6), 50)));
        } catch (const Xapian::Error& e) {
            throw DatabaseUnavailable("cannot reopen database " + impl_->path.string() + ": " + e.get_msg());
        }
    }
}

// ---- JSON ----

namespace {
nlohmann::json optional_json(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
}  // namespace

nlohmann::json to_json(const SearchResult& result) {
    auto hit_json = [](const Hit& h) {
        nlohmann::json hit = h.fields;
        hit["id"] = h.id;
        hit["letter_id"] = h.letter_id;
        hit["file"] = h.file;
        hit["score"] = h.score;
        hit["snippet"] = h.snippet;
        return hit;
    };
    nlohmann::json hits = nlohmann::json::array();
    for (const Hit& h : result.hits) hits.push_back(hit_json(h));
    nlohmann::json facets = nlohmann::json::object();
    for (const auto& [name, counts] : result.facets) {
        nlohmann::json values = nlohmann::json::array();
        for (const auto& c : counts) {
            nlohmann::json value = {{"value", c.value}, {"count", c.count}};
            if (c.selected) value["selected"] = true;
            values.push_back(std::move(value));
        }
        facets[name] = std::move(values);
    }
    nlohmann::json out = {{"query", result.query},
            {"total", result.total},
            {"total_letters", result.total_letters},
            {"offset", result.offset},
            {"limit", result.limit},
            {"took_ms", std::round(result.took_ms * 1000.0) / 1000.0},
            {"suggestion", optional_json(result.suggestion)},
            {"interpreted_as", result.interpreted_as},
            {"scope", result.scope == Scope::Letter ? "letter" : "determination"},
            {"notices", result.notices},
            {"hits", std::move(hits)},
            {"facets", std::move(facets)}};
    if (result.like) out["like"] = hit_json(*result.like);
    return out;
}

std::string Hit::text(const std::string& key) const {
    auto it = fields.find(key);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json schema_json() {
    static const char* const kTypes[] = {"text", "list", "date", "number"};
    static const std::pair<schema::Use, const char*> kUses[] = {
        {schema::kFilter, "filter"}, {schema::kFacet, "facet"},   {schema::kStats, "stats"},
        {schema::kSuggest, "suggest"}, {schema::kColumn, "column"}, {schema::kQuery, "query"},
    };
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& field : schema::kFields) {
        nlohmann::json uses = nlohmann::json::array();
        for (const auto& [bit, name] : kUses)
            if (field.uses & bit) uses.push_back(name);
        nlohmann::json f = {{"name", field.name},
                            {"json", field.json},
                            {"aliases", field.alias.empty() ? nlohmann::json::array() : nlohmann::json::array({field.alias})},
                            {"data", field.data.empty() ? nlohmann::json(nullptr) : nlohmann::json(field.data)},
                            {"label", field.label},
                            {"type", kTypes[static_cast<int>(field.type)]},
                            {"level", field.level == schema::Level::Letter ? "letter" : "determination"},
                            {"multi_valued", field.multi_valued},
                            {"uses", std::move(uses)},
                            {"column", field.column},
                            {"choices", std::vector<std::string>(field.choices.begin(), field.choices.end())}};
        fields.push_back(std::move(f));
    }
    return {{"version", std::string(schema::kVersion)}, {"fields", std::move(fields)}};
}

nlohmann::json to_json(const StatsResult& result) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : result.rows)
        rows.push_back({{"value", r.value},
                        {"upheld", r.upheld},
                        {"overturned", r.overturned},
                        {"unknown", r.unknown},
                        {"overturn_rate", r.overturn_rate}});
    return {{"by", result.by}, {"total", result.total}, {"rows", std::move(rows)}};
}

nlohmann::json to_json(const Health& health) {
    return {{"documents", health.documents}, {"letters", health.letters}, {"revision", health.revision}};
}

}  // namespace imr
