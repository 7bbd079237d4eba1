// End-to-end tests of imr-index on letter corpora: documents, terms, values, incremental runs, --prune, kill -9.
#include "index_e2e_support.h"
#include "letter_codec.h"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <set>
#include <sstream>
#include <thread>

using namespace imr::test;
namespace schema = imr::schema;

namespace {

std::string letter_id(const std::string& path) { return schema::letter_id_for_path(path); }

// The letter's live letter document.
Xapian::Document letter_document(const Xapian::Database& db, const std::string& path) {
    const auto live = live_postings(db, schema::letter_doc_term(letter_id(path)));
    REQUIRE_MESSAGE(live.size() == 1, path);
    return db.get_document(live.front());
}

// Live documents of a letter: its letter document and its determinations.
std::size_t live_documents(const std::filesystem::path& db_path, const std::string& path) {
    return live_postings(Xapian::Database(db_path.string()), "XL" + letter_id(path)).size();
}

}  // namespace

TEST_CASE("imr-index on a generated corpus: every determination once, with its facts") {
    TempDir dir;
    if (!generate_corpus(dir / "corpus", 300)) {
        MESSAGE("shared generator missing: skipped");
        return;
    }
    auto r = index(dir / "db", quote(dir / "corpus"));
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    const auto truth = truth_determinations(dir / "corpus");
    int determinations = 0;
    for (const auto& [file, n] : truth) determinations += n;
    CHECK(r.out.rfind("indexed 300, unchanged 0, removed 0, rejected 0, determinations " + std::to_string(determinations) + ", ", 0) == 0);

    const auto c = census(dir / "db");
    CHECK(c.duplicate_ids == 0);
    CHECK(c.undefined_term_ids == 0);
    CHECK(c.stream_words_not_in_document == 0);
    CHECK(c.documents_without_stream == 0);
    CHECK(c.bad_ordinals == 0);
    CHECK(c.letters_without_letter_document == 0);
    CHECK(c.documents_per_file == truth);

    // Facts of each letter against the generator's truth, through terms and values.
    Xapian::Database db((dir / "db").string());
    // A first build of this many letters trains a dictionary for the stored letters.
    const std::string dictionary = db.get_metadata(std::string(schema::kLetterDictionaryKey));
    CHECK_FALSE(dictionary.empty());
    const imr::LetterCodec codec(dictionary);
    std::ifstream in(dir / "corpus" / "truth.jsonl");
    const auto root = std::filesystem::canonical(dir / "corpus");
    int letters = 0, facts = 0, wrong = 0;
    for (std::string line; std::getline(in, line); ++letters) {
        auto t = nlohmann::json::parse(line);
        const std::string path = (root / t["file"].get<std::string>()).string();
        const std::string id = letter_id(path);
        auto check = [&](bool ok, const std::string& what) {
            ++facts;
            if (!ok) {
                ++wrong;
                MESSAGE(path << ": " << what);
            }
        };
        for (std::size_t i = 0; i < t["items"].size(); ++i) {
            const auto& item = t["items"][i];
            const auto term = schema::doc_id_term(id, static_cast<int>(i));
            auto it = db.postlist_begin(term);
            REQUIRE(it != db.postlist_end(term));
            const Xapian::docid docid = *it;
            auto has = [&](const std::string& field_term) {
                auto p = db.postlist_begin(field_term);
                p.skip_to(docid);
                return p != db.postlist_end(field_term) && *p == docid;
            };
            check(has(schema::field_term(schema::kDecision, item["decision"].get<std::string>())), "decision");
            if (item["drug"].is_string()) check(has(schema::field_term(schema::kDrug, item["drug"].get<std::string>())), "drug");
            check(has(schema::field_term(schema::kCategory, item["category"].get<std::string>())), "category");
            check(has(std::string(schema::kLetterId) + id), "letter term");
            auto doc = db.get_document(docid);
            check(doc.get_value(schema::kSlotLetterId) == id, "letter id value");
            check(Xapian::sortable_unserialise(doc.get_value(schema::kSlotOrdinal)) == static_cast<double>(i), "ordinal value");
            if (t["age"].is_number()) check(Xapian::sortable_unserialise(doc.get_value(schema::kSlotAge)) == t["age"].get<double>(), "age");
            if (t["injury_date"].is_string()) {
                std::string iso = t["injury_date"];
                const double ymd = std::stod(iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2));
                check(Xapian::sortable_unserialise(doc.get_value(schema::kSlotInjuryDate)) == ymd, "injury date");
            }
            for (const auto& s : t["specialties"]) check(has(schema::field_term(schema::kSpecialty, s.get<std::string>())), "specialty");
            for (const auto& s : t["states"]) check(has(schema::field_term(schema::kState, s.get<std::string>())), "state");
        }
        check(letter_document(db, path).get_value(schema::kSlotContentHash) == schema::hash_hex(read_file(path)), "content hash");
        const auto letter_doc = letter_document(db, path);
        auto data = nlohmann::json::parse(schema::document_data(letter_doc, schema::stored_codec(db)));
        const auto stored = nlohmann::json::parse(codec.decompress(letter_doc.get_value(schema::kSlotLetter)));
        check(data["file"] == path && stored["source"] == path && !stored["text"].get<std::string>().empty(), "stored letter");
    }
    CHECK(letters == 300);
    // The parser's own accuracy is tested elsewhere (>= 99.5% a field); here the facts must arrive.
    CHECK_MESSAGE(wrong * 200 <= facts, wrong << " of " << facts << " facts wrong");
    CHECK(std::system(("xapian-check " + quote(dir / "db") + " >/dev/null").c_str()) == 0);

    SUBCASE("brand and generic names are synonyms") {
        std::vector<std::string> soma(db.synonyms_begin("soma"), db.synonyms_end("soma"));
        CHECK(std::find(soma.begin(), soma.end(), "carisoprodol") != soma.end());
        std::vector<std::string> generic(db.synonyms_begin("carisoprodol"), db.synonyms_end("carisoprodol"));
        CHECK(std::find(generic.begin(), generic.end(), "soma") != generic.end());
    }
    SUBCASE("the spelling dictionary knows the letters' words") {
        CHECK(db.get_spelling_suggestion("carisoprodl") == "carisoprodol");
    }
}

TEST_CASE("imr-index runs again: unchanged, modified, new, removed files") {
    TempDir dir;
    if (!generate_corpus(dir / "corpus", 40)) {
        MESSAGE("shared generator missing: skipped");
        return;
    }
    const auto db_path = dir / "db";
    REQUIRE(index(db_path, quote(dir / "corpus")).exit_code == 0);
    const auto revision = Xapian::Database(db_path.string()).get_revision();
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::canonical(dir / "corpus")))
        if (e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() == 40);

    SUBCASE("a second run over an unchanged corpus changes nothing") {
        auto r = index(db_path, quote(dir / "corpus"));
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("indexed 0, unchanged 40, removed 0, rejected 0, determinations 0, ", 0) == 0);
        CHECK(Xapian::Database(db_path.string()).get_revision() == revision);
    }
    SUBCASE("a modified file is replaced, its old text gone") {
        // A letter of the common layout: a sentence is added to its case summary.
        auto with_summary = std::find_if(files.begin(), files.end(), [](const auto& f) {
            return read_file(f).find("CLINICAL CASE SUMMARY") != std::string::npos;
        });
        REQUIRE(with_summary != files.end());
        const auto path = with_summary->string();
        std::string text = read_file(path);
        const auto at = text.find("CLINICAL CASE SUMMARY");
        text.insert(text.find('\n', at) + 1, "Zymurgically unusual wording appears here.\n");
        write_file(path, text);
        auto r = index(db_path, quote(dir / "corpus"));
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("indexed 1, unchanged 39, removed 0, rejected 0, ", 0) == 0);
        Xapian::Database db(db_path.string());
        CHECK(db.get_revision() > revision);
        CHECK(live_postings(db, "zymurgically").size() >= 1);
        CHECK(letter_document(db, path).get_value(schema::kSlotContentHash) == schema::hash_hex(text));
        // The old version's documents are dead: one range, recorded in the commit that added the new ones.
        const auto dead = schema::dead_ranges(db);
        REQUIRE(dead.size() == 1);
        const auto all = db.postlist_begin("XL" + letter_id(path));
        CHECK(dead.front().first == *all);
        CHECK(live_documents(db_path, path) == db.get_termfreq("XL" + letter_id(path)) - (dead.front().last - dead.front().first + 1));
        const auto c = census(db_path);
        CHECK(c.duplicate_ids == 0);
        CHECK(c.undefined_term_ids == 0);
        CHECK(c.stream_words_not_in_document == 0);
        CHECK(c.documents_without_stream == 0);
        CHECK(c.documents_per_file == truth_determinations(dir / "corpus"));
    }
    SUBCASE("a file that turns into junk loses its documents") {
        const auto path = files[5].string();
        write_file(path, "");
        auto r = index(db_path, quote(dir / "corpus"));
        CHECK(r.exit_code == 1);
        CHECK(r.err == path + ": empty file\n");
        CHECK(r.out.rfind("indexed 0, unchanged 39, removed 1, rejected 1, ", 0) == 0);
        CHECK(live_documents(db_path, path) == 0);
    }
    SUBCASE("--prune removes letters whose files are gone, and only those") {
        std::filesystem::remove(files[0]);
        std::filesystem::remove(files[1]);
        auto without = index(db_path, quote(dir / "corpus"));
        CHECK(without.out.rfind("indexed 0, unchanged 38, removed 0, rejected 0, ", 0) == 0);
        CHECK(live_documents(db_path, files[0].string()) >= 1);

        // Letters indexed from elsewhere stay: their files still exist.
        TempDir other;
        write_file(other / "extra.txt", read_file(files[2]));
        REQUIRE(index(db_path, quote(other / "extra.txt")).exit_code == 0);

        auto r = index(db_path, "--prune " + quote(dir / "corpus"));
        CHECK(r.exit_code == 0);
        CHECK(r.out.rfind("indexed 0, unchanged 38, removed 2, rejected 0, ", 0) == 0);
        CHECK(live_documents(db_path, files[0].string()) == 0);
        CHECK(live_documents(db_path, files[1].string()) == 0);
        CHECK(live_documents(db_path, std::filesystem::canonical(other / "extra.txt").string()) >= 1);
        CHECK(schema::dead_ranges(Xapian::Database(db_path.string())).size() == 2);
        auto again = index(db_path, "--prune " + quote(dir / "corpus"));
        CHECK(again.out.rfind("indexed 0, unchanged 38, removed 0, rejected 0, ", 0) == 0);
    }
}

TEST_CASE("imr-index killed with SIGKILL: the database checks clean and the next run completes") {
    TempDir dir;
    if (!generate_corpus(dir / "corpus", 600, 11)) {
        MESSAGE("shared generator missing: skipped");
        return;
    }
    const auto db_path = dir / "db";
    const auto truth = truth_determinations(dir / "corpus");
    // Kill at several moments: before the first commit, and after a few.
    for (int commits_before_kill : {0, 1, 3}) {
        CAPTURE(commits_before_kill);
        auto started = run(quote(index_bin()) + " --quiet --batch 40 --db " + quote(db_path) + " " + quote(dir / "corpus") +
                           " >/dev/null 2>&1 & echo $!");
        const pid_t pid = std::stoi(started.out);
        // Wait until the wanted number of batches is committed while a reader watches.
        Xapian::rev start_revision = 0;
        if (std::filesystem::exists(db_path)) start_revision = Xapian::Database(db_path.string()).get_revision();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        Xapian::doccount seen = 0;
        bool opened = std::filesystem::exists(db_path);
        while (std::chrono::steady_clock::now() < deadline) {
            try {
                Xapian::Database reader(db_path.string());
                opened = true;
                CHECK(reader.get_doccount() >= seen);  // a reader never sees documents vanish
                seen = reader.get_doccount();
                if (reader.get_revision() >= start_revision + static_cast<Xapian::rev>(commits_before_kill)) break;
            } catch (const Xapian::DatabaseError& e) {
                // Until the writer has created the database, Xapian may find no files or a version
                // file still being written; once a reader has opened it, every open must succeed.
                if (opened) FAIL("a reader could not open the database: " << e.get_description());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ::kill(pid, SIGKILL);
        run("while kill -0 " + std::to_string(pid) + " 2>/dev/null; do sleep 0.05; done");
        if (std::filesystem::exists(db_path)) {
            auto check = run("xapian-check " + quote(db_path));
            CHECK_MESSAGE(check.exit_code == 0, check.out << check.err);
        }
    }
    auto r = index(db_path, quote(dir / "corpus"));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    auto check = run("xapian-check " + quote(db_path));
    CHECK_MESSAGE(check.exit_code == 0, check.out << check.err);
    const auto c = census(db_path);
    CHECK(c.duplicate_ids == 0);
    CHECK(c.undefined_term_ids == 0);
    CHECK(c.stream_words_not_in_document == 0);
    CHECK(c.documents_without_stream == 0);
    CHECK(c.bad_ordinals == 0);
    CHECK(c.letters_without_letter_document == 0);
    CHECK(c.documents_per_file == truth);
}

TEST_CASE("imr-index --writers 2 --shard-files 30: many shards merged into the same index one writer builds") {
    TempDir dir;
    if (!generate_corpus(dir / "corpus", 200, 5)) {
        MESSAGE("shared generator missing: skipped");
        return;
    }
    // A few files that are not letters, so rejections come from both shards.
    write_file(dir / "corpus" / "zz-empty-1.txt", "");
    write_file(dir / "corpus" / "zz-empty-2.txt", "   \n");
    auto one = index(dir / "one", "--writers 1 " + quote(dir / "corpus"));
    // 202 files: the two writers fill six or more shards of up to 30 files.
    auto two = index(dir / "two", "--writers 2 --shard-files 30 " + quote(dir / "corpus"));
    REQUIRE(one.exit_code == 1);
    REQUIRE(two.exit_code == 1);
    // Same summary apart from the seconds, same rejected files.
    CHECK(one.out.substr(0, one.out.rfind(", ")) == two.out.substr(0, two.out.rfind(", ")));
    auto lines = [](const std::string& text) {
        std::multiset<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) out.insert(line);
        return out;
    };
    CHECK(lines(one.err) == lines(two.err));
    CHECK(lines(two.err).size() == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "two.shards-tmp"));
    const auto check = run("xapian-check " + quote(dir / "two"));
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("postlist:\nblocksize=64K ") != std::string::npos);  // the merge keeps 64 KB blocks
    CHECK(check.out.find("termlist:\nNot present.") != std::string::npos);

    Xapian::Database a((dir / "one").string()), b((dir / "two").string());
    CHECK(a.get_doccount() == b.get_doccount());
    CHECK(a.get_total_length() == b.get_total_length());
    CHECK(census(dir / "one").documents_per_file == census(dir / "two").documents_per_file);
    CHECK(census(dir / "two").bad_ordinals == 0);
    for (const char* term : {"pain", "carisoprodol", "XDECoverturned", "XSPECpain management"}) {
        CAPTURE(term);
        CHECK(a.get_termfreq(term) == b.get_termfreq(term));
        CHECK(a.get_collection_freq(term) == b.get_collection_freq(term));
    }
    CHECK(b.get_spelling_suggestion("carisoprodl") == "carisoprodol");
    std::vector<std::string> soma(b.synonyms_begin("soma"), b.synonyms_end("soma"));
    CHECK(std::find(soma.begin(), soma.end(), "carisoprodol") != soma.end());
    // A letter's documents stay consecutive: the letter document, then its determinations.
    const auto root = std::filesystem::canonical(dir / "corpus");
    for (const auto& [file, n] : census(dir / "two").documents_per_file) {
        const std::string id = letter_id(file);
        auto letter = b.postlist_begin(schema::letter_doc_term(id));
        auto first = b.postlist_begin(schema::doc_id_term(id, 0));
        auto last = b.postlist_begin(schema::doc_id_term(id, n - 1));
        CHECK(*first - *letter == 1);
        CHECK(*last - *first == static_cast<Xapian::docid>(n - 1));
    }

    SUBCASE("a second run over the merged database changes nothing") {
        const auto revision = b.get_revision();
        auto again = index(dir / "two", "--writers 2 " + quote(dir / "corpus"));
        CHECK(again.out.rfind("indexed 0, unchanged 200, removed 0, rejected 2, ", 0) == 0);
        CHECK(Xapian::Database((dir / "two").string()).get_revision() == revision);
    }
}

TEST_CASE("imr-index --writers 2 killed with SIGKILL: an empty valid database, and the next run completes") {
    TempDir dir;
    if (!generate_corpus(dir / "corpus", 400, 13)) {
        MESSAGE("shared generator missing: skipped");
        return;
    }
    const auto db_path = dir / "db";
    auto started = run(quote(index_bin()) + " --quiet --writers 2 --batch 20 --db " + quote(db_path) + " " +
                       quote(dir / "corpus") + " >/dev/null 2>&1 & echo $!");
    const pid_t pid = std::stoi(started.out);
    // Wait until the first shard has committed a batch.
    const auto shard = dir / "db.shards-tmp" / "shard-0-0";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (Xapian::Database(shard.string()).get_doccount() > 0) break;
        } catch (const Xapian::Error&) {
            // not created yet
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid, SIGKILL);
    run("while kill -0 " + std::to_string(pid) + " 2>/dev/null; do sleep 0.05; done");
    auto check = run("xapian-check " + quote(db_path));
    CHECK_MESSAGE(check.exit_code == 0, check.out << check.err);
    CHECK(Xapian::Database(db_path.string()).get_doccount() == 0);

    auto r = index(db_path, "--writers 2 " + quote(dir / "corpus"));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK_FALSE(std::filesystem::exists(dir / "db.shards-tmp"));
    const auto c = census(db_path);
    CHECK(c.duplicate_ids == 0);
    CHECK(c.undefined_term_ids == 0);
    CHECK(c.stream_words_not_in_document == 0);
    CHECK(c.documents_without_stream == 0);
    CHECK(c.documents_per_file == truth_determinations(dir / "corpus"));
}

TEST_CASE("imr-index on the project's sample letters") {
    const auto samples = source_dir() / "data" / "samples";
    if (!std::filesystem::exists(samples / "expected.jsonl")) {
        MESSAGE("data/samples not there yet: skipped");
        return;
    }
    TempDir dir;
    auto r = index(dir / "db", quote(samples));
    CHECK(r.exit_code <= 1);
    std::ifstream in(samples / "expected.jsonl");
    Xapian::Database db((dir / "db").string());
    const auto root = std::filesystem::canonical(samples);
    int letters = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        auto e = nlohmann::json::parse(line);
        if (!e.contains("file")) continue;
        const std::string path = (root / e["file"].get<std::string>()).string();
        ++letters;
        const auto id = letter_id(path);
        // The letter document and its determinations.
        CHECK_MESSAGE(db.get_termfreq("XL" + id) == 1 + std::max<std::size_t>(1, e["determinations"].size()), path);
        for (std::size_t i = 0; i < e["determinations"].size(); ++i) {
            const auto& d = e["determinations"][i];
            const auto q = schema::doc_id_term(id, static_cast<int>(i));
            auto it = db.postlist_begin(q);
            CHECK_MESSAGE(it != db.postlist_end(q), path << " #" << i);
            if (it == db.postlist_end(q)) continue;
            const auto docid = *it;
            auto has = [&](const std::string& term) {
                auto p = db.postlist_begin(term);
                p.skip_to(docid);
                return p != db.postlist_end(term) && *p == docid;
            };
            CHECK_MESSAGE(has(schema::field_term(schema::kDecision, d["decision"].get<std::string>())), path << " #" << i);
            if (d["drug"].is_string())
                CHECK_MESSAGE(has(schema::field_term(schema::kDrug, d["drug"].get<std::string>())), path << " #" << i);
        }
    }
    CHECK(letters >= 30);
}
