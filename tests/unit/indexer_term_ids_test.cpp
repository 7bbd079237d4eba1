// Unit tests of TermIds: first-seen ids, loading an existing database, writing only what is new.
#include "term_ids.h"

#include "test_support.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ts = imr::token_stream;

namespace {

std::map<std::string, std::string> stored_ids(const Xapian::Database& db) {
    std::map<std::string, std::string> out;
    for (auto k = db.metadata_keys_begin("t:"); k != db.metadata_keys_end("t:"); ++k) out[*k] = db.get_metadata(*k);
    return out;
}

// The ids a thread's cache gives `terms`, in order.
std::vector<ts::TermId> ids_of(imr::TermIds::Cache& cache, const std::vector<std::string>& terms) {
    std::vector<ts::TermId> out;
    for (const auto& term : terms) out.push_back(cache.id_of(term).id);
    return out;
}

}  // namespace

TEST_CASE("TermIds: ids by first sight, kept across runs") {
    imr::test::TempDir dir;  // the in-memory backend cannot list metadata keys
    Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
    imr::TermIds ids;
    ids.load(db);
    SUBCASE("new words get the next ids, known words keep theirs") {
        CHECK(ids.assign({"soma", "was", "denied"}) == std::vector<ts::TermId>{1, 2, 3});
        CHECK(ids.assign({"denied", "tramadol", "soma"}) == std::vector<ts::TermId>{3, 4, 1});
        CHECK(ids.size() == 4);
    }
    SUBCASE("write_new writes each id once") {
        ids.assign({"soma", "was"});
        ids.write_new(db);
        CHECK(stored_ids(db) == std::map<std::string, std::string>{{"t:soma", "1"}, {"t:was", "2"}});
        db.set_metadata("t:soma", "");  // would come back if written again
        ids.assign({"soma", "denied"});
        ids.write_new(db);
        CHECK(stored_ids(db) == std::map<std::string, std::string>{{"t:denied", "3"}, {"t:was", "2"}});
    }
    SUBCASE("a second run goes on from the ids in the database") {
        ids.assign({"soma", "was"});
        ids.write_new(db);
        imr::TermIds next;
        next.load(db);
        CHECK(next.size() == 2);
        CHECK(next.assign({"was", "denied"}) == std::vector<ts::TermId>{2, 3});
    }
    SUBCASE("ids out of sequence are refused, naming the word") {
        db.set_metadata("t:soma", "1");
        db.set_metadata("t:was", "5");
        CHECK_THROWS_WITH_AS(ids.load(db), "term id 5 of 'was' is out of sequence", imr::TermIdError);
    }
    SUBCASE("threads assigning at once never give one id twice") {
        std::vector<std::vector<ts::TermId>> got(2);
        std::vector<std::vector<std::string>> words(2);
        for (int i = 0; i < 2000; ++i) words[static_cast<std::size_t>(i % 2)].push_back("w" + std::to_string(i / 2) + (i % 2 ? "b" : "a"));
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < 2; ++t)
            threads.emplace_back([&, t] {
                for (const auto& w : words[t]) got[t].push_back(ids.assign({w}).front());
            });
        for (auto& th : threads) th.join();
        std::vector<ts::TermId> all = got[0];
        all.insert(all.end(), got[1].begin(), got[1].end());
        std::sort(all.begin(), all.end());
        CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
        CHECK(all.front() == 1);
        CHECK(all.back() == 2000);
    }
    SUBCASE("a thread's cache gives the shared ids, and sees the ids other threads gave") {
        imr::TermIds::Cache first(ids), second(ids);
        CHECK(ids_of(first, {"soma", "was"}) == std::vector<ts::TermId>{1, 2});
        CHECK(ids_of(second, {"was", "denied"}) == std::vector<ts::TermId>{2, 3});
        CHECK(ids_of(first, {"denied", "soma", "new"}) == std::vector<ts::TermId>{3, 1, 4});
        CHECK(ids.assign({"new"}) == std::vector<ts::TermId>{4});
        ids.write_new(db);
        CHECK(stored_ids(db).size() == 4);
    }
    SUBCASE("caches on two threads never give one id twice") {
        std::vector<std::vector<ts::TermId>> got(2);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < 2; ++t)
            threads.emplace_back([&, t] {
                imr::TermIds::Cache cache(ids);
                for (int i = 0; i < 1000; ++i) {
                    const std::string shared = "s" + std::to_string(i), own = "w" + std::to_string(i) + (t ? "b" : "a");
                    for (auto id : ids_of(cache, {shared, own})) got[t].push_back(id);
                }
            });
        for (auto& th : threads) th.join();
        CHECK(ids.size() == 3000);
        imr::TermIds::Cache check(ids);
        for (int i = 0; i < 1000; ++i) {
            const auto both = ids_of(check, {"s" + std::to_string(i), "w" + std::to_string(i) + "a", "w" + std::to_string(i) + "b"});
            CHECK(got[0][2 * static_cast<std::size_t>(i)] == both[0]);
            CHECK(got[1][2 * static_cast<std::size_t>(i)] == both[0]);
            CHECK(got[0][2 * static_cast<std::size_t>(i) + 1] == both[1]);
            CHECK(got[1][2 * static_cast<std::size_t>(i) + 1] == both[2]);
        }
    }
    SUBCASE("a cache grown past its first table finds every word again, with the shared copy of it") {
        imr::TermIds::Cache cache(ids);
        std::vector<std::string> words;
        for (int i = 0; i < 20000; ++i) words.push_back("word" + std::to_string(i));
        words.push_back("");
        words.push_back("a-word-longer-than-sixteen-bytes");
        for (std::size_t i = 0; i < words.size(); ++i) CHECK(cache.id_of(words[i]).id == i + 1);
        imr::TermIds::Cache fresh(ids);
        for (std::size_t i = 0; i < words.size(); ++i) {
            const auto again = cache.id_of(words[i]);
            const auto shared = fresh.id_of(words[i]);
            CHECK(again.id == i + 1);
            CHECK(again.term == words[i]);
            CHECK(again.term.data() == shared.term.data());  // one stored copy, not the caller's string
            CHECK(again.term.data() != words[i].data());
        }
        CHECK(ids.size() == words.size());
    }
}
