// Unit tests of the section check: position matching, stream checks and section filters.
#include "section_check.h"
#include "work_budget.h"

#include "schema.h"
#include "token_stream.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace schema = imr::schema;
using imr::SectionMatch;
using Positions = std::vector<std::vector<Xapian::termpos>>;

TEST_CASE("positions_match: phrase, ordered and near windows") {
    struct Case {
        const char* name;
        SectionMatch::Kind kind;
        Xapian::termcount window;
        Positions positions;
        bool expected;
    };
    const Case cases[] = {
        {"phrase, adjacent", SectionMatch::Kind::Phrase, 3, {{4, 20}, {21}, {22}}, true},
        {"phrase, gap", SectionMatch::Kind::Phrase, 2, {{4}, {6}}, false},
        {"phrase, wrong order", SectionMatch::Kind::Phrase, 2, {{5}, {4}}, false},
        {"phrase, a member missing", SectionMatch::Kind::Phrase, 2, {{5}, {}}, false},
        {"single term present", SectionMatch::Kind::Phrase, 1, {{9}}, true},
        {"ordered within the window", SectionMatch::Kind::Ordered, 6, {{10}, {15}}, true},
        {"ordered just outside the window", SectionMatch::Kind::Ordered, 6, {{10}, {16}}, false},
        {"ordered needs order", SectionMatch::Kind::Ordered, 6, {{15}, {10}}, false},
        {"ordered picks a later start", SectionMatch::Kind::Ordered, 3, {{1, 30}, {20, 32}}, true},
        {"near either order", SectionMatch::Kind::Near, 6, {{15}, {10}}, true},
        {"near outside the window", SectionMatch::Kind::Near, 6, {{20}, {10}}, false},
        {"near three members", SectionMatch::Kind::Near, 5, {{1, 50}, {53}, {54}}, true},
        {"near three members too spread", SectionMatch::Kind::Near, 5, {{1, 50}, {53}, {55}}, false},
        {"no members", SectionMatch::Kind::Near, 5, {}, false},
        {"near, one occurrence cannot stand for two members", SectionMatch::Kind::Near, 5, {{7}, {7}}, false},
        {"near, two occurrences of one word", SectionMatch::Kind::Near, 5, {{7, 9}, {7, 9}}, true},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::positions_match(c.kind, c.window, c.positions) == c.expected); }
    }
}

// A phrase joined by a connector ("muscle spasm" w/3 soma) is one member: its words one after
// another, apart from the other members' positions.
TEST_CASE("positions_match: phrases among a proximity's members stay phrases") {
    using Kind = SectionMatch::Kind;
    struct Case {
        const char* name;
        Kind kind;
        Xapian::termcount window;
        Positions positions;
        std::vector<char> follows;
        bool expected;
    };
    const Case cases[] = {
        // "muscle spasm" w/3 soma: window 1 + 3 + 1.
        {"near, phrase then word", Kind::Near, 5, {{10}, {11}, {14}}, {0, 1, 0}, true},
        {"near, word before the phrase", Kind::Near, 5, {{10}, {11}, {7}}, {0, 1, 0}, true},
        {"near, too far", Kind::Near, 5, {{10}, {11}, {15}}, {0, 1, 0}, false},
        {"near, the phrase's words apart", Kind::Near, 5, {{10}, {12}, {13}}, {0, 1, 0}, false},
        {"near, the phrase's words reversed", Kind::Near, 5, {{11}, {10}, {13}}, {0, 1, 0}, false},
        {"near, the word only inside the phrase", Kind::Near, 5, {{10}, {11}, {11}}, {0, 1, 0}, false},
        {"near, the word inside and outside", Kind::Near, 5, {{10}, {11}, {11, 13}}, {0, 1, 0}, true},
        {"near, two phrases overlapping", Kind::Near, 6, {{1}, {2}, {2}, {3}}, {0, 1, 0, 1}, false},
        {"near, two phrases apart", Kind::Near, 6, {{1}, {2}, {3}, {4}}, {0, 1, 0, 1}, true},
        {"ordered, phrase first", Kind::Ordered, 5, {{10}, {11}, {14}}, {0, 1, 0}, true},
        {"ordered, word first", Kind::Ordered, 5, {{10}, {11}, {7}}, {0, 1, 0}, false},
        {"ordered, the phrase's words apart", Kind::Ordered, 5, {{10}, {12}, {13}}, {0, 1, 0}, false},
        {"ordered, word then phrase", Kind::Ordered, 5, {{7}, {10}, {11}}, {0, 0, 1}, true},
        {"ordered, word inside the phrase", Kind::Ordered, 5, {{10}, {10}, {11}}, {0, 0, 1}, false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::positions_match(c.kind, c.window, c.positions, c.follows) == c.expected); }
    }
}

namespace {

// Documents whose words are given by section; each section's words take consecutive positions,
// sections are 100 positions apart, as the document builder lays them out: terms without Xapian
// positions, a token stream, and the term ids in the user metadata.
struct Corpus {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    std::map<std::string, imr::token_stream::TermId> ids;
    void add(const std::vector<std::pair<char, std::vector<std::string>>>& sections) {
        Xapian::Document doc;
        std::vector<schema::SectionSpan> spans;
        imr::token_stream::Encoder stream;
        Xapian::termpos pos = 0;
        for (const auto& [code, words] : sections) {
            if (pos > 0) pos += 100;
            const Xapian::termpos first = pos + 1;
            for (const auto& w : words) {
                auto [it, fresh] = ids.emplace(w, static_cast<imr::token_stream::TermId>(ids.size() + 1));
                if (fresh) db.set_metadata(imr::token_stream::term_id_key(w), std::to_string(it->second));
                doc.add_term(w);
                stream.add(++pos, it->second);
            }
            spans.push_back({code, first, pos});
        }
        doc.add_value(schema::kSlotSections, schema::encode_section_spans(spans));
        doc.add_value(schema::kSlotTokens, stream.bytes());
        db.add_document(doc);
    }
    // The documents a StreamCheck accepts, all checked in docid order.
    std::set<Xapian::docid> checked(const SectionMatch& match) const {
        imr::StreamCheck check(db, match);
        std::set<Xapian::docid> out;
        for (Xapian::docid d = 1; d <= db.get_lastdocid(); ++d)
            if (check.matches(d)) out.insert(d);
        return out;
    }
};

SectionMatch phrase_in(char section, const std::vector<std::string>& words) {
    SectionMatch m;
    m.kind = SectionMatch::Kind::Phrase;
    m.window = static_cast<Xapian::termcount>(words.size());
    for (const auto& w : words) m.slots.push_back({{w}, {}, section});
    return m;
}

}  // namespace

TEST_CASE("StreamCheck with sections: only documents whose match lies in the named section") {
    Corpus c;
    c.add({{'S', {"long", "term", "use", "of", "opioids"}}, {'R', {"not", "medically", "necessary"}}});  // 1
    c.add({{'S', {"chronic", "pain"}}, {'R', {"long", "term", "use", "is", "not", "recommended"}}});      // 2
    c.add({{'R', {"use", "long", "term"}}, {'I', {"soma", "350"}}});                                      // 3
    c.add({{'R', {"soma", "was", "denied"}}, {'I', {"soma"}}});                                           // 4
    struct Case {
        const char* name;
        SectionMatch match;
        std::set<Xapian::docid> expected;
    };
    const std::vector<std::string> ltu{"long", "term", "use"};
    SectionMatch soma_near_denied;
    soma_near_denied.kind = SectionMatch::Kind::Near;
    soma_near_denied.window = 3;
    soma_near_denied.slots = {{{"soma"}, {}, 'R'}, {{"denied"}, {}, '\0'}};
    SectionMatch soma_near_denied_in_item = soma_near_denied;
    soma_near_denied_in_item.slots[0].section = 'I';
    SectionMatch wildcard;
    wildcard.slots = {{{}, "recommen", 'R'}};
    const Case cases[] = {
        {"phrase in the rationale only", phrase_in('R', ltu), {2}},
        {"phrase in the summary only", phrase_in('S', ltu), {1}},
        {"term in the item", phrase_in('I', {"soma"}), {3, 4}},
        {"term in the rationale", phrase_in('R', {"soma"}), {4}},
        {"scoped member of a NEAR", soma_near_denied, {4}},
        {"scoped member of a NEAR in the wrong section", soma_near_denied_in_item, {}},
        {"wildcard expanded by the check", wildcard, {2}},
        {"phrase in a section the document lacks", phrase_in('G', ltu), {}},
    };
    for (const auto& tc : cases) {
        SUBCASE(tc.name) { CHECK(c.checked(tc.match) == tc.expected); }
    }
}

TEST_CASE("StreamCheck: phrases, windows and sections read from token streams") {
    Corpus c;
    c.add({{'S', {"long", "term", "use", "of", "opioids"}}, {'R', {"not", "medically", "necessary"}}});  // 1
    c.add({{'S', {"chronic", "pain"}}, {'R', {"long", "term", "use", "is", "not", "recommended"}}});      // 2
    c.add({{'R', {"use", "long", "term"}}, {'I', {"soma", "350"}}});                                      // 3
    c.add({{'R', {"soma", "was", "denied", "soma"}}});                                                    // 4
    c.add({{'R', {"denied", "a", "b", "c", "d", "e", "soma", "x", "denied"}}});                            // 5
    auto match = [](SectionMatch::Kind kind, Xapian::termcount window, std::vector<std::vector<std::string>> words,
                    char section = '\0') {
        SectionMatch m;
        m.kind = kind;
        m.window = window;
        for (auto& w : words) m.slots.push_back({std::move(w), {}, section});
        return m;
    };
    using K = SectionMatch::Kind;
    struct Case {
        const char* name;
        SectionMatch match;
        std::set<Xapian::docid> expected;
    };
    const Case cases[] = {
        {"phrase anywhere", match(K::Phrase, 3, {{"long"}, {"term"}, {"use"}}), {1, 2}},
        {"phrase in one section", match(K::Phrase, 3, {{"long"}, {"term"}, {"use"}}, 'R'), {2}},
        {"words in another order are no phrase", match(K::Phrase, 2, {{"term"}, {"long"}}), {}},
        {"no phrase across the gap between sections", match(K::Phrase, 2, {{"opioids"}, {"not"}}), {}},
        {"ordered within a window", match(K::Ordered, 5, {{"long"}, {"not"}}), {2}},
        {"ordered, just outside the window", match(K::Ordered, 4, {{"long"}, {"not"}}), {}},
        {"near in either order", match(K::Near, 3, {{"term"}, {"use"}}), {1, 2, 3}},
        {"near, the same word twice needs two occurrences", match(K::Near, 4, {{"soma"}, {"soma"}}), {4}},
        {"near, found late in the stream", match(K::Near, 3, {{"soma"}, {"denied"}}), {4, 5}},
        {"ordered, found late in the stream", match(K::Ordered, 3, {{"soma"}, {"denied"}}), {4, 5}},
        {"ordered, only the far pair in order", match(K::Ordered, 3, {{"denied"}, {"soma"}}), {4}},
        {"a member with alternatives", match(K::Phrase, 2, {{"chronic", "acute"}, {"pain"}}), {2}},
        {"a word no document holds", match(K::Phrase, 2, {{"long"}, {"absent"}}), {}},
    };
    for (const auto& tc : cases) {
        SUBCASE(tc.name) { CHECK(c.checked(tc.match) == tc.expected); }
    }
    SUBCASE("a word nothing holds makes the check impossible, so nothing is read") {
        CHECK_FALSE(imr::StreamCheck(c.db, match(K::Phrase, 2, {{"long"}, {"absent"}})).possible());
        CHECK(imr::StreamCheck(c.db, match(K::Phrase, 2, {{"long"}, {"term"}})).possible());
    }
    SUBCASE("documents checked out of order are still read right") {
        imr::StreamCheck check(c.db, match(K::Phrase, 3, {{"long"}, {"term"}, {"use"}}));
        CHECK(check.matches(2));
        CHECK(check.matches(1));
        CHECK_FALSE(check.matches(3));
        CHECK(check.matches(2));
    }
}

// Issue 19, item 2: `the NEAR/1000 the NEAR/1000 ... the` took ten times longer with each member
// (a backtracking search over every assignment of members to positions). The check is now a
// bipartite matching, and every step of it is charged to the search's work budget.
TEST_CASE("positions_match: many members of one word take polynomial work, charged to the budget") {
    const std::size_t members = 12;
    std::vector<std::vector<Xapian::termpos>> positions(members);
    for (auto& p : positions)
        for (Xapian::termpos pos = 1; pos < members; ++pos) p.push_back(pos * 3);  // one position short
    imr::WorkBudget budget(5'000'000);
    {
        const imr::WorkBudgetScope scope(&budget);
        CHECK_FALSE(imr::positions_match(imr::SectionMatch::Kind::Near, 1000, positions));
        positions.front().push_back(40);
        CHECK(imr::positions_match(imr::SectionMatch::Kind::Near, 1000, positions));
        CHECK(imr::positions_match(imr::SectionMatch::Kind::Ordered, 1000, {{1}, {2, 5}, {3}}));
        CHECK_FALSE(imr::positions_match(imr::SectionMatch::Kind::Ordered, 1000, {{4}, {2, 5}, {3}}));
        CHECK_FALSE(imr::positions_match(imr::SectionMatch::Kind::Near, 1000, {{1}, {1, 2}, {2}}));
        CHECK(imr::positions_match(imr::SectionMatch::Kind::Near, 1000, {{1, 3}, {1, 2}, {2}}));
    }
    CHECK(budget.used() > 0);
    CHECK(budget.used() < 1'000'000);

    imr::WorkBudget small(1000);
    const imr::WorkBudgetScope scope(&small);
    positions.front().pop_back();
    CHECK_THROWS_AS(imr::positions_match(imr::SectionMatch::Kind::Near, 1000, positions), imr::QueryTooCostly);
}
