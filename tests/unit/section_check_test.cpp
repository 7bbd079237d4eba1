// Unit tests of the section check: position matching by kind and window, and documents filtered by section spans.
#include "section_check.h"

#include "schema.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <set>
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
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(imr::positions_match(c.kind, c.window, c.positions) == c.expected); }
    }
}

namespace {

// Documents whose words are given by section; each section's words take consecutive positions,
// sections are 100 positions apart, as the document builder lays them out.
struct Corpus {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    void add(const std::vector<std::pair<char, std::vector<std::string>>>& sections) {
        Xapian::Document doc;
        std::vector<schema::SectionSpan> spans;
        Xapian::termpos pos = 0;
        for (const auto& [code, words] : sections) {
            if (pos > 0) pos += 100;
            const Xapian::termpos first = pos + 1;
            for (const auto& w : words) doc.add_posting(w, ++pos);
            spans.push_back({code, first, pos});
        }
        doc.add_value(schema::kSlotSections, schema::encode_section_spans(spans));
        db.add_document(doc);
    }
    std::set<Xapian::docid> run(const Xapian::Query& q) const {
        Xapian::Enquire enquire(db);
        enquire.set_query(q);
        std::set<Xapian::docid> out;
        auto mset = enquire.get_mset(0, 100);
        for (auto m = mset.begin(); m != mset.end(); ++m) out.insert(*m);
        return out;
    }
};

Xapian::Query phrase(const std::vector<std::string>& words) {
    std::vector<Xapian::Query> parts(words.begin(), words.end());
    if (parts.size() == 1) return parts.front();
    return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(), static_cast<Xapian::termcount>(parts.size()));
}

SectionMatch phrase_in(char section, const std::vector<std::string>& words) {
    SectionMatch m;
    m.kind = SectionMatch::Kind::Phrase;
    m.window = static_cast<Xapian::termcount>(words.size());
    for (const auto& w : words) m.slots.push_back({{w}, {}, section});
    return m;
}

}  // namespace

TEST_CASE("within_sections: only documents whose match lies in the named section") {
    Corpus c;
    c.add({{'S', {"long", "term", "use", "of", "opioids"}}, {'R', {"not", "medically", "necessary"}}});  // 1
    c.add({{'S', {"chronic", "pain"}}, {'R', {"long", "term", "use", "is", "not", "recommended"}}});      // 2
    c.add({{'R', {"use", "long", "term"}}, {'I', {"soma", "350"}}});                                      // 3
    c.add({{'R', {"soma", "was", "denied"}}, {'I', {"soma"}}});                                           // 4
    struct Case {
        const char* name;
        Xapian::Query query;
        std::set<Xapian::docid> expected;
    };
    const std::vector<std::string> ltu{"long", "term", "use"};
    const std::vector<Xapian::Query> soma_denied{Xapian::Query("soma"), Xapian::Query("denied")};
    const Xapian::Query soma_near_denied_plain(Xapian::Query::OP_NEAR, soma_denied.begin(), soma_denied.end(), 3);
    SectionMatch soma_near_denied;
    soma_near_denied.kind = SectionMatch::Kind::Near;
    soma_near_denied.window = 3;
    soma_near_denied.slots = {{{"soma"}, {}, 'R'}, {{"denied"}, {}, '\0'}};
    SectionMatch soma_near_denied_in_item = soma_near_denied;
    soma_near_denied_in_item.slots[0].section = 'I';
    SectionMatch wildcard;
    wildcard.slots = {{{}, "recommen", 'R'}};
    const Case cases[] = {
        {"phrase in the rationale only", imr::within_sections(phrase(ltu), phrase_in('R', ltu)), {2}},
        {"phrase in the summary only", imr::within_sections(phrase(ltu), phrase_in('S', ltu)), {1}},
        {"plain phrase finds both", phrase(ltu), {1, 2}},
        {"term in the item", imr::within_sections(Xapian::Query("soma"), phrase_in('I', {"soma"})), {3, 4}},
        {"term in the rationale", imr::within_sections(Xapian::Query("soma"), phrase_in('R', {"soma"})), {4}},
        {"scoped member of a NEAR",
         imr::within_sections(soma_near_denied_plain, soma_near_denied),
         {4}},
        {"scoped member of a NEAR in the wrong section",
         imr::within_sections(soma_near_denied_plain,
                              soma_near_denied_in_item),
         {}},
        {"wildcard expanded by the check", imr::within_sections(Xapian::Query("recommended"), wildcard), {2}},
        {"phrase in a section the document lacks", imr::within_sections(phrase(ltu), phrase_in('G', ltu)), {}},
    };
    for (const auto& tc : cases) {
        SUBCASE(tc.name) { CHECK(c.run(tc.query) == tc.expected); }
    }
    SUBCASE("the check alone walks the documents in order") {
        Xapian::Query alone((new imr::SectionCheck(std::make_shared<const SectionMatch>(phrase_in('R', ltu))))->release());
        CHECK(c.run(alone) == std::set<Xapian::docid>{2});
    }
    SUBCASE("the description names kind, window, sections and terms") {
        CHECK(imr::within_sections(phrase(ltu), phrase_in('R', ltu)).get_description() ==
              "Query(((long PHRASE 3 term PHRASE 3 use) FILTER PostingSource(imr::SectionCheck(phrase 3 R:long R:term R:use))))");
    }
}
