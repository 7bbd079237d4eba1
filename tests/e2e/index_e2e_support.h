// Helpers for the imr-index end-to-end tests: generated corpora, running the binary, reading the index.
#pragma once

#include "schema.h"
#include "token_stream.h"
#include "test_support.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <filesystem>
#include <algorithm>
#include <map>
#include <vector>
#include <string>

namespace imr::test {

// Writes `count` synthetic letters (and truth.jsonl) with the shared generator; false when the
// shared folder is missing, in which case the caller skips itself.
inline bool generate_corpus(const std::filesystem::path& dir, int count, int seed = 7) {
    if (!have_shared()) return false;
    auto r = run("python3 " + quote(shared_dir() / "corpus" / "synth_letters.py") + " " + quote(dir) + " -n " +
                 std::to_string(count) + " --seed " + std::to_string(seed) + " >/dev/null");
    return r.exit_code == 0;
}

// letter file path (as imr-index names it) -> number of determinations, from truth.jsonl.
inline std::map<std::string, int> truth_determinations(const std::filesystem::path& corpus) {
    std::map<std::string, int> out;
    std::ifstream in(corpus / "truth.jsonl");
    const auto root = std::filesystem::canonical(corpus);
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        out[(root / j["file"].get<std::string>()).string()] = static_cast<int>(j["items"].size());
    }
    return out;
}

inline RunResult index(const std::filesystem::path& db, const std::string& args) {
    return run(quote(index_bin()) + " --db " + quote(db) + " " + args);
}

// The documents holding `term` that are not dead (schema.h): the ones a search can find.
inline std::vector<Xapian::docid> live_postings(const Xapian::Database& db, const std::string& term) {
    const std::vector<char> dead = schema::dead_docids(db);
    std::vector<Xapian::docid> out;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
        if (!schema::is_dead(dead, *it)) out.push_back(*it);
    return out;
}

// Every live letter of the database with its number of determination documents, checking that each
// document's Q term is unique, that ordinals run 0..n-1 and that each letter has one letter document.
struct IndexCensus {
    std::map<std::string, int> documents_per_file;
    int duplicate_ids = 0;
    int bad_ordinals = 0;
    int letters_without_letter_document = 0;
    // Token streams: words whose id no "t:" key defines, and words that are not a term of their
    // own document (a stream written with another run's ids would show here).
    int undefined_term_ids = 0;
    int stream_words_not_in_document = 0;
    int documents_without_stream = 0;  // or with a stream in the other kind's slot
};

inline IndexCensus census(const std::filesystem::path& db_path) {
    Xapian::Database db(db_path.string());
    const LetterCodec codec = schema::stored_codec(db);
    IndexCensus c;
    std::map<std::string, std::pair<std::string, int>> letters;  // letter id -> (file, documents)
    std::map<token_stream::TermId, std::string> words;
    const std::string id_prefix = token_stream::term_id_key("");
    for (auto k = db.metadata_keys_begin(id_prefix); k != db.metadata_keys_end(id_prefix); ++k)
        words[*token_stream::parse_term_id(db.get_metadata(*k))] = (*k).substr(id_prefix.size());
    const std::vector<char> dead = schema::dead_docids(db);
    // Word -> the documents holding it, read once: the database keeps no termlists (schema.h).
    std::map<std::string, std::vector<Xapian::docid>> postings;
    auto holds = [&](const std::string& word, Xapian::docid did) {
        auto [it, added] = postings.try_emplace(word);
        if (added)
            for (auto p = db.postlist_begin(word); p != db.postlist_end(word); ++p) it->second.push_back(*p);
        return std::binary_search(it->second.begin(), it->second.end(), did);
    };
    auto live_count = [&](const std::string& term) { return live_postings(db, term).size(); };
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        if (schema::is_dead(dead, *it)) continue;
        auto doc = db.get_document(*it);
        const bool letter_document = !nlohmann::json::parse(schema::document_data(doc, codec)).contains("ordinal");
        const std::string stream = doc.get_value(letter_document ? schema::kSlotLetterTokens : schema::kSlotTokens);
        if (!doc.get_value(letter_document ? schema::kSlotTokens : schema::kSlotLetterTokens).empty()) ++c.documents_without_stream;
        if (stream.empty()) ++c.documents_without_stream;
        token_stream::scan(stream, [&](Xapian::termpos, token_stream::TermId id) {
            auto word = words.find(id);
            if (word == words.end()) {
                ++c.undefined_term_ids;
            } else if (!holds(word->second, *it)) {
                ++c.stream_words_not_in_document;
            }
            return false;
        });
        auto data = nlohmann::json::parse(schema::document_data(doc, codec));
        const std::string id = data["letter_id"];
        if (!data.contains("ordinal")) {
            if (live_count(schema::letter_doc_term(id)) != 1) ++c.duplicate_ids;
            continue;
        }
        const int ordinal = data["ordinal"];
        if (live_count(schema::doc_id_term(id, ordinal)) != 1) ++c.duplicate_ids;
        if (ordinal < 0 || ordinal >= data["determinations"].get<int>()) ++c.bad_ordinals;
        auto& entry = letters[id];
        entry.first = data["file"];
        ++entry.second;
    }
    for (const auto& [id, entry] : letters) {
        c.documents_per_file[entry.first] = entry.second;
        if (live_count(schema::letter_doc_term(id)) != 1) ++c.letters_without_letter_document;
    }
    return c;
}

}  // namespace imr::test
