// imr::weighted_terms and imr::rank_by_relevance: which terms weigh, and BM25 of own text plus letter text.
#include "engine_fixture.h"
#include "facet_columns.h"
#include "ranker.h"

#include <doctest/doctest.h>

#include <cmath>
#include <map>

namespace {

using Q = Xapian::Query;

std::string joined(const std::vector<std::string>& terms) {
    std::string out;
    for (const auto& t : terms) out += (out.empty() ? "" : " ") + t;
    return out;
}

// Two letters: in the first, the summary says "spasm" and so does the rationale of its first
// determination, twice; the second letter never says it.
std::vector<imr::test::LetterSpec> two_letters() {
    std::vector<imr::test::LetterSpec> letters(2);
    letters[0].file = "/r/a.txt";
    letters[0].summary = "The injured worker reports muscle spasm of the low back.";
    letters[0].items = {
        {"Tizanidine 4mg #60", imr::Outcome::Upheld, std::nullopt, "medication", {},
         "Spasm persists; tizanidine is not indicated for chronic spasm."},
        {"Physical therapy x 6", imr::Outcome::Overturned, std::nullopt, "physical therapy", {},
         "A short course of therapy is supported."},
    };
    letters[1].file = "/r/b.txt";
    letters[1].summary = "The patient has neck pain after a fall.";
    letters[1].items = {{"MRI cervical spine", imr::Outcome::Upheld, std::nullopt, "diagnostic imaging", {},
                         "There are no red flags, so imaging is not indicated."}};
    return letters;
}

// Letters indexed, their revision's columns, and every live determination.
struct Indexed {
    imr::test::TestIndex index;
    Xapian::Database db;
    imr::FacetColumns cols;
    std::vector<Xapian::docid> all;
    explicit Indexed(const std::vector<imr::test::LetterSpec>& letters) {
        index.add(letters);
        db = Xapian::Database(index.path().string());
        cols = imr::build_facet_columns(db);
        for (Xapian::docid d = 1; d <= cols.last_docid; ++d)
            if (cols.live(d)) all.push_back(d);
    }
};

}  // namespace

TEST_CASE("weighted_terms: text terms on the positive side only") {
    struct Case {
        const char* name;
        Q query;
        const char* terms;
    };
    const std::vector<Q> chronic_pain{Q("chronic"), Q("pain")};
    const Case cases[] = {
        {"one word", Q("spasm"), "spasm"},
        {"a phrase weighs its words", Q(Q::OP_PHRASE, chronic_pain.begin(), chronic_pain.end()), "chronic pain"},
        {"the negated side of AND_NOT does not weigh", Q(Q::OP_AND_NOT, Q("pain"), Q("surgery")), "pain"},
        {"filters do not weigh", Q(Q::OP_FILTER, Q("soma"), Q("XDECupheld")), "soma"},
        {"field terms do not weigh", Q(Q::OP_OR, Q("XDRUGcarisoprodol"), Q("soma")), "soma"},
        {"scaled field searches do not weigh", Q(Q::OP_SCALE_WEIGHT, Q("soma"), 0.0), ""},
        {"synonyms weigh each name, once", Q(Q::OP_OR, Q(Q::OP_SYNONYM, Q("soma"), Q("carisoprodol")), Q("soma")),
         "carisoprodol soma"},
        {"value ranges do not weigh", Q(Q::OP_VALUE_RANGE, 1, "a", "b"), ""},
        {"identity terms do not weigh", Q("Q0123456789abcdef/0"), ""},
        {"numbers and compounds weigh", Q(Q::OP_AND, Q("10/325"), Q("#60")), "#60 10/325"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(joined(imr::weighted_terms(c.query)) == c.terms); }
    }
}

TEST_CASE("rank_by_relevance: own text and the letter's shared text both count") {
    imr::test::TestIndex index;
    index.add(two_letters());
    Xapian::Database db(index.path().string());
    const imr::FacetColumns cols = imr::build_facet_columns(db);
    auto docid = [&](const std::string& file, int ordinal) {
        const std::string term = imr::schema::doc_id_term(imr::test::letter_id(file), ordinal);
        return *db.postlist_begin(term);
    };
    const Xapian::docid a0 = docid("/r/a.txt", 0), a1 = docid("/r/a.txt", 1), b0 = docid("/r/b.txt", 0);
    const std::vector<Xapian::docid> all{a0, a1, b0};

    SUBCASE("the determination whose own text also matches comes first; its sibling still scores") {
        const auto ranked = imr::rank_by_relevance(db, cols, Q("spasm"), all, false, 0, 10);
        REQUIRE(ranked.size() == 3);
        CHECK(ranked[0].did == a0);
        CHECK(ranked[1].did == a1);
        CHECK(ranked[0].score > ranked[1].score);
        CHECK(ranked[1].score > 0);
        CHECK(ranked[2].did == b0);
        CHECK(ranked[2].score == 0);
    }
    SUBCASE("ties keep docid order") {
        const auto ranked = imr::rank_by_relevance(db, cols, Q("neck"), all, false, 0, 10);
        REQUIRE(ranked.size() == 3);
        CHECK(ranked[0].did == b0);
        CHECK(ranked[1].did == a0);
        CHECK(ranked[2].did == a1);
    }
    SUBCASE("one determination per letter, paged") {
        const auto grouped = imr::rank_by_relevance(db, cols, Q("spasm"), all, true, 0, 10);
        REQUIRE(grouped.size() == 2);
        CHECK(grouped[0].did == a0);
        CHECK(grouped[1].did == b0);
        const auto second_page = imr::rank_by_relevance(db, cols, Q("spasm"), all, false, 1, 1);
        REQUIRE(second_page.size() == 1);
        CHECK(second_page[0].did == a1);
        CHECK(imr::rank_by_relevance(db, cols, Q("spasm"), all, false, 3, 10).empty());
    }
    SUBCASE("only the matches given are ranked") {
        const auto ranked = imr::rank_by_relevance(db, cols, Q("spasm"), {a1, b0}, false, 0, 10);
        REQUIRE(ranked.size() == 2);
        CHECK(ranked[0].did == a1);
    }
}

TEST_CASE("rank_by_relevance: common terms weighed from cached wdf columns score the same") {
    const Indexed indexed(two_letters());
    const auto& [index, db, cols, all] = indexed;
    auto scores = [](const std::vector<imr::RankedDoc>& ranked) {
        std::map<Xapian::docid, double> out;
        for (const auto& r : ranked) out[r.did] = r.score;
        return out;
    };
    // "the" and "spasm" are in at least an eighth of the documents: both get columns; "neck" too.
    const std::vector<Q> words{Q("the"), Q("spasm"), Q("neck"), Q("tizanidine")};
    const Q query(Q::OP_OR, words.begin(), words.end());
    const auto plain = scores(imr::rank_by_relevance(db, cols, query, all, false, 0, 10));
    imr::WdfCache cache;
    struct Case {
        const char* name;
        std::size_t cached_after;
    };
    const Case runs[] = {{"first run: columns made while reading postlists", 4}, {"second run: columns read", 4}};
    for (const auto& run : runs) {
        const auto with_cache = scores(imr::rank_by_relevance(db, cols, query, all, false, 0, 10, nullptr, &cache));
        INFO(run.name);
        REQUIRE(with_cache.size() == plain.size());
        for (const auto& [did, score] : plain) CHECK(with_cache.at(did) == doctest::Approx(score));
        CHECK(cache.size() == run.cached_after);
    }
    SUBCASE("a column belongs to its revision") {
        CHECK(cache.find(cols.revision, "spasm") != nullptr);
        CHECK(cache.find(cols.revision + 1, "spasm") == nullptr);
        cache.store(cols.revision + 1, "other", std::make_shared<const imr::WdfCache::Column>());
        CHECK(cache.size() == 1);
        CHECK(cache.find(cols.revision, "spasm") == nullptr);
    }
    SUBCASE("the least recently used column goes first once the budget is full") {
        imr::WdfCache small(7);  // two columns of 3 bytes
        auto column = std::make_shared<const imr::WdfCache::Column>(3, 1);
        small.store(7, "a", column);
        small.store(7, "b", column);
        CHECK(small.find(7, "a") == column);  // "b" is now the least recently used
        small.store(7, "c", column);
        CHECK(small.find(7, "b") == nullptr);
        CHECK(small.find(7, "a") == column);
        CHECK(small.find(7, "c") == column);
    }
}

TEST_CASE("rank_by_relevance: a wdf above 255 in a cached column weighs within 0.2% of its exact weight") {
    std::vector<imr::test::LetterSpec> letters = two_letters();
    std::string repeated;
    for (int i = 0; i < 300; ++i) repeated += "spasm ";
    letters[1].items[0].rationale = repeated;
    const Indexed indexed(letters);
    const auto& [index, db, cols, all] = indexed;
    const auto plain = imr::rank_by_relevance(db, cols, Q("spasm"), all, false, 0, 10);
    imr::WdfCache cache;
    imr::rank_by_relevance(db, cols, Q("spasm"), all, false, 0, 10, nullptr, &cache);  // makes the column
    REQUIRE(cache.find(cols.revision, "spasm") != nullptr);
    CHECK(*std::max_element(cache.find(cols.revision, "spasm")->begin(), cache.find(cols.revision, "spasm")->end()) == 255);
    const auto cached = imr::rank_by_relevance(db, cols, Q("spasm"), all, false, 0, 10, nullptr, &cache);
    REQUIRE(cached.size() == plain.size());
    const Xapian::docid saturated = cols.find_document(imr::test::letter_id("/r/b.txt"), 0);
    for (std::size_t i = 0; i < plain.size(); ++i) {
        CAPTURE(cached[i].did);
        CHECK(cached[i].did == plain[i].did);
        CHECK(cached[i].score == doctest::Approx(plain[i].score).epsilon(0.002));
        // The column, not the postlist, was read: only the wdf of 300 weighs differently.
        CHECK((cached[i].score != plain[i].score) == (cached[i].did == saturated));
    }
}

namespace {

// BM25 as Xapian's BM25Weight defines it (k1 1, b 0.5, min normlen 0.5), in double, from the
// postlists: the reference the ranker's float arithmetic is checked against.
double reference_bm25(const Xapian::Database& db, const std::vector<std::string>& terms, Xapian::docid did) {
    if (did == 0) return 0;
    const double documents = db.get_doccount(), average = std::max(db.get_avlength(), 1.0);
    double sum = 0;
    for (const auto& term : terms) {
        auto p = db.postlist_begin(term);
        p.skip_to(did);
        if (p == db.postlist_end(term) || *p != did) continue;
        const double n = db.get_termfreq(term), wdf = p.get_wdf();
        const double idf = std::log(1.0 + (documents - n + 0.5) / (n + 0.5));
        const double length = 1.0 * (0.5 + 0.5 * std::max(p.get_doclength() / average, 0.5));
        sum += idf * 2 * wdf / (length + wdf);
    }
    return sum;
}

}  // namespace

TEST_CASE("rank_by_relevance: every path scores a determination as the reference BM25 does") {
    // 300 letters, so that a whole scope is weighed in blocks and a few matches one by one.
    std::vector<imr::test::LetterSpec> letters(300);
    for (std::size_t i = 0; i < letters.size(); ++i) {
        letters[i].file = "/w/" + std::to_string(i) + ".txt";
        letters[i].summary = "The worker reports pain" + std::string(i % 4 == 0 ? " and spasm." : ".");
        std::string rationale = "Muscle spasm";
        for (std::size_t k = 0; k < i % 7; ++k) rationale += " spasm of the back";
        for (std::size_t k = 0; k < i % 5; ++k) rationale += " with pain";
        letters[i].items = {{"Tizanidine 4mg #60", imr::Outcome::Upheld, std::nullopt, "medication", {}, rationale, {}, {}},
                            {"Physical therapy x 6", imr::Outcome::Overturned, std::nullopt, "physical therapy", {},
                             i % 3 == 0 ? "Therapy for the pain is supported." : "A short course is supported.", {}, {}}};
    }
    const Indexed indexed(letters);
    const auto& [index, db, cols, all] = indexed;
    REQUIRE(all.size() == 600);
    const std::vector<std::string> terms{"spasm", "pain", "therapy"};
    const std::vector<Q> words(terms.begin(), terms.end());
    const Q query(Q::OP_OR, words.begin(), words.end());
    std::vector<Xapian::docid> few;  // a sparse scope: one match in fifty
    for (std::size_t i = 0; i < all.size(); i += 50) few.push_back(all[i]);
    imr::WdfCache cache;
    imr::rank_by_relevance(db, cols, query, all, false, 0, 1, nullptr, &cache);  // makes the columns
    REQUIRE(cache.size() == 3);

    struct Case {
        const char* name;
        const std::vector<Xapian::docid>* scope;
        imr::WdfCache* cache;
    };
    const Case cases[] = {
        {"whole scope, postlists", &all, nullptr},
        {"whole scope, columns in blocks", &all, &cache},
        {"sparse scope, postlists", &few, nullptr},
        {"sparse scope, columns one by one", &few, &cache},
    };
    std::map<Xapian::docid, double> first_seen;
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto ranked = imr::rank_by_relevance(db, cols, query, *c.scope, false, 0, c.scope->size(), nullptr, c.cache);
            REQUIRE(ranked.size() == c.scope->size());
            for (const auto& r : ranked) {
                CAPTURE(r.did);
                const double expected = reference_bm25(db, terms, r.did) + reference_bm25(db, terms, cols.letter_doc_of(r.did));
                CHECK(expected > 0);
                CHECK(r.score == doctest::Approx(expected).epsilon(1e-5));
            }
        }
    }
    SUBCASE("a determination scores exactly the same on every path") {
        std::map<Xapian::docid, double> scores;
        for (const auto& c : cases)
            for (const auto& r : imr::rank_by_relevance(db, cols, query, *c.scope, false, 0, c.scope->size(), nullptr, c.cache)) {
                const auto [it, added] = scores.try_emplace(r.did, r.score);
                CAPTURE(c.name);
                CAPTURE(r.did);
                CHECK(it->second == r.score);
            }
        CHECK(scores.size() == all.size());
    }
}
