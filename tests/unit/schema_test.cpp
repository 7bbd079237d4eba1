// Unit tests of the schema: the field registry and every consumer deriving from it, field terms, ids and hashes, section spans, dead ranges.
#include "cli.h"
#include "engine_fixture.h"
#include "params.h"
#include "query_parser.h"
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace schema = imr::schema;

// ---- The field registry (schema::kFields) --------------------------------------------------------
// Derived from the table wherever they can be, so that a new entry is covered without a line here.

namespace {

std::vector<std::string> run_cli(std::vector<std::string> args, int& code) {
    args.insert(args.begin(), "imr-search");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    code = imr::run_search_cli(static_cast<int>(argv.size()), argv.data(), nullptr, out, err);
    return {out.str(), err.str()};
}

// A value each filter takes.
std::string some_value(const schema::Field& field) {
    if (!field.choices.empty()) return std::string(field.choices.front());
    if (field.prefix == schema::kYear) return "2015";
    return "x";
}

// One small index with a letter whose every field has a value.
const imr::test::TestIndex& small_index() {
    static const auto index = [] {
        auto i = std::make_unique<imr::test::TestIndex>();
        imr::test::LetterSpec spec;
        spec.file = "/cases/registry.txt";
        spec.case_number = "CM15-0000042";
        spec.decision_date = imr::Date{2015, 3, 2};
        spec.injury_date = imr::Date{2011, 4, 28};
        spec.ur_denial_date = imr::Date{2015, 1, 10};
        spec.application_received = imr::Date{2015, 1, 20};
        spec.priority = "Standard";
        spec.age = 53;
        spec.sex = "female";
        imr::test::ItemSpec item;
        item.item = "Soma 350mg #30";
        item.original_request = "Soma 350mg #60";
        item.authorized = "Soma 350mg #30";
        item.drug = imr::test::drug("carisoprodol", "Soma", "muscle relaxant");
        item.citations = {imr::Citation{.source = "MTUS", .topic = "Carisoprodol (Soma)", .pages = "29",
                                        .document = "Chronic Pain Medical Treatment", .edition = "2009"}};
        item.rationale = "Carisoprodol is not recommended.";
        spec.items = {item};
        i->add({spec});
        return i;
    }();
    return *index;
}

}  // namespace

TEST_CASE("every field resolves by its name and by its alias; unknown names give nullptr") {
    for (const auto& field : schema::kFields) {
        CAPTURE(field.name);
        CHECK(schema::find_field(field.name) == &field);
        if (!field.alias.empty()) CHECK(schema::find_field(field.alias) == &field);
        CHECK(schema::find_field(field.name, field.uses) == &field);
        for (const auto* with : schema::fields_with(field.uses)) CHECK((with->uses & field.uses) == field.uses);
    }
    for (const char* unknown : {"", "Drug", "drgu", "section", "facet"}) {
        CAPTURE(unknown);
        CHECK(schema::find_field(unknown) == nullptr);
    }
    // A use the field does not have hides it.
    CHECK(schema::find_field("decision", schema::kStats) == nullptr);
    CHECK(schema::find_field("drug_class", schema::kStats) == schema::find_field("class"));
}

TEST_CASE("names, aliases, JSON names, data keys, prefixes and slots are each unique") {
    std::set<std::string_view> names, jsons, data, slots_seen;
    std::set<Xapian::valueno> slots;
    for (const auto& field : schema::kFields) {
        CAPTURE(field.name);
        CHECK(names.insert(field.name).second);
        if (!field.alias.empty()) CHECK(names.insert(field.alias).second);
        CHECK(jsons.insert(field.json).second);
        if (!field.data.empty()) CHECK(data.insert(field.data).second);
        if (field.slot != schema::kNoSlot) CHECK(slots.insert(field.slot).second);
    }
    // No term prefix may start another (Omega's rule): a prefix's allterms would hold the other's terms.
    std::vector<std::string_view> prefixes = {schema::kDocId, schema::kLetterId, schema::kFlag};
    for (const auto& field : schema::kFields)
        if (!field.prefix.empty()) prefixes.push_back(field.prefix);
    for (std::size_t i = 0; i < prefixes.size(); ++i)
        for (std::size_t j = 0; j < prefixes.size(); ++j)
            if (i != j) CHECK_MESSAGE(!prefixes[j].starts_with(prefixes[i]), prefixes[i] << " starts " << prefixes[j]);
    // A field's slot is none of the bookkeeping ones.
    for (Xapian::valueno bookkeeping : {schema::kSlotLetterId, schema::kSlotContentHash, schema::kSlotOrdinal, schema::kSlotSections,
                                        schema::kSlotTokens, schema::kSlotLetterTokens, schema::kSlotLetter, schema::kSlotData})
        CHECK(slots.count(bookkeeping) == 0);
}

TEST_CASE("every field's uses fit what it has") {
    std::set<int> columns;
    for (const auto& field : schema::kFields) {
        CAPTURE(field.name);
        const auto uses = [&](unsigned bit) { return (field.uses & bit) != 0; };
        CHECK(!field.label.empty());
        // Facets are counted from their terms, and filters, stats and suggestions work on the facet columns.
        if (uses(schema::kFacet)) CHECK(!field.prefix.empty());
        if (uses(schema::kFilter) || uses(schema::kStats) || uses(schema::kSuggest)) CHECK(uses(schema::kFacet));
        // A hit column is read from the document data, and has its place among the CSV columns.
        if (uses(schema::kColumn)) {
            CHECK(!field.data.empty());
            CHECK(field.column > 0);
            CHECK(columns.insert(field.column).second);
        } else {
            CHECK(field.column == 0);
        }
        // A query field is a term or a range.
        if (uses(schema::kQuery)) CHECK((!field.prefix.empty() || field.slot != schema::kNoSlot));
        if (field.slot != schema::kNoSlot) CHECK((field.type == schema::Type::Date || field.type == schema::Type::Number));
        CHECK(field.multi_valued == (field.type == schema::Type::List));
        CHECK(imr::has_extraction(field.name));
        // A JSON name that is a request name names this field, not another.
        const auto* by_json = schema::find_field(field.json);
        CHECK((by_json == nullptr || by_json == &field));
    }
    // The CSV columns are numbered 1..n with no gap.
    CHECK(columns.size() == schema::columns().size());
    if (!columns.empty()) CHECK(*columns.rbegin() == static_cast<int>(columns.size()));
}

TEST_CASE("the prefixes and slots of existing indexes do not change") {
    struct Case {
        const char* name;
        const char* json;
        const char* prefix;
        Xapian::valueno slot;
        bool multi_valued;
    };
    const Case cases[] = {
        {"decision", "decision", "XDEC", schema::kNoSlot, false},
        {"drug", "drug", "XDRUG", schema::kNoSlot, false},
        {"class", "drug_class", "XCLASS", schema::kNoSlot, false},
        {"category", "category", "XCAT", schema::kNoSlot, false},
        {"guideline", "guideline", "XGL", schema::kNoSlot, true},
        {"specialty", "specialty", "XSPEC", schema::kNoSlot, true},
        {"state", "state", "XSTATE", schema::kNoSlot, true},
        {"year", "year", "XYEAR", schema::kNoSlot, false},
        {"case", "case_number", "XCASE", schema::kNoSlot, false},
        {"sex", "sex", "XSEX", schema::kNoSlot, false},
        {"brand", "brand", "XBRAND", schema::kNoSlot, false},
        {"ingredient", "ingredient", "XING", schema::kNoSlot, true},
        {"source", "guideline_source", "XGS", schema::kNoSlot, true},
        {"decided", "decision_date", "", 1, false},
        {"injured", "injury_date", "", 2, false},
        {"age", "age", "", 3, false},
        {"denied", "ur_denial_date", "", 6, false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto* field = schema::find_field(c.name);
            REQUIRE(field != nullptr);
            CHECK(field->json == c.json);
            CHECK(field->prefix == c.prefix);
            CHECK(field->slot == c.slot);
            CHECK(field->multi_valued == c.multi_valued);
        }
    }
}

TEST_CASE("every query field is in the query language, every filter a command-line flag") {
    const auto& query_fields = imr::query_fields();
    for (const auto* field : schema::fields_with(schema::kQuery)) {
        CAPTURE(field->name);
        CHECK(std::find(query_fields.begin(), query_fields.end(), field->name) != query_fields.end());
    }
    const std::string db = small_index().path().string();
    const std::string lexicon = (imr::test::source_dir() / "data" / "lexicon").string();
    for (const auto* field : schema::fields_with(schema::kFilter)) {
        CAPTURE(field->name);
        int code = -1;
        const auto output = run_cli({"--db", db, "--lexicon", lexicon, "--format", "json", "--" + std::string(field->name), some_value(*field)}, code);
        CHECK_MESSAGE(code == imr::kExitOk, output[1]);
        // The query language takes the same value.
        const auto query = run_cli({"--db", db, "--lexicon", lexicon, "--format", "json", std::string(field->name) + ":" + some_value(*field)}, code);
        CHECK_MESSAGE(code == imr::kExitOk, query[1]);
    }
    int code = -1;
    const auto help = run_cli({"--help"}, code);
    for (const auto* field : schema::fields_with(schema::kQuery)) CHECK(help[0].find(std::string(field->name) + ",") != std::string::npos);
}

TEST_CASE("every stats dimension, by name and alias, is taken by the command line, HTTP and the engine") {
    const std::string db = small_index().path().string();
    const std::string lexicon = (imr::test::source_dir() / "data" / "lexicon").string();
    const imr::Engine engine(small_index().path(), imr::test::product_lexicon());
    CHECK(imr::stats_dimensions().size() == schema::fields_with(schema::kStats).size());
    for (const auto* field : schema::fields_with(schema::kStats)) {
        for (std::string_view by : {field->name, field->alias}) {
            if (by.empty()) continue;
            CAPTURE(by);
            int code = -1;
            const auto output = run_cli({"--db", db, "--lexicon", lexicon, "stats", "--by", std::string(by), "--format", "csv"}, code);
            CHECK_MESSAGE(code == imr::kExitOk, output[1]);
            CHECK(output[0].starts_with(std::string(field->name) + ",upheld,overturned,unknown,overturn_rate\r\n"));
            const auto params = imr::web::stats_request_from({{"by", std::string(by)}});
            CHECK(params.by == field->name);
            const auto stats = engine.stats(params.request, params.by);
            CHECK(stats.by == field->name);
            CHECK(stats.total == 1);
            CHECK(stats.rows.size() == 1);  // the letter's one value
        }
    }
    // Every other field is refused, everywhere.
    for (const auto& field : schema::kFields) {
        if (field.uses & schema::kStats) continue;
        CAPTURE(field.name);
        int code = -1;
        run_cli({"--db", db, "--lexicon", lexicon, "stats", "--by", std::string(field.name)}, code);
        CHECK(code == imr::kExitUsage);
        CHECK_THROWS_AS(imr::web::stats_request_from({{"by", std::string(field.name)}}), imr::BadRequest);
    }
}

TEST_CASE("every facet is counted, every hit column filled, every suggestion field completed") {
    const imr::Engine engine(small_index().path(), imr::test::product_lexicon());
    const auto result = engine.search(imr::SearchRequest{});
    REQUIRE(result.hits.size() == 1);
    std::vector<std::string> facet_names;
    for (const auto& [name, counts] : result.facets) {
        facet_names.push_back(name);
        CHECK_MESSAGE(counts.size() == 1, name);
    }
    std::vector<std::string> expected;
    for (const auto* field : schema::fields_with(schema::kFacet)) expected.emplace_back(field->json);
    CHECK(facet_names == expected);
    const auto& hit = result.hits.front();
    for (const auto* column : schema::columns()) {
        CAPTURE(column->data);
        REQUIRE(hit.fields.contains(std::string(column->data)));
        const auto& value = hit.fields[std::string(column->data)];
        CHECK(!value.is_null());
        CHECK(value != "");
        CHECK(value != nlohmann::json::array());
    }
    for (const auto* field : schema::fields_with(schema::kSuggest)) {
        CAPTURE(field->name);
        CHECK(!engine.suggest(std::string(field->name), "", 10).empty());
    }
    // /api/schema lists every field with its uses.
    const auto described = imr::schema_json();
    REQUIRE(described["fields"].size() == std::size(schema::kFields));
    for (std::size_t i = 0; i < std::size(schema::kFields); ++i) {
        CHECK(described["fields"][i]["name"] == schema::kFields[i].name);
        CHECK(described["fields"][i]["json"] == schema::kFields[i].json);
        CHECK(described["fields"][i]["label"] == schema::kFields[i].label);
    }
    CHECK(described["fields"][0]["uses"] == nlohmann::json::array({"filter", "facet", "column", "query"}));
}

TEST_CASE("field_term: prefix plus the folded value") {
    struct Case {
        const char* name;
        std::string prefix;
        std::string value;
        std::string term;
    };
    const Case cases[] = {
        {"lower-cased", "XDEC", "Overturned", "XDECoverturned"},
        {"spaces and punctuation kept", "XGL", "MTUS: Muscle relaxants (for pain)", "XGLmtus: muscle relaxants (for pain)"},
        {"slash kept", "XDRUG", "hydrocodone/acetaminophen", "XDRUGhydrocodone/acetaminophen"},
        {"NFKC and case folding", "XSPEC", "\uFB01SZ Stra\u00DFe", "XSPECfisz strasse"},
        {"case number", "XCASE", "CM15-0198233", "XCASEcm15-0198233"},
        {"empty value", "XSEX", "", "XSEX"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(schema::field_term(c.prefix, c.value) == c.term); }
    }
}

TEST_CASE("field_term: cut to Xapian's 245-byte limit without splitting a character") {
    struct Case {
        const char* name;
        std::string value;
        std::string expected_value;
    };
    const std::string ascii_240(240, 'a');
    const std::string e_acute = "\u00E9";  // two bytes
    const Case cases[] = {
        {"fits exactly", std::string(241, 'b'), std::string(241, 'b')},
        {"ascii is cut", std::string(300, 'c'), std::string(241, 'c')},
        // 4 + 240 bytes leave one byte: the two-byte character cannot fit and is left out whole.
        {"two-byte character at the limit", ascii_240 + e_acute + "zz", ascii_240},
        {"two-byte character before the limit", std::string(239, 'a') + e_acute + "zz", std::string(239, 'a') + e_acute},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            const auto term = schema::field_term("XGL_", c.value);
            CHECK(term.size() <= 245);
            CHECK(term == "XGL_" + c.expected_value);
        }
    }
}

TEST_CASE("ids and hashes: 16 hex digits of FNV-1a 64, stable across runs") {
    struct Case {
        const char* name;
        std::string bytes;
        std::string hex;
    };
    // Reference values of FNV-1a 64 (the published test vectors).
    const Case cases[] = {
        {"empty", "", "cbf29ce484222325"},
        {"a", "a", "af63dc4c8601ec8c"},
        {"foobar", "foobar", "85944171f73967e8"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK(schema::hash_hex(c.bytes) == c.hex);
            CHECK(schema::letter_id_for_path(c.bytes) == c.hex);
        }
    }
    SUBCASE("different paths give different ids") {
        CHECK(schema::letter_id_for_path("/data/a.txt") != schema::letter_id_for_path("/data/b.txt"));
    }
}

TEST_CASE("doc_id_term: Q, letter id, slash, ordinal") {
    CHECK(schema::doc_id_term("0123456789abcdef", 0) == "Q0123456789abcdef/0");
    CHECK(schema::doc_id_term("0123456789abcdef", 12) == "Q0123456789abcdef/12");
}

TEST_CASE("section spans: encoded and decoded back, malformed bytes cut short") {
    using Spans = std::vector<schema::SectionSpan>;
    struct Case {
        const char* name;
        Spans spans;
    };
    const Case cases[] = {
        {"none", {}},
        {"one", {{'S', 1, 40}}},
        {"in order with gaps", {{'H', 1, 12}, {'S', 113, 260}, {'I', 361, 366}, {'R', 467, 700}}},
        {"one-word span", {{'G', 5, 5}}},
        {"positions past 2^21 take four-byte varints", {{'R', 3000000, 3000400}}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(schema::decode_section_spans(schema::encode_section_spans(c.spans)) == c.spans); }
    }
    SUBCASE("the first span costs three bytes when its positions are small") {
        CHECK(schema::encode_section_spans({{'S', 1, 40}}) == std::string("S\x01\x27", 3));
    }
    SUBCASE("a truncated varint drops the span it starts") {
        std::string bytes = schema::encode_section_spans({{'S', 1, 40}, {'R', 200, 2000}});
        bytes.pop_back();
        CHECK(schema::decode_section_spans(bytes) == Spans{{'S', 1, 40}});
    }
    SUBCASE("section codes by name") {
        CHECK(schema::section_code("rationale") == 'R');
        CHECK(schema::section_code("summary") == 'S');
        CHECK(schema::section_code("decisions") == '\0');
        CHECK(schema::section_code("") == '\0');
    }
}

TEST_CASE("sentence and paragraph breaks: encoded and decoded back, malformed bytes cut short") {
    using Breaks = std::vector<schema::Break>;
    struct Case {
        const char* name;
        Breaks breaks;
    };
    const Case cases[] = {
        {"none", {}},
        {"one sentence", {{12, false}}},
        {"sentences and paragraphs", {{12, false}, {30, true}, {31, false}, {140, true}}},
        {"positions past 2^21", {{3000000, true}, {3000400, false}}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(schema::decode_breaks(schema::encode_breaks(c.breaks)) == c.breaks); }
    }
    SUBCASE("one byte a break while breaks are less than 64 words apart") {
        CHECK(schema::encode_breaks({{12, false}, {30, true}}) == std::string("\x18\x25", 2));
    }
    SUBCASE("a truncated varint drops the break it starts") {
        std::string bytes = schema::encode_breaks({{12, false}, {3000000, true}});
        bytes.pop_back();
        CHECK(schema::decode_breaks(bytes) == Breaks{{12, false}});
    }
}

TEST_CASE("UnitStarts: the starts of sentences or of paragraphs, one at a time") {
    const std::string bytes = schema::encode_breaks({{12, false}, {30, true}, {31, false}, {140, true}});
    auto all = [](std::string_view b, bool paragraphs) {
        std::vector<Xapian::termpos> out;
        for (schema::UnitStarts u(b, paragraphs); u.next() != ~Xapian::termpos{0}; u.advance()) out.push_back(u.next());
        return out;
    };
    CHECK(all(bytes, false) == std::vector<Xapian::termpos>{12, 30, 31, 140});
    CHECK(all(bytes, true) == std::vector<Xapian::termpos>{30, 140});
    CHECK(all({}, false).empty());
    std::string cut = bytes;
    cut += '\x80';  // a truncated varint ends the starts
    CHECK(all(cut, false) == std::vector<Xapian::termpos>{12, 30, 31, 140});
}

TEST_CASE("dead ranges: written as dead:<8 hex> -> last docid, read back in docid order, malformed ones skipped") {
    imr::test::TempDir dir;  // the in-memory backend cannot list metadata keys
    Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE | schema::kDatabaseFlags);
    for (int i = 0; i < 12; ++i) {
        Xapian::Document doc;
        doc.add_boolean_term(i < 4 ? "XLa" : i < 8 ? "XLb" : "XLc");
        db.add_document(doc);
    }
    CHECK(schema::dead_key(1) == "dead:00000001");
    CHECK(schema::dead_key(0xabcdef) == "dead:00abcdef");
    db.set_metadata(schema::dead_key(9), "10");
    db.set_metadata(schema::dead_key(1), "4");
    struct Malformed {
        const char* key;
        const char* value;
    };
    const Malformed malformed[] = {
        {"dead:0000000g", "5"},   // not hex
        {"dead:005", "6"},        // not 8 digits
        {"dead:00000000", "1"},   // docid 0
        {"dead:00000006", "5"},   // ends before it starts
        {"dead:00000007", "7x"},  // not a number
        {"dead:00000008", ""},    // empty
    };
    for (const auto& m : malformed) db.set_metadata(m.key, m.value);
    CHECK(schema::dead_ranges(db) == std::vector<schema::DocidRange>{{1, 4}, {9, 10}});
    const std::vector<char> dead = schema::dead_docids(db);
    REQUIRE(dead.size() == 13);
    CHECK(std::vector<char>(dead.begin(), dead.end()) ==
          std::vector<char>{0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0});
    CHECK(schema::is_dead(dead, 4));
    CHECK_FALSE(schema::is_dead(dead, 5));
    CHECK_FALSE(schema::is_dead(dead, 13));  // added after the flags were read
    struct Live {
        const char* term;
        schema::DocidRange range;
    };
    const Live live[] = {{"XLa", {0, 0}}, {"XLb", {5, 8}}, {"XLc", {11, 12}}, {"XLnone", {0, 0}}};
    for (const auto& l : live) {
        CAPTURE(l.term);
        CHECK(schema::live_range(db, l.term, dead) == l.range);
    }
}
