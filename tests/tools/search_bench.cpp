// Developer tool: search latency of imr::Engine in-process over a query mix, every query with all facets.
//
//   search_bench --db PATH [--runs 5] [--queries FILE] [--no-facets] [--verbose]
//
// Prints the time to open the engine (building the facet columns), then p50/p95/p99/max over
// every run of every query, per query kind and overall. A queries file has one query per line as
// "kind<TAB>query[<TAB>facet=value;facet=value]"; without one the built-in mix is used.
#include "engine.h"
#include "huge_pages.h"
#include "lexicon.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <sys/resource.h>
#include <time.h>

namespace {

struct BenchQuery {
    std::string kind;
    std::string query;
    std::map<std::string, std::vector<std::string>> filters;
};

std::vector<BenchQuery> builtin_mix() {
    return {
        {"term", "soma", {}},
        {"term", "gabapentin", {}},
        {"term", "acupuncture", {}},
        {"term", "tramadol", {}},
        {"term", "omeprazole", {}},
        {"term", "lumbar", {}},
        {"term", "denied", {}},
        {"term", "sedation", {}},
        {"phrase", "\"medically necessary\"", {}},
        {"phrase", "\"not medically necessary\"", {}},
        {"phrase", "\"long-term use\"", {}},
        {"phrase", "\"physical therapy\"", {}},
        {"phrase", "\"muscle relaxants\"", {}},
        {"phrase", "\"functional improvement\"", {}},
        {"phrase", "\"urine drug screen\"", {}},
        {"phrase", "\"chronic pain medical treatment guidelines\"", {}},
        {"boolean", "(soma OR tizanidine) AND NOT upheld", {}},
        {"boolean", "opioids AND (weaning OR taper)", {}},
        {"boolean", "norco -tramadol", {}},
        {"boolean", "mri OR ct OR x-ray", {}},
        {"boolean", "pain relief NOT surgery", {}},
        {"near", "opioids NEAR/5 weaning", {}},
        {"near", "soma w/10 sedation", {}},
        {"near", "pain w/3 relief", {}},
        {"near", "lumbar pre/3 spine", {}},
        {"sentence", "soma /s sedation", {}},
        {"sentence", "opioids /s weaning", {}},
        {"sentence", "lumbar +s spine", {}},
        {"paragraph", "soma /p denied", {}},
        {"paragraph", "pain /p relief", {}},
        {"field", "drug:soma decision:overturned", {}},
        {"field", "", {{"drug", {"hydrocodone"}}, {"decision", {"overturned"}}}},
        {"field", "class:opioid", {}},
        {"field", "specialty:\"pain management\"", {}},
        {"field", "", {{"guideline", {"mtus"}}, {"state", {"texas", "nevada"}}}},
        {"field", "year:2015 category:surgery", {}},
        {"field", "decided:2015-01..2015-06", {}},
        {"field", "soma", {{"decision", {"upheld"}}, {"specialty", {"Pain Management"}}}},
        {"broad", "\"medically necessary\"", {{"decision", {"overturned"}}}},
        {"broad", "medical", {}},
        {"broad", "patient", {}},
        {"broad", "\"the patient\"", {}},
        {"broad", "", {}},
        {"wildcard", "carisoprod*", {}},
        {"wildcard", "opioid*", {}},
    };
}

std::vector<BenchQuery> read_mix(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<BenchQuery> mix;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string col;
        while (std::getline(ss, col, '\t')) cols.push_back(col);
        BenchQuery q{cols.at(0), cols.size() > 1 ? cols[1] : "", {}};
        if (cols.size() > 2) {
            std::stringstream fs(cols[2]);
            std::string pair;
            while (std::getline(fs, pair, ';')) {
                const auto eq = pair.find('=');
                if (eq != std::string::npos) q.filters[pair.substr(0, eq)].push_back(pair.substr(eq + 1));
            }
        }
        mix.push_back(std::move(q));
    }
    return mix;
}

// CPU time of this thread: unlike wall time, it does not count time spent waiting for a core
// that another process holds, so it stays meaningful on a busy shared machine.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The whole process's (every thread's) system time and minor page faults so far: a query that
// takes much longer than its CPU time says spends it in the kernel, mostly faulting in pages.
struct KernelUse {
    double sys_ms = 0;
    long minor_faults = 0;
    long long read_bytes = 0;
};
KernelUse kernel_use() {
    rusage use{};
    getrusage(RUSAGE_SELF, &use);
    long long rchar = 0;
    std::ifstream io("/proc/self/io");
    for (std::string key; io >> key;) {
        if (key == "rchar:") { io >> rchar; break; }
    }
    return {static_cast<double>(use.ru_stime.tv_sec) * 1e3 + static_cast<double>(use.ru_stime.tv_usec) / 1e3, use.ru_minflt, rchar};
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto idx = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
    return v[std::min(idx, v.size() - 1)];
}

void report(const std::string& label, const std::vector<double>& ms) {
    std::cout << std::left << std::setw(10) << label << std::right << std::fixed << std::setprecision(2) << " n=" << std::setw(4)
              << ms.size() << "  p50 " << std::setw(7) << percentile(ms, 50) << "  p95 " << std::setw(7) << percentile(ms, 95)
              << "  p99 " << std::setw(7) << percentile(ms, 99) << "  max " << std::setw(7) << percentile(ms, 100) << " ms\n";
}

}  // namespace

int main(int argc, char** argv) {
    imr::rerun_with_huge_pages(argv);  // as imr-search does: the engine's arrays on huge pages
    CLI::App app{"Search latency of imr::Engine over a query mix (all facets exact)"};
    std::string db, queries_file;
    int runs = 5;
    bool no_facets = false, verbose = false;
    app.add_option("--db", db, "Index folder")->required();
    app.add_option("--runs", runs, "Runs of the whole mix (the first is reported separately, as cold)");
    app.add_option("--queries", queries_file, "kind<TAB>query[<TAB>facet=value;...] per line");
    app.add_flag("--no-facets", no_facets, "Skip facet counting (for comparison)");
    app.add_flag("--verbose", verbose, "One line per query of the first and the last run");
    imr::EngineTuning tuning;
    bool streams_on_disk = false, no_warm_up = false;
    app.add_flag("--no-warm-up", no_warm_up, "Start searching without the warm-up imr-search serve does (EngineTuning::warm_up)");
    app.add_flag("--streams-on-disk", streams_on_disk, "Read token streams from the index, as a one-shot imr-search does, "
                 "instead of keeping them in memory as imr-search serve does");
    app.add_option("--split-above", tuning.split_above, "Use a second thread from this many documents or matches on")
        ->capture_default_str();
    bool uncached = false;
    app.add_flag("--no-positional-cache", uncached, "Check phrases and proximities afresh in every run, as in a first run");
    CLI11_PARSE(app, argc, argv);
    tuning.cache_positional = !uncached;
    tuning.streams_in_memory = !streams_on_disk;
    tuning.warm_up = !no_warm_up;

    try {
        const auto mix = queries_file.empty() ? builtin_mix() : read_mix(queries_file);
        const imr::Lexicon lexicon = imr::Lexicon::load(imr::default_data_dir() / "lexicon");
        const auto open_started = std::chrono::steady_clock::now();
        imr::Engine engine(db, lexicon, tuning);
        const double open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - open_started).count();
        const auto health = engine.health();
        rusage use{};
        getrusage(RUSAGE_SELF, &use);
        std::cout << "index: " << health.documents << " determinations, " << health.letters << " letters; engine open (facet columns"
                  << (tuning.streams_in_memory ? ", token streams" : "") << (tuning.warm_up ? ", warm-up" : "") << ") " << std::fixed << std::setprecision(1) << open_ms
                  << " ms, peak RSS " << static_cast<double>(use.ru_maxrss) / 1024.0 << " MB\n";
        if (health.stream_store_bytes > 0)
            std::cout << "token streams in memory: " << static_cast<double>(health.stream_store_bytes) / 1e6 << " MB, of which breaks "
                      << static_cast<double>(health.stream_store_break_bytes) / 1e6 << " MB\n";

        std::map<std::string, std::vector<double>> by_kind, cold_by_kind;
        std::vector<double> all, cold, all_cpu;
        for (int run = 0; run < runs; ++run) {
            for (const auto& q : mix) {
                imr::SearchRequest request;
                request.query = q.query;
                request.filters = q.filters;
                request.with_facets = !no_facets;
                const auto started = std::chrono::steady_clock::now();
                const double cpu_started = thread_cpu_ms();
                const KernelUse kernel_started = kernel_use();
                const auto result = engine.search(request);
                const double cpu_ms = thread_cpu_ms() - cpu_started;
                const KernelUse kernel_ended = kernel_use();
                const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
                if (verbose && (run == 0 || run == runs - 1))
                    std::cout << (run == 0 ? "cold " : "warm ") << std::setw(8) << std::setprecision(2) << ms << " ms (cpu " << std::setw(7) << cpu_ms << ")  total " << std::setw(7) << result.total << "  "
                              << q.query << (q.filters.empty() ? "" : "  +filters") << "   [match " << result.phases.match_ms
                              << ", facets " << result.phases.facets_ms << ", order " << result.phases.order_ms << ", hits "
                              << result.phases.hits_ms << "; sys " << kernel_ended.sys_ms - kernel_started.sys_ms << ", faults "
                              << kernel_ended.minor_faults - kernel_started.minor_faults << ", read MB "
                              << static_cast<double>(kernel_ended.read_bytes - kernel_started.read_bytes) / 1e6 << "]\n";
                if (run == 0) {
                    cold.push_back(ms);
                    cold_by_kind[q.kind].push_back(ms);
                    continue;
                }
                all.push_back(ms);
                all_cpu.push_back(cpu_ms);
                by_kind[q.kind].push_back(ms);
            }
        }
        // The first run of each query checks every phrase; later runs find slow positional checks
        // in the engine's cache, as a user refining the same search does.
        std::cout << "first run of each query (nothing cached):\n";
        for (const auto& [kind, ms] : cold_by_kind) report(kind, ms);
        report("ALL cold", cold);
        std::cout << "runs 2.." << runs << " (slow positional checks cached):\n";
        for (const auto& [kind, ms] : by_kind) report(kind, ms);
        report("ALL", all);
        report("ALL cpu", all_cpu);
    } catch (const std::exception& e) {
        std::cerr << "search_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
