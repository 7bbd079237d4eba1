// Facet counts and filters of imr-index + imr::Engine against ground truth: the samples' expected.jsonl, the generator's truth.jsonl, and brute force over the stored documents.
#include "engine.h"
#include "lexicon.h"
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <fstream>
#include <optional>
#include <set>

namespace {

using imr::test::quote;
using imr::test::run;

std::filesystem::path index_folder(const imr::test::TempDir& tmp, const std::filesystem::path& folder) {
    const auto db = tmp.path() / "facets.db";
    const auto r = run(quote(imr::test::index_bin()) + " --quiet --db " + quote(db) + " " + quote(folder));
    REQUIRE_MESSAGE(r.exit_code <= 1, r.err);
    return db;
}

std::map<std::string, std::uint64_t> facet_map(const imr::SearchResult& r, const std::string& name) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& [facet, counts] : r.facets)
        if (facet == name)
            for (const auto& c : counts) out[c.value] = c.count;
    return out;
}

// Every determination's stored data, to count by brute force what the engine counts from its columns.
std::vector<nlohmann::json> all_documents(const std::filesystem::path& db_path) {
    Xapian::Database db(db_path.string());
    const imr::LetterCodec codec = imr::schema::stored_codec(db);
    std::vector<nlohmann::json> docs;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        auto data = nlohmann::json::parse(imr::schema::document_data(db.get_document(*p), codec));
        if (!data.contains("ordinal")) continue;  // a letter document
        docs.push_back(std::move(data));
    }
    return docs;
}

// A drug filter selects the drug and every combination that contains it as an ingredient
// ("oxycodone" also selects "oxycodone/acetaminophen").
bool drug_selected(const std::string& drug, const std::string& filter) {
    if (drug == filter) return true;
    std::size_t start = 0;
    for (std::size_t slash; (slash = drug.find('/', start)) != std::string::npos; start = slash + 1)
        if (drug.compare(start, slash - start, filter) == 0) return true;
    return start > 0 && drug.compare(start, std::string::npos, filter) == 0;
}

// The drug facet's values of a determination: its drug and each ingredient of a compound.
std::set<std::string> drug_values(const std::string& drug) {
    std::set<std::string> values;
    if (drug.empty()) return values;
    values.insert(drug);
    std::size_t start = 0;
    for (std::size_t slash; (slash = drug.find('/', start)) != std::string::npos; start = slash + 1)
        values.insert(drug.substr(start, slash - start));
    if (start > 0) values.insert(drug.substr(start));
    return values;
}

// Engine counts for a drug filter and a decision filter equal the brute-force counts, the facet
// of each selection ignoring its own selection.
void check_against_documents(const imr::Engine& engine, const std::vector<nlohmann::json>& docs, const std::string& drug,
                             const std::string& decision) {
    imr::SearchRequest request;
    request.filters["drug"] = {drug};
    request.filters["decision"] = {decision};
    request.facet_limit = 1000;
    const auto r = engine.search(request);
    std::uint64_t total = 0;
    // A selected value stays listed, with 0 when nothing matches it.
    std::map<std::string, std::uint64_t> drugs{{drug, 0}}, decisions{{decision, 0}};
    std::set<std::string> letters;

    for (const auto& d : docs) {
        const bool drug_ok = drug_selected(d["drug"].get<std::string>(), drug);
        const bool decision_ok = d["decision"] == decision;
        if (drug_ok && decision_ok) {
            ++total;
            letters.insert(d["letter_id"]);
        }
        if (decision_ok)
            for (const auto& value : drug_values(d["drug"].get<std::string>())) ++drugs[value];
        if (drug_ok) ++decisions[d["decision"]];
    }
    CHECK(r.total == total);
    CHECK(r.total_letters == letters.size());
    CHECK(facet_map(r, "drug") == drugs);
    CHECK(facet_map(r, "decision") == decisions);
}

}  // namespace

TEST_CASE("sample letters: totals and decisions match expected.jsonl, facets match the documents") {
    imr::test::TempDir tmp;
    const auto db = index_folder(tmp, imr::test::source_dir() / "data" / "samples" / "letters");
    const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Engine engine(db, lexicon);

    std::map<std::string, std::uint64_t> decisions, drugs;
    std::uint64_t determinations = 0, letters = 0;
    std::ifstream expected(imr::test::source_dir() / "data" / "samples" / "expected.jsonl");
    for (std::string line; std::getline(expected, line);) {
        if (line.empty()) continue;
        const auto letter = nlohmann::json::parse(line);
        ++letters;
        const auto& dets = letter["determinations"];
        determinations += std::max<std::size_t>(1, dets.size());
        if (dets.empty()) ++decisions["Unknown"];
        for (const auto& d : dets) {
            ++decisions[d["decision"].get<std::string>()];
            if (d["drug"].is_string())
                for (const auto& value : drug_values(d["drug"].get<std::string>())) ++drugs[value];
        }
    }
    REQUIRE(letters >= 30);
    imr::SearchRequest all;
    all.facet_limit = 1000;
    const auto r = engine.search(all);
    CHECK(r.total == determinations);
    CHECK(r.total_letters == letters);
    CHECK(facet_map(r, "decision") == decisions);
    CHECK(facet_map(r, "drug") == drugs);

    const auto docs = all_documents(db);
    for (const auto& [drug, count] : drugs) {
        SUBCASE(("drug=" + drug).c_str()) {
            check_against_documents(engine, docs, drug, "Overturned");
            check_against_documents(engine, docs, drug, "Upheld");
        }
    }
}

TEST_CASE("generated letters: drug and decision counts match truth.jsonl") {
    if (!imr::test::have_shared()) {
        MESSAGE("skipped: " << imr::test::shared_dir() << " is missing");
        return;
    }
    imr::test::TempDir tmp;
    const auto r = run("python3 " + quote(imr::test::shared_dir() / "corpus" / "synth_letters.py") + " " +
                       quote(tmp.path() / "corpus") + " -n 400 --seed 5");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto db = index_folder(tmp, tmp.path() / "corpus" / "0000");
    const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Engine engine(db, lexicon);

    // drug -> decision -> determinations the drug filter selects, from the generator's ground truth.
    std::vector<std::pair<std::string, std::string>> items;  // drug, decision
    std::set<std::string> drug_names;
    std::uint64_t determinations = 0;
    std::ifstream in(tmp.path() / "corpus" / "truth.jsonl");
    for (std::string line; std::getline(in, line);) {
        const auto letter = nlohmann::json::parse(line);
        for (const auto& item : letter["items"]) {
            ++determinations;
            if (!item["drug"].is_string()) continue;
            items.emplace_back(item["drug"].get<std::string>(), item["decision"].get<std::string>());
            drug_names.insert(items.back().first);
        }
    }
    std::map<std::string, std::map<std::string, std::uint64_t>> truth;
    for (const auto& name : drug_names)
        for (const auto& [drug, decision] : items)
            if (drug_selected(drug, name)) ++truth[name][decision];
    imr::SearchRequest all;
    all.limit = 0;
    CHECK(engine.search(all).total == determinations);

    // Extraction is not perfect (the foundation targets 99.5% per field), so each count may be off
    // by a little; a facet or filter bug would be off by far more.
    const auto docs = all_documents(db);
    for (const auto& [drug, by_decision] : truth) {
        for (const auto& [decision, count] : by_decision) {
            imr::SearchRequest request;
            request.filters["drug"] = {drug};
            request.filters["decision"] = {decision};
            request.limit = 0;
            const auto got = engine.search(request).total;
            INFO("drug=" << drug << " decision=" << decision);
            CHECK(static_cast<double>(got) >= static_cast<double>(count) * 0.97 - 1);
            CHECK(static_cast<double>(got) <= static_cast<double>(count) * 1.03 + 1);
        }
        check_against_documents(engine, docs, drug, "Overturned");
    }
}

// Issue 18: ticking "cyclobenzaprine 118" gave 203 results. For every value of every facet on the
// sample letters, alone and beside another facet's selection, the count beside it is the total that
// ticking it gives, and the ticked value stays listed, marked, with that count; the command line
// agrees for every drug value.
TEST_CASE("sample letters: every facet value's count is the total that ticking it gives") {
    imr::test::TempDir tmp;
    const auto db = index_folder(tmp, imr::test::source_dir() / "data" / "samples" / "letters");
    const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Engine engine(db, lexicon);
    struct Context {
        const char* query;
        std::map<std::string, std::vector<std::string>> filters;
    };
    const Context contexts[] = {{"", {}}, {"", {{"decision", {"Upheld"}}}}, {"medically", {{"state", {"California"}}}}};
    std::size_t checked = 0, mismatched = 0;
    for (const auto& context : contexts) {
        imr::SearchRequest request;
        request.query = context.query;
        request.filters = context.filters;
        request.facet_limit = 100000;
        request.limit = 0;
        const auto base = engine.search(request);
        for (const imr::schema::Field* field : imr::schema::fields_with(imr::schema::kFilter | imr::schema::kFacet)) {
            const std::string name(field->name);
            if (context.filters.count(name)) continue;  // ticking would add to that selection
            for (const auto& [value, count] : facet_map(base, std::string(field->json))) {
                imr::SearchRequest ticked = request;
                ticked.filters[name] = {value};
                const auto r = engine.search(ticked);
                std::optional<std::uint64_t> shown;
                for (const auto& [facet, counts] : r.facets)
                    for (const auto& c : counts)
                        if (facet == field->json && c.value == value && c.selected) shown = c.count;
                ++checked;
                if (r.total == count && shown == count) continue;
                ++mismatched;
                INFO("query \"" << context.query << "\", --" << name << " \"" << value << "\": count " << count
                                << ", ticking it gives " << r.total << ", shown then " << (shown ? std::to_string(*shown) : "nothing"));
                CHECK(r.total == count);
                CHECK(shown == count);
            }
        }
    }
    MESSAGE(checked << " facet values checked, " << mismatched << " disagree");
    CHECK(checked > 200);

    // The command line: the same counts, each drug value given as --drug.
    const auto all = nlohmann::json::parse(
        run(quote(imr::test::search_bin()) + " --db " + quote(db) + " --format json --limit 0").out);
    std::size_t drugs = 0;
    for (const auto& entry : all["facets"]["drug"]) {
        const std::string value = entry["value"];
        const auto r = run(quote(imr::test::search_bin()) + " --db " + quote(db) + " --format json --limit 0 --drug " + quote(value));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        INFO("--drug " << value);
        CHECK(nlohmann::json::parse(r.out)["total"] == entry["count"]);
        ++drugs;
    }
    CHECK(drugs > 20);
}
