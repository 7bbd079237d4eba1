// The imr-search command line: options, the table/json/csv outputs, `show`, `similar`, `stats` and `serve`.
#include "cli.h"

#include "csv_export.h"
#include "query_parser.h"
#include "schema.h"
#include "text_scan.h"

#include "lexicon.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string_view>

namespace imr {
namespace {

constexpr std::size_t kCsvPage = 1000;

// ---- Text helpers ---------------------------------------------------------------------------

std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

// At most `width` characters, with "…" when cut; never splits a UTF-8 sequence.
std::string fit(std::string_view s, std::size_t width) {
    if (display_width(s) <= width) return std::string(s);
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        if (lead && ++chars > width - 1) break;
        out += s[i];
    }
    return out + "…";
}

std::string pad(std::string_view s, std::size_t width) {
    std::string out(s);
    const std::size_t w = display_width(s);
    if (w < width) out.append(width - w, ' ');
    return out;
}

// A snippet's HTML as terminal text: entities decoded, marks bold on a terminal, dropped otherwise.
std::string snippet_text(std::string_view html, bool ansi) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html.compare(i, 6, "<mark>") == 0) {
            if (ansi) out += "\033[1m";
            i += 6;
        } else if (html.compare(i, 7, "</mark>") == 0) {
            if (ansi) out += "\033[0m";
            i += 7;
        } else if (html[i] == '&') {
            static const std::pair<std::string_view, char> entities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
            bool decoded = false;
            for (const auto& [entity, c] : entities) {
                if (html.compare(i, entity.size(), entity) == 0) {
                    out += c;
                    i += entity.size();
                    decoded = true;
                    break;
                }
            }
            if (!decoded) out += html[i++];
        } else {
            out += html[i++];
        }
    }
    return out;
}

// ---- Output ---------------------------------------------------------------------------------

struct Output {
    std::ostream& out;
    bool ansi;
};

void print_hits_table(const Output& o, const std::vector<Hit>& hits, std::size_t first_number) {
    // The id last: it is what `show` and `similar` take, and the longest cell.
    constexpr int kColumns = 8;
    using Row = std::array<std::string, kColumns>;  // #, outcome, basis, item, drug, case, decided, id
    std::vector<Row> rows;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const Hit& h = hits[i];
        const std::string drug = h.text("drug"), case_number = h.text("case_number"), decided = h.text("decision_date");
        // A partly authorized request shows its remaining portion, marked.
        const std::string item = h.text("original_request").empty() ? h.text("item") : "(part) " + h.text("item");
        rows.push_back({std::to_string(first_number + i) + ".", h.text("decision"), h.text("basis"), fit(item, 40),
                        fit(drug.empty() ? h.text("category") : drug, 28), case_number.empty() ? "-" : case_number,
                        decided.empty() ? "-" : decided, h.id});
    }
    const Row header{"#", "OUTCOME", "BASIS", "ITEM", "DRUG", "CASE", "DECIDED", "ID"};
    std::array<std::size_t, kColumns> w{};
    auto widen = [&](const Row& r) {
        for (int k = 0; k < kColumns; ++k) w[k] = std::max(w[k], display_width(r[k]));
    };
    widen(header);
    for (const auto& r : rows) widen(r);
    auto line = [&](const Row& r) {
        for (int k = 0; k < kColumns - 1; ++k) o.out << pad(r[k], w[k]) << "  ";
        o.out << r[kColumns - 1] << "\n";
    };
    line(header);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        line(rows[i]);
        if (!hits[i].snippet.empty()) o.out << std::string(w[0] + 2, ' ') << snippet_text(hits[i].snippet, o.ansi) << "\n";
    }
}

void print_search_table(const Output& o, const SearchResult& r, bool grouped) {
    o.out << r.total << (r.total == 1 ? " determination" : " determinations") << " in " << r.total_letters
          << (r.total_letters == 1 ? " letter" : " letters");
    if (!r.hits.empty()) o.out << ", showing " << r.offset + 1 << "-" << r.offset + r.hits.size() << (grouped ? " (one per letter)" : "");
    o.out << " (" << std::fixed << std::setprecision(1) << r.took_ms << " ms)\n";
    o.out.unsetf(std::ios::floatfield);
    if (!r.notices.empty()) {
        o.out << "Interpreted as: " << r.interpreted_as << "\n";
        for (const auto& notice : r.notices) o.out << "  note: " << notice << "\n";
    }
    if (r.suggestion) o.out << "Did you mean: " << *r.suggestion << "\n";
    if (!r.hits.empty()) {
        o.out << "\n";
        print_hits_table(o, r.hits, r.offset + 1);
    }
    bool any_facet = false;
    for (const auto& [name, counts] : r.facets) {
        if (counts.empty()) continue;
        if (!any_facet) o.out << "\nFacets:\n";
        any_facet = true;
        o.out << "  " << name << ":";
        std::size_t shown = 0;
        for (const auto& c : counts) {
            if (shown++ == 8) {
                o.out << "  (+" << counts.size() - 8 << " more)";
                break;
            }
            o.out << (shown > 1 ? "," : "") << " " << c.value << " (" << c.count << ")";
        }
        o.out << "\n";
    }
}

// "MTUS Chronic Pain Medical Treatment (2016), section Muscle relaxants (for pain), pages 63-66".
std::string citation_line(const nlohmann::json& c) {
    auto part = [&](const char* key) { return c.value(key, std::string()); };
    std::string line = part("source");
    if (!part("document").empty() && part("document") != part("source")) line += " " + part("document");
    if (!part("edition").empty()) line += " (" + part("edition") + ")";
    if (!part("chapter").empty()) line += ", chapter " + part("chapter");
    if (!part("section").empty()) line += ", section " + part("section");
    if (!part("pages").empty()) line += ", pages " + part("pages");
    return line;
}

void print_letter_text(const Output& o, const nlohmann::json& letter) {
    auto text = [](const nlohmann::json& j, const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto bold = [&](const std::string& s) { return o.ansi ? "\033[1m" + s + "\033[0m" : s; };
    o.out << bold("Letter " + text(letter, "letter_id")) << "  " << text(letter, "file") << "\n";
    const std::pair<const char*, const char*> facts[] = {
        {"Case number", "case_number"}, {"Decided", "decision_date"}, {"Injured", "injury_date"},
        {"UR denial", "ur_denial_date"}, {"Assigned", "assigned_date"}, {"Application received", "application_received"},
        {"Priority", "priority"},       {"Sex", "sex"}};
    for (const auto& [label, key] : facts)
        if (auto v = text(letter, key); !v.empty()) o.out << label << ": " << v << "\n";
    if (letter.contains("age") && letter["age"].is_number()) o.out << "Age: " << letter["age"].get<int>() << "\n";
    std::vector<std::string> specialties, states;
    for (const auto& s : letter.value("specialties", nlohmann::json::array())) specialties.push_back(s.get<std::string>());
    for (const auto& s : letter.value("states", nlohmann::json::array())) states.push_back(s.get<std::string>());
    if (!specialties.empty()) o.out << "Reviewer: " << scan::join(specialties, ", ") << "\n";
    if (!states.empty()) o.out << "Licensed in: " << scan::join(states, ", ") << "\n";
    for (const auto& flag : letter.value("flags", nlohmann::json::array()))
        if (flag.is_string()) o.out << "Flag: " << flag.get<std::string>() << "\n";

    for (const auto& s : letter.value("sections", nlohmann::json::array())) {
        std::string heading = text(s, "heading");
        if (heading.empty()) heading = text(s, "name");
        o.out << "\n" << bold("== " + heading + " ==") << "\n" << snippet_text(text(s, "html"), o.ansi) << "\n";
    }
    o.out << "\n" << bold("== DETERMINATIONS ==") << "\n";
    for (const auto& d : letter.value("determinations", nlohmann::json::array())) {
        const int ordinal = d.value("ordinal", 0);
        o.out << ordinal + 1 << ". " << text(d, "item") << ": " << bold(text(d, "decision")) << "  [" << text(d, "id") << "]\n";
        std::string drug = text(d, "drug");
        if (!drug.empty()) o.out << "   Drug: " << drug << (text(d, "drug_class").empty() ? "" : " (" + text(d, "drug_class") + ")") << "\n";
        if (!text(d, "category").empty()) o.out << "   Category: " << text(d, "category") << "\n";
        if (!text(d, "original_request").empty())
            o.out << "   Partly authorized: " << text(d, "original_request") << " was requested; "
                  << text(d, "authorized") << " was authorized\n";
        if (!text(d, "basis").empty()) o.out << "   Reviewer's basis: " << text(d, "basis") << "\n";
        for (const auto& c : d.value("citations", nlohmann::json::array())) o.out << "   Guideline: " << citation_line(c) << "\n";
        if (!text(d, "claims_basis").empty()) o.out << "   Claims administrator's basis: " << text(d, "claims_basis") << "\n";
        for (const auto& c : d.value("claims_citations", nlohmann::json::array()))
            o.out << "   Claims administrator's guideline: " << citation_line(c) << "\n";
        if (!text(d, "rationale_html").empty()) o.out << "   " << snippet_text(text(d, "rationale_html"), o.ansi) << "\n";
    }
}

void print_stats(const Output& o, const StatsResult& r, const std::string& format) {
    if (format == "json") {
        o.out << to_json(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return;
    }
    auto rate = [](double v) {
        std::ostringstream s;
        s << std::fixed << std::setprecision(1) << v * 100.0 << "%";
        return s.str();
    };
    if (format == "csv") {
        o.out << csv_record({r.by, "upheld", "overturned", "unknown", "overturn_rate"});
        for (const auto& row : r.rows) {
            std::ostringstream v;
            v << std::setprecision(4) << row.overturn_rate;
            o.out << csv_record({row.value, std::to_string(row.upheld), std::to_string(row.overturned), std::to_string(row.unknown), v.str()});
        }
        return;
    }
    std::string header = r.by;
    std::transform(header.begin(), header.end(), header.begin(), [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    std::size_t w = display_width(header);
    for (const auto& row : r.rows) w = std::max(w, display_width(fit(row.value, 50)));
    o.out << r.total << (r.total == 1 ? " determination" : " determinations") << "\n\n";
    o.out << pad(header, w) << "  " << std::setw(8) << "UPHELD" << "  " << std::setw(10) << "OVERTURNED" << "  " << std::setw(7)
          << "UNKNOWN" << "  " << std::setw(13) << "OVERTURN RATE" << "\n";
    for (const auto& row : r.rows)
        o.out << pad(fit(row.value, 50), w) << "  " << std::setw(8) << row.upheld << "  " << std::setw(10) << row.overturned << "  "
              << std::setw(7) << row.unknown << "  " << std::setw(13) << rate(row.overturn_rate) << "\n";
}

// "CM16-0232543, item 2: Soma 350mg #90 (Upheld)"; a letter's case number alone.
std::string like_heading(const Hit& like) {
    std::string heading = like.text("case_number").empty() ? like.letter_id : like.text("case_number");
    if (const auto slash = like.id.find('/'); slash != std::string::npos) {
        heading += ", item " + std::to_string(std::stoi(like.id.substr(slash + 1)) + 1);
        if (!like.text("item").empty()) heading += ": " + like.text("item");
        if (!like.text("decision").empty()) heading += " (" + like.text("decision") + ")";
    }
    return heading;
}

// The letters of a case number, for `show` to pick from.
void print_letter_choices(const Output& o, const std::vector<LetterChoice>& letters) {
    std::size_t id_width = 2, date_width = 7;
    for (const auto& c : letters) {
        id_width = std::max(id_width, display_width(c.letter_id));
        date_width = std::max(date_width, display_width(c.decision_date.empty() ? "-" : c.decision_date));
    }
    o.out << pad("ID", id_width) << "  " << pad("DECIDED", date_width) << "  FILE\n";
    for (const auto& c : letters) {
        o.out << pad(c.letter_id, id_width) << "  " << pad(c.decision_date.empty() ? "-" : c.decision_date, date_width) << "  "
              << c.file << "\n";
        for (const auto& item : c.items) o.out << std::string(id_width + 2, ' ') << "- " << item << "\n";
    }
}

// ---- Options --------------------------------------------------------------------------------

struct Options {
    std::string db;
    std::string lexicon_dir;
    std::vector<std::string> query_words;
    std::string query;
    std::map<std::string, std::vector<std::string>> filters;
    std::string sort = "relevance";
    bool ascending = false;
    std::string group;
    std::string scope = "determination";
    std::size_t limit = 10;
    std::size_t offset = 0;
    std::string format = "table";
};

struct Usage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The query of -q/--query or of the remaining arguments, never both: which one was meant would be a guess.
SearchRequest request_from(const Options& o, const std::vector<std::string>& words, bool query_option_given) {
    SearchRequest r;
    if (query_option_given && !words.empty())
        throw Usage("the query is given twice, with -q/--query and as the remaining arguments (\"" + scan::join(words, " ") +
                    "\"); give it once");
    std::string query = o.query;
    for (const auto& w : words) query += (query.empty() ? "" : " ") + w;
    r.query = query;
    for (const auto& [name, values] : o.filters)
        if (!values.empty()) r.filters[name] = values;
    if (o.sort == "relevance") r.sort = SortOrder::Relevance;
    else if (o.sort == "decided") r.sort = SortOrder::DecisionDate;
    else if (o.sort == "injured") r.sort = SortOrder::InjuryDate;
    r.ascending = o.ascending;
    r.group_by_letter = o.group == "letter";
    r.scope = o.scope == "letter" ? Scope::Letter : Scope::Determination;
    r.limit = o.limit;
    r.offset = o.offset;
    return r;
}

void print_search(const Output& out, Engine& engine, SearchRequest request, const std::string& format, bool limit_given) {
    if (format == "csv") {
        // Every matching row, page by page, without facets or snippets.
        request.with_facets = false;
        request.with_snippets = false;
        out.out << csv_hit_header();
        std::size_t remaining = limit_given ? request.limit : SIZE_MAX;
        while (remaining > 0) {
            request.limit = std::min(kCsvPage, remaining);
            const SearchResult page = engine.search(request);
            // The CSV holds rows only; how the query was read goes where the user sees it.
            if (request.offset == 0 && !page.notices.empty()) {
                std::cerr << "imr-search: interpreted as: " << page.interpreted_as << "\n";
                for (const auto& notice : page.notices) std::cerr << "imr-search: note: " << notice << "\n";
            }
            for (const Hit& h : page.hits) out.out << csv_hit_row(h);
            remaining -= std::min(remaining, page.hits.size());
            if (page.hits.size() < request.limit) break;
            request.offset += page.hits.size();
        }
        return;
    }
    const SearchResult result = engine.search(request);
    if (format == "json") out.out << to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else print_search_table(out, result, request.group_by_letter);
}

// Freeing an engine's columns is a long walk over millions of small blocks (1M letters: 0.6 s of
// a 2.4 s command), and a process about to exit gains nothing by it. The engine is parked here,
// still reachable, so leak checkers say nothing.
Engine* engine_left_to_exit = nullptr;

// Owns the engine of one run; a run that is the whole process leaves it to the exit.
class EngineOfRun {
public:
    EngineOfRun(std::unique_ptr<Engine> engine, bool leave_to_exit) : engine_(std::move(engine)), leave_to_exit_(leave_to_exit) {}
    ~EngineOfRun() {
        if (leave_to_exit_ && !engine_left_to_exit) engine_left_to_exit = engine_.release();
    }
    EngineOfRun(const EngineOfRun&) = delete;
    EngineOfRun& operator=(const EngineOfRun&) = delete;
    Engine& operator*() const { return *engine_; }

private:
    std::unique_ptr<Engine> engine_;
    bool leave_to_exit_;
};

// What CLI11 would take for an option although it is a query: a word that begins with "-"
// ("-heavy agents", -soma: CLI11 read the first as -h, printed the help and exited 0). Before
// parsing, each such word is swapped for a placeholder CLI11 takes as a positional, and put back
// after; an option's value that begins with "-" is joined to the option with "=", which CLI11 takes
// as its value. After "--" every argument is a positional already.
class DashWords {
public:
    // `known`: every option name of the app and its subcommands ("--db", "-q") -> whether it takes a value.
    DashWords(int argc, char** argv, const std::map<std::string, std::pair<bool, std::string>>& known) {
        bool options_ended = false;
        for (int i = 0; i < argc; ++i) {
            const std::string a = argv[i];
            if (i == 0 || options_ended || a.size() < 2 || a[0] != '-') {
                options_ended = options_ended || a == "--";
                args_.push_back(a);
                continue;
            }
            const auto it = known.find(a);
            const bool next_is_dash_word = i + 1 < argc && argv[i + 1][0] == '-' && std::string_view(argv[i + 1]) != "--";
            if (it != known.end()) {
                // Joined to its long name: CLI11 would not take "-heavy" as the value that follows an option.
                if (it->second.first && next_is_dash_word) args_.push_back(it->second.second + "=" + argv[++i]);
                else args_.push_back(a);
            } else if (a[1] == '-' || (a.size() == 2 && std::isalpha(static_cast<unsigned char>(a[1])))) {
                // --limt, -l: a mistyped option, more likely than a query; CLI11 reports it.
                args_.push_back(a);
            } else {
                args_.push_back(kMark + std::to_string(words_.size()));
                words_.push_back(a);
            }
        }
        for (auto& a : args_) pointers_.push_back(a.data());
    }
    int argc() const { return static_cast<int>(pointers_.size()); }
    char** argv() { return pointers_.data(); }
    // The argument as it was given.
    std::string restore(const std::string& arg) const {
        if (arg.rfind(kMark, 0) != 0) return arg;
        const std::size_t n = std::stoul(arg.substr(kMark.size()));
        return n < words_.size() ? words_[n] : arg;
    }
    void restore(std::vector<std::string>& args) const {
        for (auto& a : args) a = restore(a);
    }

private:
    // No user's argument starts so: the query language refuses control characters.
    inline static const std::string kMark = "\x1f" "dash-word-";
    std::vector<std::string> args_;
    std::vector<std::string> words_;
    std::vector<char*> pointers_;
};

// Every option name of `app` and its subcommands -> whether it takes a value, and its long form.
std::map<std::string, std::pair<bool, std::string>> option_names(const CLI::App& app) {
    std::map<std::string, std::pair<bool, std::string>> names;
    auto add = [&](const CLI::App& a) {
        for (const CLI::Option* opt : a.get_options()) {
            const bool takes_value = opt->get_expected_min() > 0;  // flags expect none
            const std::string long_name = opt->get_lnames().empty() ? "" : "--" + opt->get_lnames().front();
            for (const auto& l : opt->get_lnames()) names["--" + l] = {takes_value, "--" + l};
            for (const auto& s : opt->get_snames()) names["-" + s] = {takes_value && !long_name.empty(), long_name};
        }
    };
    add(app);
    for (const CLI::App* sub : app.get_subcommands({})) add(*sub);
    return names;
}

int run_cli(int argc, char** argv, const ServeFunction& serve, std::ostream& out, std::ostream& err, bool whole_process) {
    Options o;
    CLI::App app{"imr-search: search IMR final determination letters indexed by imr-index.\n"
                 "Query language: words (ANDed, stemmed), \"exact phrases\", AND OR NOT -word ( ), a NEAR/5 b, a w/5 b,\n"
                 "a pre/5 b, carisoprod*, field:value as in drug:soma specialty:\"pain management\" year:2014..2015,\n"
                 "ranges as in decided:2014-01..2014-06 injured:..2010 age:50..65, section:rationale \"long-term use\".\n"
                 "Fields: " + scan::join(query_fields(), ", "),
                 "imr-search"};
    app.option_defaults()->always_capture_default();
    app.add_option("--db", o.db, "The index folder made by imr-index")->required();
    app.add_option("--lexicon", o.lexicon_dir, "Folder of the lexicon files (default: the data folder's lexicon/)");
    for (const schema::Field* field : schema::fields_with(schema::kFilter)) {
        const std::string name(field->name);
        // One value a flag, so that the query after it stays the query (--drug soma denied).
        app.add_option("--" + name, o.filters[name], "Only this " + name + " (repeat the flag to allow several)")
            ->expected(1)
            ->allow_extra_args(false)
            ->take_all();
    }
    app.add_option("--sort", o.sort, "relevance, decided (decision date) or injured (injury date)")
        ->check(CLI::IsMember({"relevance", "decided", "injured"}));
    app.add_flag("--asc", o.ascending, "Oldest first when sorting by a date");
    app.add_option("--group", o.group, "letter: one hit per letter")->check(CLI::IsMember({"letter"}));
    app.add_option("--scope", o.scope,
                   "determination (default): the query holds over the letter's shared text and one item's own; "
                   "letter: over the whole letter")
        ->check(CLI::IsMember({"determination", "letter"}));
    auto* limit_option = app.add_option("--limit", o.limit, "Hits per page (at most 1000)");
    app.add_option("--offset", o.offset, "Hits to skip");
    app.add_option("--format", o.format, "table, json or csv (csv exports every matching row)")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    auto* query_option = app.add_option("-q,--query", o.query, "The query (or give it as the remaining arguments, after -- "
                                                                "when it begins with -)");
    app.add_option("QUERY", o.query_words, "The query");

    std::string id;
    auto* show = app.add_subcommand("show", "The whole letter, section by section (ID: a letter or determination id, or a "
                                            "case number)");
    show->add_option("ID", id)->required();
    std::string highlight;
    show->add_option("--highlight", highlight, "A query whose terms are marked");
    show->fallthrough();

    std::size_t similar_limit = 10;
    auto* similar = app.add_subcommand("similar", "More like this determination or letter (relevance feedback)");
    similar->add_option("ID", id)->required();
    similar->add_option("--limit", similar_limit, "How many");
    similar->fallthrough();

    std::string by;
    std::vector<std::string> stats_words;
    auto* stats = app.add_subcommand("stats", "Upheld and overturned counts and the overturn rate per value");
    stats->add_option("--by", by, scan::or_list(stats_dimensions()))->required();
    stats->add_option("QUERY", stats_words, "The query");
    stats->fallthrough();

    std::string host = "127.0.0.1";
    int port = 8080;
    auto* serve_command = app.add_subcommand("serve", "Serve the JSON API and the web page");
    serve_command->add_option("--host", host, "Address to bind");
    serve_command->add_option("--port", port, "Port (0 picks a free one)")->check(CLI::Range(0, 65535));
    bool streams_on_disk = false;
    serve_command->add_flag("--streams-on-disk", streams_on_disk,
                            "Read token streams from the index for each phrase instead of keeping them in memory "
                            "(less memory, slower phrases)");
    serve_command->fallthrough();
    app.require_subcommand(0, 1);

    DashWords args(argc, argv, option_names(app));
    try {
        app.parse(args.argc(), args.argv());
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << "imr-search: " << e.what();
        const std::string_view what = e.what();
        if (const auto dash = what.find(" -"); dash != std::string_view::npos && what.substr(dash + 2, 1) != "-")
            err << " (a query that begins with - goes after -- or in -q: imr-search --db DB -- '-heavy agents')";
        err << "\n";
        return kExitUsage;
    }
    args.restore(o.query_words);
    args.restore(stats_words);
    id = args.restore(id);
    const bool query_given = query_option->count() > 0;

    const bool color = o.format == "table" && &out == &std::cout && isatty(STDOUT_FILENO);
    const Output output{out, color};
    try {
        const Lexicon lexicon = Lexicon::load(o.lexicon_dir.empty() ? default_data_dir() / "lexicon" : std::filesystem::path(o.lexicon_dir));
        // A server answers many searches: it keeps the token streams in memory and warms up first;
        // a one-shot command reads what its one search needs.
        EngineTuning tuning;
        tuning.streams_in_memory = serve_command->parsed() && !streams_on_disk;
        tuning.warm_up = serve_command->parsed();
        const EngineOfRun engine_of_run(std::make_unique<Engine>(o.db, lexicon, tuning), whole_process);
        Engine& engine = *engine_of_run;
        if (show->parsed()) {
            const nlohmann::json letter = engine.letter(id, highlight);
            if (o.format == "json") out << letter.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            else print_letter_text(output, letter);
        } else if (similar->parsed()) {
            const SearchResult result = engine.similar(id, similar_limit);
            if (o.format == "json") out << to_json(result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            else if (o.format == "csv") {
                out << csv_hit_header();
                for (const Hit& h : result.hits) out << csv_hit_row(h);
            } else {
                out << "Like " << (result.like ? like_heading(*result.like) : id) << ":\n\n";
                print_hits_table(output, result.hits, 1);
            }
        } else if (stats->parsed()) {
            std::vector<std::string> words = stats_words;
            words.insert(words.end(), o.query_words.begin(), o.query_words.end());
            print_stats(output, engine.stats(request_from(o, words, query_given), by), o.format);
        } else if (serve_command->parsed()) {
            if (!serve) throw Usage("serve is not available in this build");
            return serve(engine, host, port);
        } else {
            print_search(output, engine, request_from(o, o.query_words, query_given), o.format, limit_option->count() > 0);
        }
        return kExitOk;
    } catch (const AmbiguousId& e) {
        // Each letter of the case, to pick from by its id: the output a script can read, the message on stderr.
        if (o.format == "json") {
            nlohmann::json letters = nlohmann::json::array();
            for (const LetterChoice& c : e.letters)
                letters.push_back({{"letter_id", c.letter_id}, {"file", c.file}, {"case_number", c.case_number},
                                   {"decision_date", c.decision_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.decision_date)},
                                   {"items", c.items}});
            out << nlohmann::json{{"letters", letters}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            print_letter_choices(output, e.letters);
        }
        err << "imr-search: " << e.what() << "\n";
        return kExitAmbiguous;
    } catch (const NotFound& e) {
        err << "imr-search: " << e.what() << "\n";
        return kExitNotFound;
    } catch (const BadRequest& e) {
        err << "imr-search: " << e.what() << "\n";
        return kExitUsage;
    } catch (const Usage& e) {
        err << "imr-search: " << e.what() << "\n";
        return kExitUsage;
    } catch (const LexiconError& e) {
        err << "imr-search: " << e.what() << "\n";
        return kExitDatabase;
    } catch (const QueryTooCostly& e) {
        err << "imr-search: " << e.what() << "\n";
        return kExitUsage;
    } catch (const EngineError& e) {
        err << "imr-search: " << e.what() << "\n";
        return kExitDatabase;
    } catch (const std::exception& e) {
        // Never an abort: whatever escaped is reported, with the database exit status.
        err << "imr-search: internal error: " << e.what() << "\n";
        return kExitDatabase;
    }
}

}  // namespace

int run_search_cli(int argc, char** argv, const ServeFunction& serve, std::ostream& out, std::ostream& err) {
    return run_cli(argc, argv, serve, out, err, false);
}

int run_search_cli(int argc, char** argv, const ServeFunction& serve) {
    return run_cli(argc, argv, serve, std::cout, std::cerr, true);
}

}  // namespace imr
