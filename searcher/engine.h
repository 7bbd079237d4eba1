// The search engine: queries, ranking, exact multi-select facets, snippets, letters, stats. No HTTP here.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace imr {

class Lexicon;

// ---- Typed errors: the HTTP layer maps each to a status code in one place; the CLI to exit 2. ----
struct EngineError : std::runtime_error { using std::runtime_error::runtime_error; };
// The user's mistake: a query syntax error, an unknown facet, a bad number. what() is for the user.
struct BadRequest : EngineError { using EngineError::EngineError; };
struct QuerySyntaxError : BadRequest { using BadRequest::BadRequest; };
// An id that names no document.
struct NotFound : EngineError { using EngineError::EngineError; };
// The database cannot be opened or read.
struct DatabaseUnavailable : EngineError { using EngineError::EngineError; };
// One letter of a case number that several letters hold: what `show` lists for the user to pick.
struct LetterChoice {
    std::string letter_id, file, case_number, decision_date;
    std::vector<std::string> items;  // "item (Decision)", in letter order
};
// A case number given where one letter is needed (show, similar, a letter's URL) that several
// letters hold: `letters` lists them, newest decision first.
struct AmbiguousId : EngineError {
    AmbiguousId(const std::string& what, std::vector<LetterChoice> choices) : EngineError(what), letters(std::move(choices)) {}
    std::vector<LetterChoice> letters;
};
// A search stopped before its end: its work bound (QueryTooCostly, the user's query must change)
// or its deadline (SearchDeadline, the server is busy: try again). what() says which and why.
struct SearchStopped : EngineError { using EngineError::EngineError; };
struct QueryTooCostly : SearchStopped { using SearchStopped::SearchStopped; };
struct SearchDeadline : SearchStopped { using SearchStopped::SearchStopped; };

enum class SortOrder { Relevance, DecisionDate, InjuryDate };

// What text a query must hold over (README, "Scope"). Determination: the letter's shared text
// (header, summary, documents, reviewer, decision lines) plus that determination's own item,
// guidelines and rationale, so "soma AND denied" means one item's reading says both. Letter: the
// whole letter, every item's text included; the filters still pick determinations.
enum class Scope { Determination, Letter };

struct SearchRequest {
    std::string query;  // the query language of the README; empty browses everything
    // filter name or alias (schema::kFields with kFilter: "drug", "class" or "drug_class", ...)
    // -> selected values; values of one facet are ORed, facets are ANDed.
    std::map<std::string, std::vector<std::string>> filters;
    SortOrder sort = SortOrder::Relevance;
    bool ascending = false;        // dates sort newest first unless asked
    bool group_by_letter = false;  // collapse to one hit per letter
    Scope scope = Scope::Determination;
    std::size_t offset = 0;
    std::size_t limit = 10;
    bool with_facets = true;
    bool with_snippets = true;     // exports (CSV) skip the snippets to go faster
    std::size_t facet_limit = 50;  // values per facet in the answer (counts stay exact)
    // When the search must have answered, waiting for its turn included; none = no deadline.
    std::optional<std::chrono::steady_clock::time_point> deadline;
};

// One value of a facet: the count is the number of results that selecting it alone in its facet
// gives (with the other facets' selections); a selected value is always listed, marked.
struct FacetCount {
    std::string value;
    std::uint64_t count = 0;
    bool selected = false;
};

struct Hit {
    std::string id;         // determination id: "<letter_id>/<ordinal>"
    std::string letter_id;
    std::string file;
    // The hit columns of the registry (schema::kFields with kColumn), by their data key, as the
    // schema's type says: "decision": "Upheld", "guidelines": [...], "age": 53 or null, "decision_date": ISO or null.
    nlohmann::json fields = nlohmann::json::object();
    double score = 0;
    std::string snippet;    // HTML-escaped, query terms in <mark>
    // A text column's value; "" when it is absent or not text.
    std::string text(const std::string& key) const;
};

struct SearchResult {
    std::string query;
    std::uint64_t total = 0;          // matching determinations, exact
    std::uint64_t total_letters = 0;  // distinct letters among them, exact
    std::size_t offset = 0, limit = 0;
    double took_ms = 0;
    // Where took_ms went, for benchmarks: matching, filtering with facet counts, ordering the page,
    // and reading the hits with their snippets.
    struct Phases {
        double match_ms = 0, facets_ms = 0, order_ms = 0, hits_ms = 0;
    } phases;
    std::optional<std::string> suggestion;
    // The query as it was read, in canonical form, and the notes on each part of it that could
    // have been meant otherwise (a lowercase "or" read as OR, ...); shown whenever there are notes.
    std::string interpreted_as;
    std::vector<std::string> notices;
    Scope scope = Scope::Determination;
    std::vector<Hit> hits;
    std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;  // JSON names, fixed order
    // similar: the determination the hits are like (its id a letter id when a letter was given),
    // so that a heading can name its case and item.
    std::optional<Hit> like;
};

struct StatsRow {
    std::string value;
    std::uint64_t upheld = 0, overturned = 0, unknown = 0;
    double overturn_rate = 0;  // overturned / (upheld + overturned), 0 when both are 0
};
struct StatsResult {
    std::string by;
    std::uint64_t total = 0;
    std::vector<StatsRow> rows;  // by total decided, descending
};

struct Health {
    std::uint64_t documents = 0;
    std::uint64_t letters = 0;
    std::uint64_t revision = 0;
    // Memory of the token streams kept in memory (EngineTuning::streams_in_memory, else 0), and of
    // that, the sentence and paragraph breaks kept with them. Not part of the JSON.
    std::uint64_t stream_store_bytes = 0;
    std::uint64_t stream_store_break_bytes = 0;
};

// Knobs for tests and benchmarks; the defaults are what was measured fastest on two cores.
struct EngineTuning {
    // From this many documents (matching) or matches (ranking) on, a search uses a second
    // database handle and thread for the other half of the docids.
    std::size_t split_above = 20000;
    // Keep every document's token stream in memory (stream_store.h): phrases and NEAR check their
    // candidates several times faster, for about a third of the database's size in memory and a
    // longer open. For a long-running searcher; a one-shot command reads from the database.
    bool streams_in_memory = false;
    // Read the wdf columns of the most common words with each revision's columns (wdf_cache.h:
    // 256 MB of them), and run one search of the most common before the first: the first searches
    // of broad words then find their columns made and their arrays' memory faulted in. For a
    // long-running searcher; a longer open (1M letters: about a second).
    bool warm_up = false;
    // Keep slow positional checks for the next search of the same query. Off only to measure:
    // every run of a benchmark then pays what a first run pays.
    bool cache_positional = true;
};

class Engine {
public:
    // Opens the database read-only; throws DatabaseUnavailable.
    Engine(const std::filesystem::path& db, const Lexicon& lexicon, EngineTuning tuning = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    SearchResult search(const SearchRequest& request) const;
    // The whole letter: facts, sections, determinations (JSON, as the letter view and `show` need).
    // `id` is a letter or determination id, or a case number; one that several letters hold
    // throws AmbiguousId. `highlight` is an optional query whose terms are marked in the sections.
    nlohmann::json letter(const std::string& id, const std::string& highlight = "") const;
    // More like this: the 30 words of the determination's own item and rationale (every
    // determination's, for a letter id or case number) with the highest tf-idf, ORed, ranked as a
    // search ranks, the best determination of each other letter; letters of the same case number
    // are left out. `total` and `total_letters` count exactly the determinations that hold any of
    // the words in those letters; `like` is the target.
    SearchResult similar(const std::string& id, std::size_t limit) const;
    StatsResult stats(const SearchRequest& request, const std::string& by) const;
    // Completions of a drug, specialty or guideline name for the filter boxes.
    std::vector<std::string> suggest(const std::string& field, const std::string& prefix, std::size_t limit) const;
    Health health() const;
    // Picks up the indexer's latest commit; cheap when nothing changed. Thread-safe.
    bool refresh();

    struct Impl;
private:
    std::unique_ptr<Impl> impl_;
};

// The dimensions Engine::stats accepts for `by` (schema::kFields with kStats), in the order messages list them.
const std::vector<std::string>& stats_dimensions();

// What GET /api/schema answers: every field of the registry (schema::kFields) with its names,
// label, type and uses, so that the page builds its facet panels, filters and chart from it.
nlohmann::json schema_json();

nlohmann::json to_json(const SearchResult& result);
nlohmann::json to_json(const StatsResult& result);
nlohmann::json to_json(const Health& health);

}  // namespace imr
