// Developer tool: parses the letters of synth_letters.py and prints per-field extraction accuracy against truth.jsonl.
//
//   python3 ../shared/corpus/synth_letters.py /tmp/synth20k -n 20000 --seed 7
//   build/synth_accuracy /tmp/synth20k --show 3
//
// Exit status 1 when any field is below --min (99.5% by default), 2 on a usage or input error.
#include "citation_keys.h"
#include "citations.h"
#include "guideline_paragraph.h"
#include "letter.h"
#include "lexicon.h"
#include "parser.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;

struct Options {
    std::filesystem::path dir;
    std::size_t show = 0;
    double min_percent = 99.5;
    unsigned threads = 2;
    std::size_t limit = 0;
};

struct Field {
    std::size_t right = 0;
    std::size_t total = 0;
    std::vector<std::string> examples;
};

class Tally {
public:
    explicit Tally(std::size_t show) : show_(show) {}
    void record(const std::string& field, bool right, const std::function<std::string()>& describe) {
        std::lock_guard lock(mutex_);
        Field& f = fields_[field];
        ++f.total;
        if (right) ++f.right;
        else if (f.examples.size() < show_) f.examples.push_back(describe());
    }
    const std::map<std::string, Field>& fields() const { return fields_; }

private:
    std::size_t show_;
    std::mutex mutex_;
    std::map<std::string, Field> fields_;
};

std::string str(const json& j) { return j.is_null() ? "" : j.is_string() ? j.get<std::string>() : j.dump(); }

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : " | ") + p;
    return "[" + out + "]";
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

std::string canonical_specialty(const imr::Lexicon& lexicon, const std::string& name) {
    return lexicon.canonical_specialty(name).value_or(name);
}

std::string citation_keys(const imr::test::CitationKeys& keys, const json& list) {
    std::vector<std::string> out;
    for (const auto& c : list)
        out.push_back(keys.key(str(c["source"]), str(c["document"]), str(c["edition"]), str(c["chapter"]),
                               str(c["section"]), str(c["pages"])));
    return join(sorted(out));
}

std::string citation_keys(const imr::test::CitationKeys& keys, const std::vector<imr::Citation>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.push_back(keys.key(c));
    return join(sorted(out));
}

std::string iso(const std::optional<imr::Date>& d) { return d ? d->iso() : ""; }

void compare(const json& truth, const imr::Letter& letter, const imr::Lexicon& lexicon, const imr::TopicIndex& topics,
             const imr::test::CitationKeys& keys, Tally& tally) {
    const std::string file = truth.at("file").get<std::string>();
    auto check = [&](const char* field, const std::string& expected, const std::string& got) {
        tally.record(field, expected == got, [&] { return file + ": expected \"" + expected + "\", got \"" + got + "\""; });
    };
    check("case_number", str(truth["case_number"]), letter.case_number);
    check("decision_date", str(truth["decision_date"]), letter.decision_date ? letter.decision_date->iso() : "");
    check("injury_date", str(truth["injury_date"]), letter.injury_date ? letter.injury_date->iso() : "");
    check("age", str(truth["age"]), letter.age ? std::to_string(*letter.age) : "");
    check("sex", str(truth["sex"]), letter.sex);
    // The published layout's truth has every header field.
    if (truth.contains("assigned_date")) {
        check("assigned_date", str(truth["assigned_date"]), iso(letter.assigned_date));
        check("ur_denial_date", str(truth["ur_denial_date"]), iso(letter.ur_denial_date));
        check("received_date", str(truth["received_date"]), iso(letter.application_received));
        check("priority", str(truth["priority"]), letter.priority);
    }

    std::vector<std::string> expected_specialties, got_specialties;
    for (const auto& s : truth["specialties"]) expected_specialties.push_back(canonical_specialty(lexicon, s));
    for (const auto& s : letter.specialties) got_specialties.push_back(canonical_specialty(lexicon, s));
    check("specialties", join(sorted(expected_specialties)), join(sorted(got_specialties)));
    check("states", join(sorted(truth["states"].get<std::vector<std::string>>())), join(sorted(letter.states)));

    const json& items = truth.at("items");
    check("item count", std::to_string(items.size()), std::to_string(letter.determinations.size()));
    for (std::size_t n = 0; n < items.size(); ++n) {
        const json& item = items[n];
        const imr::Determination* det = n < letter.determinations.size() ? &letter.determinations[n] : nullptr;
        auto got = [&](auto field) { return det ? field(*det) : std::string("<missing>"); };
        check("item text", item.at("item").get<std::string>(), got([](auto& d) { return d.item; }));
        check("decision", item.at("decision").get<std::string>(), got([](auto& d) { return imr::to_string(d.outcome); }));
        check("drug", str(item["drug"]), got([](auto& d) { return d.drug ? d.drug->generic : std::string(); }));
        check("drug_class", str(item["drug_class"]),
              got([](auto& d) { return d.drug ? d.drug->drug_class : std::string(); }));
        check("category", str(item["category"]), got([](auto& d) { return d.category; }));

        std::vector<std::string> expected_sources, got_sources, expected_topics, got_topics;
        for (const auto& c : item.at("guidelines")) {
            expected_sources.push_back(c.at("source"));
            expected_topics.push_back(str(c["source"]) + ": " + topics.normalize(str(c["source"]), str(c["topic"])));
        }
        if (det) {
            for (const auto& c : det->citations) {
                got_sources.push_back(c.source);
                // What the guideline facet shows: the section, else the chapter or document cited whole.
                // The older layouts' truth names an ODG topic with its chapter ("Pain (Chronic), Opioids").
                std::string shown = !c.topic.empty() ? c.topic : !c.chapter.empty() ? c.chapter : c.document;
                if (!item.contains("original_request") && !c.chapter.empty() && !c.topic.empty())
                    shown = c.chapter + ", " + c.topic;
                got_topics.push_back(c.source + ": " + topics.normalize(c.source, shown));
            }
        }
        check("guideline sources", join(sorted(expected_sources)), det ? join(sorted(got_sources)) : "<missing>");
        if (item.contains("original_request")) {
            check("original_request", str(item["original_request"]), got([](auto& d) { return d.original_request; }));
            check("authorized", str(item["authorized"]), got([](auto& d) { return d.authorized; }));
            check("outside_mtus", item.at("outside_mtus").get<bool>() ? "true" : "false",
                  got([](auto& d) { return std::string(d.basis == imr::Basis::OutsideMtus ? "true" : "false"); }));
            check("ca_cited", item.at("ca_cited").get<bool>() ? "true" : "false",
                  got([](auto& d) { return std::string(d.claims_basis != imr::Basis::NoneCited ? "true" : "false"); }));
            check("guideline citations", citation_keys(keys, item.at("guidelines")),
                  det ? citation_keys(keys, det->citations) : "<missing>");
            check("ca citations", citation_keys(keys, item.at("ca_guidelines")),
                  det ? citation_keys(keys, det->claims_citations) : "<missing>");
        }
        check("guideline topics", join(sorted(expected_topics)), det ? join(sorted(got_topics)) : "<missing>");
    }
}

// CPU time of the calling thread: on a shared machine, wall time measures the neighbours too.
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int run(const Options& options) {
    const auto truth_path = options.dir / "truth.jsonl";
    std::ifstream truth_file(truth_path);
    if (!truth_file) {
        std::cerr << "synth_accuracy: cannot open " << truth_path << " (generate it with synth_letters.py)\n";
        return 2;
    }
    std::vector<json> truths;
    std::string line;
    for (std::size_t line_number = 1; std::getline(truth_file, line); ++line_number) {
        if (line.empty()) continue;
        try {
            truths.push_back(json::parse(line));
        } catch (const json::exception& e) {
            std::cerr << "synth_accuracy: " << truth_path.string() << ":" << line_number << ": " << e.what() << "\n";
            return 2;
        }
        if (options.limit && truths.size() == options.limit) break;
    }

    const auto lexicon = imr::Lexicon::load(imr::default_data_dir() / "lexicon");
    const imr::Parser parser(lexicon);
    const imr::TopicIndex topics(lexicon);
    const imr::CitationReader reader(lexicon, topics);
    const imr::test::CitationKeys keys(reader, topics);
    Tally tally(options.show);
    std::atomic<std::size_t> next{0}, rejected{0};
    std::mutex output;
    std::vector<double> parse_seconds(options.threads, 0.0);

    auto worker = [&](unsigned id) {
        for (std::size_t n = next++; n < truths.size(); n = next++) {
            const json& truth = truths[n];
            const std::string bytes = read_file(options.dir / truth.at("file").get<std::string>());
            double start = thread_cpu_seconds();
            try {
                imr::Letter letter = parser.parse(bytes, truth.at("file").get<std::string>());
                parse_seconds[id] += thread_cpu_seconds() - start;
                compare(truth, letter, lexicon, topics, keys, tally);
            } catch (const imr::RejectedLetter& e) {
                ++rejected;
                std::lock_guard lock(output);
                std::cerr << truth.at("file").get<std::string>() << ": rejected: " << e.what() << "\n";
            }
        }
    };
    auto wall_start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (unsigned id = 0; id < options.threads; ++id) pool.emplace_back(worker, id);
    for (auto& t : pool) t.join();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    double busy = 0;
    for (double s : parse_seconds) busy += s;

    bool all_good = rejected == 0;
    std::printf("%-18s %9s %9s %8s\n", "field", "right", "total", "percent");
    for (const auto& [name, f] : tally.fields()) {
        double percent = f.total ? 100.0 * static_cast<double>(f.right) / static_cast<double>(f.total) : 100.0;
        bool good = percent >= options.min_percent;
        all_good = all_good && good;
        std::printf("%-18s %9zu %9zu %7.2f%%%s\n", name.c_str(), f.right, f.total, percent, good ? "" : "  < min");
    }
    for (const auto& [name, f] : tally.fields())
        for (const auto& example : f.examples) std::printf("  %s mismatch: %s\n", name.c_str(), example.c_str());
    std::printf("letters: %zu, rejected: %zu, threads: %u\n", truths.size(), rejected.load(), options.threads);
    std::printf("wall time %.2f s (%.0f letters/s, reading files and comparing included); "
                "parse CPU time %.2f s summed over threads (%.0f letters/s per core)\n",
                wall, static_cast<double>(truths.size()) / wall, busy, static_cast<double>(truths.size()) / busy);
    return all_good ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    CLI::App app{"Per-field accuracy of the letter parser on synth_letters.py output"};
    app.add_option("dir", options.dir, "folder holding truth.jsonl and the letters")->required();
    app.add_option("--show", options.show, "list up to N mismatches per field");
    app.add_option("--min", options.min_percent, "lowest acceptable percentage per field");
    app.add_option("--threads", options.threads, "parser threads")->check(CLI::Range(1u, 64u));
    app.add_option("--limit", options.limit, "only the first N letters of truth.jsonl");
    CLI11_PARSE(app, argc, argv);
    try {
        return run(options);
    } catch (const std::exception& e) {
        std::cerr << "synth_accuracy: " << e.what() << "\n";
        return 2;
    }
}
