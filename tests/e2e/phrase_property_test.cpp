// The invariant of the query side: any run of 4 to 9 words copied from an indexed letter, searched as a phrase, finds that letter.
//
// Letters are indexed by the real imr-index (the project's samples, and a few hundred generated
// letters when ../shared is there). Runs are copied from the cleaned text each letter stores in
// its ordinal-0 document, within one indexed piece (the letter's text between two rationales, or
// an item's block as printed), exactly as a user would select them, quotes turned into spaces.
#include "engine.h"
#include "letter_codec.h"
#include "letter_json.h"
#include "lexicon.h"
#include "query_parser.h"
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <random>

namespace {

using imr::test::quote;
using imr::test::run;

// The pieces of a letter that the indexer posts as unbroken runs of positions (schema.h): the
// letter's text between rationales, and each item's block as printed (its rationale when the
// parser could not place the block).
std::vector<std::string> indexed_pieces(const imr::Letter& letter) {
    std::vector<std::pair<std::size_t, std::size_t>> rationales;
    std::vector<std::string> pieces;
    for (const auto& d : letter.determinations) {
        if (d.rationale.empty()) continue;
        rationales.emplace_back(d.rationale_offset, d.rationale_offset + d.rationale.size());
        if (d.printed.empty()) pieces.push_back(d.rationale);
        for (const auto& range : d.printed) pieces.push_back(letter.text.substr(range.begin, range.end - range.begin));
    }
    std::sort(rationales.begin(), rationales.end());
    std::size_t from = 0;
    for (const auto& [begin, end] : rationales) {
        if (begin > from) pieces.push_back(letter.text.substr(from, begin - from));
        from = std::max(from, end);
    }
    if (from < letter.text.size()) pieces.push_back(letter.text.substr(from));
    return pieces;
}

std::string as_typed(std::string run) {
    for (const char* q : {"\"", "\xE2\x80\x9C", "\xE2\x80\x9D"})
        for (std::size_t at; (at = run.find(q)) != std::string::npos;) run.replace(at, std::strlen(q), " ");
    return "\"" + run + "\"";
}

struct Outcome {
    std::size_t letters = 0, runs = 0;
    std::vector<std::string> failures;
};

// Checks `per_letter` random runs of every letter of the database; the first runs also go through the engine.
Outcome check_database(const std::filesystem::path& db_path, std::size_t per_letter, unsigned seed) {
    Outcome outcome;
    const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    const imr::Analyzer analyzer;
    const imr::QueryParser parser(analyzer, lexicon, nullptr);
    imr::Engine engine(db_path, lexicon);
    Xapian::Database db(db_path.string());
    Xapian::Enquire enquire(db);
    const imr::LetterCodec codec(db.get_metadata(std::string(imr::schema::kLetterDictionaryKey)));
    std::mt19937 rng(seed);

    for (auto t = db.allterms_begin(std::string(imr::schema::kDocId)); t != db.allterms_end(std::string(imr::schema::kDocId)); ++t) {
        const std::string term = *t;
        if (term.find('/') != std::string::npos) continue;  // letter documents only
        const auto letter_doc = db.get_document(*db.postlist_begin(term));
        const auto data = nlohmann::json::parse(imr::schema::document_data(letter_doc, imr::schema::stored_codec(db)));
        const imr::Letter letter = nlohmann::json::parse(codec.decompress(letter_doc.get_value(imr::schema::kSlotLetter))).get<imr::Letter>();
        const std::string letter_id = data["letter_id"];
        ++outcome.letters;

        std::vector<std::pair<std::string, std::vector<imr::Token>>> pieces;
        for (auto& piece : indexed_pieces(letter)) {
            auto tokens = analyzer.tokenize(piece);
            if (tokens.size() >= 4) pieces.emplace_back(std::move(piece), std::move(tokens));
        }
        if (pieces.empty()) continue;
        for (std::size_t k = 0; k < per_letter; ++k) {
            const auto& [text, tokens] = pieces[rng() % pieces.size()];
            const std::size_t length = std::min<std::size_t>(4 + rng() % 6, tokens.size());
            const std::size_t start = rng() % (tokens.size() - length + 1);
            const std::string query = as_typed(text.substr(tokens[start].begin, tokens[start + length - 1].end - tokens[start].begin));
            ++outcome.runs;
            const imr::ParsedQuery parsed = parser.parse(query);
            enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, parsed.ranking,
                                            Xapian::Query(std::string(imr::schema::kLetterId) + letter_id)));
            const bool found = enquire.get_mset(0, 1).size() == 1;
            if (!found) outcome.failures.push_back(letter.source + ": " + query);
            if (found && k == 0) {
                imr::SearchRequest request;
                request.query = query;
                request.limit = 0;
                if (engine.search(request).total == 0) outcome.failures.push_back(letter.source + " (engine): " + query);
            }
        }
    }
    return outcome;
}

std::filesystem::path index_folder(const imr::test::TempDir& tmp, const std::filesystem::path& folder) {
    const auto db = tmp.path() / "phrases.db";
    const auto r = run(quote(imr::test::index_bin()) + " --quiet --db " + quote(db) + " " + quote(folder));
    REQUIRE_MESSAGE(r.exit_code <= 1, r.err);
    return db;
}

void report(const Outcome& o) {
    MESSAGE(o.runs << " phrases from " << o.letters << " letters, " << o.failures.size() << " not found");
    for (std::size_t i = 0; i < o.failures.size() && i < 20; ++i) MESSAGE(o.failures[i]);
    CHECK(o.runs > 0);
    CHECK(o.failures.empty());
}

}  // namespace

TEST_CASE("phrases copied from the sample letters find their letter") {
    imr::test::TempDir tmp;
    const auto db = index_folder(tmp, imr::test::source_dir() / "data" / "samples" / "letters");
    const auto outcome = check_database(db, 30, 1);
    CHECK(outcome.letters >= 30);
    report(outcome);
}

TEST_CASE("phrases copied from generated letters find their letter") {
    if (!imr::test::have_shared()) {
        MESSAGE("skipped: " << imr::test::shared_dir() << " is missing");
        return;
    }
    imr::test::TempDir tmp;
    const auto r = run("python3 " + quote(imr::test::shared_dir() / "corpus" / "synth_letters.py") + " " +
                       quote(tmp.path() / "corpus") + " -n 300 --seed 11");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto db = index_folder(tmp, tmp.path() / "corpus" / "0000");
    const auto outcome = check_database(db, 5, 2);
    CHECK(outcome.letters >= 290);
    report(outcome);
}
