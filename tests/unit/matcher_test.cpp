// imr::match_all_of, DocSet and PositionalCache: the compiled tree walked, letter matches spread to determinations, cached checks.
#include "engine_fixture.h"
#include "facet_columns.h"
#include "matcher.h"

#include <doctest/doctest.h>

#include <set>

namespace {

using M = imr::MatchNode;
using Kind = imr::MatchNode::Kind;

M Q(const std::string& term) { return M::any_of({term}); }
M Q(Kind kind, M a, M b) { return M::combine(kind, {std::move(a), std::move(b)}); }

// Letter a: the summary says "muscle spasm" and "improvement"; determination 0's rationale says
// "signed pain contract" and "improvement" again. Letter b says none of these.
std::vector<imr::test::LetterSpec> two_letters() {
    std::vector<imr::test::LetterSpec> letters(2);
    letters[0].file = "/m/a.txt";
    letters[0].summary = "The injured worker reports muscle spasm of the low back, with no improvement.";
    letters[0].items = {
        {"Norco 10/325mg #90", imr::Outcome::Overturned, std::nullopt, "medication", {},
         "There is a signed pain contract and documented functional improvement."},
        {"Physical therapy x 6", imr::Outcome::Upheld, std::nullopt, "physical therapy", {},
         "Prior therapy gave no lasting benefit."},
    };
    letters[1].file = "/m/b.txt";
    letters[1].summary = "The patient has neck pain after a fall.";
    letters[1].items = {{"MRI cervical spine", imr::Outcome::Upheld, std::nullopt, "diagnostic imaging", {},
                         "There are no red flags, so imaging is not indicated."}};
    return letters;
}

struct Fixture {
    imr::test::TestIndex index;
    Xapian::Database db;
    imr::FacetColumns cols;
    Fixture() {
        index.add(two_letters());
        db = Xapian::Database(index.path().string());
        cols = imr::build_facet_columns(db);
    }
    std::string id_of(Xapian::docid did) const {
        const auto data = nlohmann::json::parse(imr::schema::document_data(db.get_document(did), cols.codec));
        return data["id"].get<std::string>();
    }
    // The live determinations a query matches, as "<letter file>/<ordinal>".
    // `sample_order_from` 1 makes every phrase check sample its determinations to choose its order.
    std::set<std::string> matches(const M& query, imr::PositionalCache* cache = nullptr,
                                  std::size_t sample_order_from = imr::kSampleOrderFrom, imr::WdfCache* wdf = nullptr,
                                  bool whole_letters = false) const {
        std::set<std::string> out;
        for (Xapian::docid d : imr::match_all_of(db, cols, query, nullptr, cache, sample_order_from, wdf, whole_letters).docids()) {
            if (!cols.live(d)) continue;
            const auto data = nlohmann::json::parse(imr::schema::document_data(db.get_document(d), cols.codec));
            out.insert(data["file"].get<std::string>() + "/" + std::to_string(data["ordinal"].get<int>()));
        }
        return out;
    }
};

// Words in a row; with `section`, inside that section.
M phrase(std::vector<std::string> words, char section = '\0') {
    imr::SectionMatch match;
    match.kind = imr::SectionMatch::Kind::Phrase;
    match.window = static_cast<Xapian::termcount>(words.size());
    for (auto& w : words) match.slots.push_back({{std::move(w)}, {}, section});
    return M::of_positional(std::move(match));
}

M near(std::vector<std::string> words, Xapian::termcount window, imr::ProximityUnit unit = imr::ProximityUnit::Words) {
    imr::SectionMatch match;
    match.kind = imr::SectionMatch::Kind::Near;
    match.window = window;
    match.unit = unit;
    for (auto& w : words) match.slots.push_back({{std::move(w)}, {}, '\0'});
    return M::of_positional(std::move(match));
}

M at_least(std::vector<std::string> terms, unsigned count, bool whole_letter = false) {
    M node{Kind::AtLeast};
    node.terms = std::move(terms);
    node.count = count;
    node.whole_letter = whole_letter;
    return node;
}

}  // namespace

TEST_CASE("match_all_of: a determination reads as its letter's shared text joined to its own") {
    Fixture f;
    struct Case {
        const char* name;
        M query;
        std::set<std::string> expected;
    };
    const Case cases[] = {
        {"a shared word reaches every determination of its letter", Q("spasm"), {"/m/a.txt/0", "/m/a.txt/1"}},
        {"an own word reaches its determination only", Q("contract"), {"/m/a.txt/0"}},
        {"a shared phrase reaches every determination", phrase({"muscle", "spasm"}), {"/m/a.txt/0", "/m/a.txt/1"}},
        {"an own phrase reaches its determination only", phrase({"signed", "pain", "contract"}), {"/m/a.txt/0"}},
        {"AND across shared and own text", Q(Kind::And, Q("spasm"), Q("contract")), {"/m/a.txt/0"}},
        {"AND_NOT across shared and own text", Q(Kind::AndNot, Q("spasm"), Q("contract")), {"/m/a.txt/1"}},
        {"a phrase never spans shared and own text", phrase({"back", "there"}), {}},
        {"OR of letters", Q(Kind::Or, Q("spasm"), Q("neck")), {"/m/a.txt/0", "/m/a.txt/1", "/m/b.txt/0"}},
        {"OR of a word and a phrase of another letter", Q(Kind::Or, Q("neck"), phrase({"signed", "pain", "contract"})),
         {"/m/a.txt/0", "/m/b.txt/0"}},
        {"OR of a phrase and a word it holds", Q(Kind::Or, phrase({"muscle", "spasm"}), Q("spasm")), {"/m/a.txt/0", "/m/a.txt/1"}},
        {"OR of two phrases", Q(Kind::Or, phrase({"muscle", "spasm"}), phrase({"red", "flags"})),
         {"/m/a.txt/0", "/m/a.txt/1", "/m/b.txt/0"}},
        {"a phrase in an OR under AND_NOT", Q(Kind::AndNot, Q("pain"), Q(Kind::Or, Q("neck"), phrase({"pain", "contract"}))), {}},
        {"a phrase inside an AND is checked within the other side's matches",
         Q(Kind::And, Q("contract"), phrase({"muscle", "spasm"})), {"/m/a.txt/0"}},
        {"any of a node's terms", M::any_of({"flags", "contract"}), {"/m/a.txt/0", "/m/b.txt/0"}},
        {"nothing", M::nothing(), {}},
        {"everything", M::all(), {"/m/a.txt/0", "/m/a.txt/1", "/m/b.txt/0"}},
        {"everything but a letter's word", Q(Kind::AndNot, M::all(), Q("spasm")), {"/m/b.txt/0"}},
        {"a phrase in its section", phrase({"signed", "pain", "contract"}, 'R'), {"/m/a.txt/0"}},
        {"a phrase outside the section named", phrase({"signed", "pain", "contract"}, 'S'), {}},
        {"a shared phrase in the summary", phrase({"muscle", "spasm"}, 'S'), {"/m/a.txt/0", "/m/a.txt/1"}},
        {"NEAR within its window", near({"signed", "contract"}, 3), {"/m/a.txt/0"}},
        {"NEAR beyond its window", near({"signed", "contract"}, 2), {}},
        {"in one sentence", near({"contract", "improvement"}, 0, imr::ProximityUnit::Sentence), {"/m/a.txt/0"}},
        {"not in one sentence", near({"therapy", "flags"}, 0, imr::ProximityUnit::Sentence), {}},
        {"atleastN: own text and letter text counted together", at_least({"improvement"}, 2), {"/m/a.txt/0"}},
        {"atleastN: a count no text reaches", at_least({"improvement"}, 3), {}},
        {"atleastN: any of the word's forms", at_least({"improvement", "contract"}, 3), {"/m/a.txt/0"}},
        {"atleastN over the whole letter", at_least({"improvement"}, 2, true), {"/m/a.txt/0", "/m/a.txt/1"}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK(f.matches(c.query) == c.expected);
            // Sampled first: letters first when few sampled determinations match, else determinations.
            CHECK(f.matches(c.query, nullptr, 1) == c.expected);
        }
    }
}

TEST_CASE("match_all_of: a phrase its letter holds, whose words a determination holds apart") {
    // The sampled determination does not hold the phrase, so the letter is checked first.
    std::vector<imr::test::LetterSpec> letters(1);
    letters[0].file = "/m/c.txt";
    letters[0].summary = "Her neck pain began after the fall.";
    letters[0].items = {
        {"Cervical collar", imr::Outcome::Upheld, std::nullopt, "durable medical equipment", {}, "The pain in her neck is chronic."},
        {"MRI cervical spine", imr::Outcome::Overturned, std::nullopt, "diagnostic imaging", {}, "Imaging is indicated now."},
    };
    imr::test::TestIndex index;
    index.add(letters);
    const Xapian::Database db(index.path().string());
    const auto cols = imr::build_facet_columns(db);
    struct Case {
        const char* name;
        std::size_t sample_order_from;
    };
    const Case cases[] = {{"determinations first", imr::kSampleOrderFrom}, {"sampled: letters first", 1}};
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            std::size_t live = 0;
            for (Xapian::docid d : imr::match_all_of(db, cols, phrase({"neck", "pain"}), nullptr, nullptr, c.sample_order_from).docids())
                live += cols.live(d) ? 1 : 0;
            CHECK(live == 2);
            live = 0;
            for (Xapian::docid d : imr::match_all_of(db, cols, phrase({"pain", "in", "her", "neck"}), nullptr, nullptr, c.sample_order_from).docids())
                live += cols.live(d) ? 1 : 0;
            CHECK(live == 1);
        }
    }
}

TEST_CASE("match_all_of: a cached positional check is used as it is, for its revision only") {
    Fixture f;
    imr::PositionalCache cache;
    const M muscle_spasm = phrase({"muscle", "spasm"});
    CHECK(f.matches(muscle_spasm, &cache) == std::set<std::string>{"/m/a.txt/0", "/m/a.txt/1"});

    // A planted answer shows that the check is not done again.
    imr::DocSet planted(f.cols.last_docid);
    const Xapian::docid b0 = *f.db.postlist_begin(imr::schema::doc_id_term(imr::test::letter_id("/m/b.txt"), 0));
    planted.set(b0);
    cache.store(f.cols.revision, imr::describe(muscle_spasm), planted);
    CHECK(f.matches(muscle_spasm, &cache) == std::set<std::string>{"/m/b.txt/0"});
    CHECK_FALSE(cache.find(f.cols.revision + 1, imr::describe(muscle_spasm)).has_value());
}

TEST_CASE("match_all_of with a WdfCache: a common word's postlist fills its wdf column, which answers the next time") {
    Fixture f;  // five documents: a word any one of them holds is common enough for a column
    imr::WdfCache wdf;
    CHECK(f.matches(Q("spasm"), nullptr, imr::kSampleOrderFrom, &wdf) == std::set<std::string>{"/m/a.txt/0", "/m/a.txt/1"});
    const auto column = wdf.find(f.cols.revision, "spasm");
    REQUIRE(column != nullptr);
    std::vector<Xapian::docid> from_column, from_postlist(f.db.postlist_begin("spasm"), f.db.postlist_end("spasm"));
    for (std::size_t d = 0; d < column->size(); ++d)
        if ((*column)[d] != 0) from_column.push_back(static_cast<Xapian::docid>(d));
    CHECK(from_column == from_postlist);

    // A planted column shows that the postlist is not read again.
    auto planted = std::make_shared<imr::WdfCache::Column>(f.cols.last_docid + 1, 0);
    (*planted)[*f.db.postlist_begin(imr::schema::doc_id_term(imr::test::letter_id("/m/b.txt"), 0))] = 1;
    wdf.store(f.cols.revision, "contract", planted);
    CHECK(f.matches(Q("contract"), nullptr, imr::kSampleOrderFrom, &wdf) == std::set<std::string>{"/m/b.txt/0"});

    // Field terms are never weighed, so they get no column.
    const std::string upheld = imr::schema::field_term(imr::schema::kDecision, "Upheld");
    CHECK(f.matches(Q(upheld), nullptr, imr::kSampleOrderFrom, &wdf) == std::set<std::string>{"/m/a.txt/1", "/m/b.txt/0"});
    CHECK(wdf.find(f.cols.revision, upheld) == nullptr);
}

TEST_CASE("positional_cache_key: a check cut down to some documents is keyed by that set too") {
    const M muscle_spasm = phrase({"muscle", "spasm"});
    imr::DocSet a(200), same(200), other(200), wider(300);
    a.set(3);
    same.set(3);
    other.set(4);
    wider.set(3);
    const std::string whole = imr::positional_cache_key(muscle_spasm, nullptr);
    CHECK(whole == imr::describe(muscle_spasm));
    CHECK(imr::positional_cache_key(muscle_spasm, &a).rfind(whole + " within ", 0) == 0);
    CHECK(imr::positional_cache_key(muscle_spasm, &a) == imr::positional_cache_key(muscle_spasm, &same));
    CHECK(imr::positional_cache_key(muscle_spasm, &a) != imr::positional_cache_key(muscle_spasm, &other));
    CHECK(imr::positional_cache_key(muscle_spasm, &a) != imr::positional_cache_key(phrase({"low", "back"}), &a));
    // Sets of another database size are other sets, even with the same documents.
    CHECK(imr::positional_cache_key(muscle_spasm, &a) != imr::positional_cache_key(muscle_spasm, &wider));
}

TEST_CASE("PositionalCache: least recently used out first; a new revision empties it") {
    imr::PositionalCache cache(2);
    imr::DocSet one(10), two(10), three(10);
    one.set(1);
    two.set(2);
    three.set(3);
    cache.store(7, "one", one);
    cache.store(7, "two", two);
    REQUIRE(cache.find(7, "one").has_value());  // "one" is now the most recently used
    cache.store(7, "three", three);
    CHECK(cache.size() == 2);
    CHECK_FALSE(cache.find(7, "two").has_value());
    CHECK(cache.find(7, "one")->docids() == std::vector<Xapian::docid>{1});
    CHECK(cache.find(7, "three")->docids() == std::vector<Xapian::docid>{3});
    cache.store(8, "two", two);
    CHECK(cache.size() == 1);
    CHECK_FALSE(cache.find(7, "one").has_value());
    CHECK(cache.find(8, "two")->docids() == std::vector<Xapian::docid>{2});
}
