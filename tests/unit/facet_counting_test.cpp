// imr::filter_and_count and facet_counts: facet filters and exact multi-select counts, checked
// against a reference that counts from each document's values one by one.
#include "facet_counting.h"

#include "engine_fixture.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

// 60 letters of one or two items, drugs, outcomes and categories varying with the letter's number.
std::vector<imr::test::LetterSpec> letters() {
    const std::vector<imr::Drug> drugs{imr::test::drug("carisoprodol", "Soma", "muscle relaxant"),
                                       imr::test::drug("tizanidine", "Zanaflex", "muscle relaxant"),
                                       imr::test::drug("hydrocodone/acetaminophen", "Norco", "opioid")};
    std::vector<imr::test::LetterSpec> out(60);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].file = "/f/" + std::to_string(i) + ".txt";
        out[i].summary = "The worker reports pain.";
        out[i].items.push_back({"Item " + std::to_string(i), i % 3 ? imr::Outcome::Upheld : imr::Outcome::Overturned, drugs[i % 3],
                                "medication", {}, "Reasons.", {}, {}});
        if (i % 4 == 0)
            out[i].items.push_back({"MRI " + std::to_string(i), i % 5 ? imr::Outcome::Upheld : imr::Outcome::Overturned, std::nullopt,
                                    "diagnostic imaging", {}, "Reasons.", {}, {}});
    }
    return out;
}

struct Fixture {
    imr::test::TestIndex index;
    Xapian::Database db;
    imr::FacetColumns cols;
    std::vector<Xapian::docid> all;
    Fixture() {
        index.add(letters());
        db = Xapian::Database(index.path().string());
        cols = imr::build_facet_columns(db);
        for (Xapian::docid d = 1; d <= cols.last_docid; ++d)
            if (cols.live(d)) all.push_back(d);
    }
    std::size_t facet(const std::string& name) const { return static_cast<std::size_t>(cols.facet(name) - cols.facets.data()); }
    // A selection of the values of `facet` whose display is among `values`.
    imr::Selection select(const std::string& name, const std::set<std::string>& values) const {
        const std::size_t f = facet(name);
        imr::Selection s = imr::Selection::of(cols, f);
        for (std::uint32_t id = 0; id < s.column->display.size(); ++id)
            if (values.count(s.column->display[id])) s.accepted[id] = s.exact[id] = 1;
        return s;
    }
    std::set<std::uint32_t> values_of(std::size_t f, Xapian::docid d) const {
        const auto& c = cols.facets[f];
        return {c.ids.begin() + c.offsets[d], c.ids.begin() + c.offsets[d + 1]};
    }
};

}  // namespace

TEST_CASE("filter_and_count: one facet's values ORed, facets ANDed, each facet counted past its own selection") {
    const Fixture f;
    REQUIRE(f.all.size() == 75);
    std::mt19937 random(3);
    const std::vector<std::string> names{"decision", "drug", "class", "category"};
    for (int round = 0; round < 200; ++round) {
        CAPTURE(round);
        // Random selections of one to three facets, one or two values each, over random matches.
        std::vector<imr::Selection> selections;
        for (const auto& name : names) {
            if (random() % 2) continue;
            const auto& display = f.cols.facets[f.facet(name)].display;
            std::set<std::string> values{display[random() % display.size()]};
            if (random() % 2) values.insert(display[random() % display.size()]);
            selections.push_back(f.select(name, values));
        }
        std::vector<Xapian::docid> matched;
        for (const auto d : f.all)
            if (random() % 3) matched.push_back(d);
        // The reference: a document's values one by one, and which selections it fails.
        std::vector<Xapian::docid> kept;
        std::set<std::uint32_t> letters;
        std::map<std::pair<std::size_t, std::uint32_t>, std::uint64_t> counts;
        for (const auto d : matched) {
            std::vector<std::size_t> failed;
            for (std::size_t s = 0; s < selections.size(); ++s) {
                bool any = false;
                for (const auto id : f.values_of(selections[s].facet, d)) any = any || selections[s].accepted[id];
                if (!any) failed.push_back(s);
            }
            if (failed.empty()) {
                kept.push_back(d);
                letters.insert(f.cols.letter_of[d]);
            }
            for (std::size_t facet = 0; facet < f.cols.facets.size(); ++facet) {
                const bool own = failed.size() == 1 && selections[failed[0]].facet == facet;
                if (failed.empty() || own)
                    for (const auto id : f.values_of(facet, d)) ++counts[{facet, id}];
            }
        }
        const imr::Matches m = imr::filter_and_count(f.cols, matched, selections, true);
        CHECK(m.docs == kept);
        CHECK(m.letters == letters.size());
        for (std::size_t facet = 0; facet < f.cols.facets.size(); ++facet)
            for (std::uint32_t id = 0; id < m.counts[facet].size(); ++id) {
                const auto it = counts.find({facet, id});
                CHECK(m.counts[facet][id] == (it == counts.end() ? 0 : it->second));
            }
        // Two parts, added: the same as one pass.
        const std::size_t middle = matched.size() / 2;
        imr::Matches lower, upper;
        std::vector<char> seen_lower, seen_upper;
        imr::filter_and_count(f.cols, matched.data(), matched.data() + middle, selections, true, lower, seen_lower, matched.size());
        imr::filter_and_count(f.cols, matched.data() + middle, matched.data() + matched.size(), selections, true, upper, seen_upper,
                              matched.size());
        imr::add_matches(lower, upper);
        CHECK(lower.docs == m.docs);
        CHECK(lower.counts == m.counts);
    }
}

TEST_CASE("facet_counts: by count, a selected value always listed, with its count") {
    const Fixture f;
    const std::size_t drug = f.facet("drug");
    const imr::FacetColumn& column = f.cols.facets[drug];
    std::vector<std::uint64_t> counts(column.terms.size(), 0);
    std::uint32_t rare = 0;
    for (std::uint32_t id = 0; id < counts.size(); ++id) counts[id] = 10 + id;
    counts[rare] = 0;  // a selected value no match holds
    const imr::Selection selection = f.select("drug", {column.display[rare]});
    const auto listed = imr::facet_counts(column, counts, &selection, nullptr, 1);
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].value == column.display[counts.size() - 1]);  // the largest count
    CHECK(listed[0].count == counts.back());
    CHECK_FALSE(listed[0].selected);
    CHECK(listed[1].value == column.display[rare]);
    CHECK(listed[1].count == 0);
    CHECK(listed[1].selected);
    CHECK(imr::facet_counts(column, counts, nullptr, nullptr, 100).size() == counts.size() - 1);
}
