// The query language: input -> match tree description, input -> ranked terms, input -> exact error message, highlights and typed words.
#include "query_parser.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

namespace {

// A lexicon of five drugs owned by this test, so the expected synonyms do not move when the
// product's drug list grows; the other lexicon files are the product's own.
std::filesystem::path test_lexicon_dir(const imr::test::TempDir& tmp) {
    const auto dir = tmp.path() / "lexicon";
    std::filesystem::create_directories(dir);
    for (const char* name : {"specialties.tsv", "states.tsv", "guidelines.tsv", "categories.tsv"})
        std::filesystem::copy_file(imr::test::source_dir() / "data" / "lexicon" / name, dir / name);
    imr::test::write_file(dir / "drugs.tsv",
                          "carisoprodol\tmuscle relaxant\tSoma\t-\n"
                          "hydrocodone/acetaminophen\topioid\tNorco|Vicodin\thydrocodone/APAP\n"
                          "hydrocodone\topioid\tZohydro ER\t-\n"
                          "tizanidine\tmuscle relaxant\tZanaflex\t-\n"
                          "morphine\topioid\tMS Contin\t-\n");
    return dir;
}

// The index terms a real database would list, by prefix.
class FakeVocabulary : public imr::QueryVocabulary {
public:
    std::vector<std::string> terms_with_prefix(const std::string& prefix, std::size_t limit) const override {
        static const std::vector<std::string> terms = {
            "XGLacoem: chronic pain",  "XGLmtus: muscle relaxants (for pain)", "XGLmtus: opioids, criteria for use",
            "XGLodg: muscle relaxants", "XGSacoem", "XGSmtus", "XGSodg", "XSPECorthopedic surgery",
            "XSPECpain management", "XSPECpain medicine", "carisoprodol", "carisoprodol's", "cyclobenzaprine"};
        std::vector<std::string> out;
        for (const auto& t : terms)
            if (t.rfind(prefix, 0) == 0 && out.size() < limit) out.push_back(t);
        return out;
    }
    // A few words with the variants an index holds; every other word is not indexed.
    std::vector<std::string> words_with_stem(const std::string& stem) const override {
        static const std::vector<std::string> words = {"denial", "denied", "denies", "medical", "medically",
                                                       "medication", "necessary", "soma", "carisoprodol", "use",
                                                       "used", "pain", "10/325", "#60", "l5-s1", "patient", "patient's"};
        static const Xapian::Stem english("english");
        std::vector<std::string> out;
        for (const auto& w : words)
            if (english(w) == stem) out.push_back(w);
        std::sort(out.begin(), out.end());
        return out;
    }
};

struct Fixture {
    imr::test::TempDir tmp;
    imr::Lexicon lexicon = imr::Lexicon::load(test_lexicon_dir(tmp));
    imr::Analyzer analyzer;
    FakeVocabulary vocabulary;
    imr::QueryParser parser{analyzer, lexicon, &vocabulary};

    std::string describe(const std::string& input) const { return imr::describe(parser.parse(input).match); }
    std::string ranking(const std::string& input) const { return parser.parse(input).ranking.get_description(); }
    std::string error_of(const std::string& input) const {
        try {
            parser.parse(input);
        } catch (const imr::QuerySyntaxError& e) {
            return e.what();
        }
        return "(no error)";
    }
};

const char* const kSoma = "(soma SYNONYM carisoprodol)";
const char* const kNorco = "(norco SYNONYM (hydrocodone PHRASE 2 acetaminophen) SYNONYM vicodin SYNONYM (hydrocodone PHRASE 2 apap))";

}  // namespace

TEST_CASE("queries compile to the expected match tree") {
    Fixture f;
    const std::string soma = kSoma, norco = kNorco;
    struct Case {
        const char* input;
        std::string expected;
    };
    const Case cases[] = {
        // Free text: each word is any indexed word with its stem (stems are not indexed), or the
        // word itself when none is; ANDed; brand and generic names are alternatives.
        {"denied", "denied|denies"},
        {"Denied", "denied|denies"},
        {"medically necessary", "(medical|medically|medication AND necessary)"},
        {"soma", "soma|carisoprodol"},
        {"carisoprodol", "carisoprodol|soma"},
        {"norco", "(norco|vicodin OR [phrase 2 hydrocodone acetaminophen] OR [phrase 2 hydrocodone apap])"},
        {"Zohydro", "zohydro"},  // no indexed word has its stem
        // An ingredient finds the combinations that hold it, and their brands; a brand its generic.
        {"hydrocodone", "(hydrocodone|norco|vicodin OR [phrase 2 hydrocodone acetaminophen] OR [phrase 2 hydrocodone apap] "
         "OR [phrase 2 zohydro er])"},
        {"soma denied", "(soma|carisoprodol AND denied|denies)"},
        // Compound tokens stay one term; hyphenated words become the analyzer's phrase.
        {"10/325", "10/325"},
        {"L5-S1", "l5-s1"},
        {"#60", "#60"},
        {"long-term use", "([phrase 2 long term] AND use|used)"},
        // Phrases: unstemmed, positional, compounds whole; one word in quotes is that exact word.
        {"\"long-term use\"", "[phrase 3 long term use]"},
        {"\"medically necessary\"", "[phrase 2 medically necessary]"},
        {"\"Norco 10/325mg #60\"", "[phrase 3 norco 10/325mg #60]"},
        {"\"denied\"", "denied"},
        // A phrase's word also matches its possessive; one word in quotes stays exact.
        {"\"the patient\"", "[phrase 2 the patient|patient's]"},
        {"\"the patient's\"", "[phrase 2 the patient's]"},
        {"\"patient\"", "patient"},
        {"\u201Clong term\u201D", "[phrase 2 long term]"},
        // Boolean operators, negation and grouping.
        {"denied OR upheld", "denied|denies|upheld"},
        {"denied AND upheld", "(denied|denies AND upheld)"},
        {"denied NOT upheld", "(denied|denies AND_NOT upheld)"},
        {"denied AND NOT upheld", "(denied|denies AND_NOT upheld)"},
        {"denied -upheld -modified", "(denied|denies AND_NOT upheld AND_NOT modified)"},
        {"-upheld", "(<all> AND_NOT upheld)"},
        {"NOT upheld", "(<all> AND_NOT upheld)"},
        {"(denied OR upheld) pain", "(denied|denies|upheld AND pain)"},
        // OR binds before AND, as on Westlaw and Lexis.
        {"denied OR upheld pain", "(denied|denies|upheld AND pain)"},
        {"((denied))", "denied|denies"},
        {"not medically necessary", "(not AND medical|medically|medication AND necessary)"},
        {"x - y", "(x AND y)"},
        // Proximity: w/n and NEAR/n unordered, pre/n ordered; within n words means a window of n + 1.
        {"opioids w/5 weaning", "[near 6 opioids weaning]"},
        {"opioids W/5 weaning", "[near 6 opioids weaning]"},
        {"opioids NEAR/5 weaning", "[near 6 opioids weaning]"},
        {"opioids near/5 weaning", "[near 6 opioids weaning]"},
        {"opioids NEAR weaning", "[near 11 opioids weaning]"},
        {"opioids pre/3 weaning", "[ordered 4 opioids weaning]"},
        // A word joined by a connector matches the forms it matches alone.
        {"soma w/5 denied", "[near 6 soma|carisoprodol denied|denies]"},
        {"(soma OR tizanidine) w/5 denied", "[near 6 soma|carisoprodol|tizanidine|zanaflex denied|denies]"},
        {"soma OR tizanidine w/5 denied", "[near 6 soma|carisoprodol|tizanidine|zanaflex denied|denies]"},
        // A phrase stays a phrase beside a connector: its words follow one another (^).
        {"\"long term\" w/5 opioids", "[near 7 long^term opioids]"},
        {"a w/2 b w/3 c", "[near 6 a b c]"},
        {"a pre/2 b pre/3 c", "[ordered 6 a b c]"},
        {"a pre/2 b w/3 c", "[near 6 a b c]"},
        {"carisoprod* w/3 denied", "[near 4 carisoprodol|carisoprodol's denied|denies]"},
        {"xyz* w/3 denied", "<nothing>"},
        {"w/o contrast", "([phrase 2 w o] AND contrast)"},
        // Wildcards.
        {"carisoprod*", "carisoprodol|carisoprodol's"},
        {"Carisoprod**", "carisoprodol|carisoprodol's"},
        {"cyclo*", "cyclobenzaprine"},
        {"xyz*", "<nothing>"},
        // Field searches filter without weight.
        {"drug:soma", "XDRUGcarisoprodol|XDRUGsoma|XINGsoma|XBRANDsoma"},
        {"drug:Norco", "XDRUGhydrocodone/acetaminophen|XDRUGnorco|XINGnorco|XBRANDnorco"},
        {"drug:hydrocodone", "XDRUGhydrocodone/acetaminophen|XDRUGhydrocodone|XINGhydrocodone|XBRANDhydrocodone"},
        {"drug:\"MS Contin\"", "XDRUGmorphine|XDRUGms contin|XINGms contin|XBRANDms contin"},
        {"decision:overturned", "XDECoverturned"},
        {"decision:Upheld", "XDECupheld"},
        {"class:opioid", "XCLASSopioid"},
        {"class:\"muscle relaxant\"", "XCLASSmuscle relaxant"},
        {"category:surgery", "XCATsurgery"},
        {"specialty:\"pain management\"", "XSPECpain management"},
        {"specialty:pain", "XSPECpain|XSPECpain management|XSPECpain medicine"},
        {"guideline:mtus", "XGSmtus"},
        {"guideline:MTUS", "XGSmtus"},
        {"guideline:\"muscle relaxants\"", "XGLmtus: muscle relaxants (for pain)|XGLmuscle relaxants|XGLodg: muscle relaxants"},
        {"state:texas", "XSTATEtexas"},
        {"state:TX", "XSTATEtexas"},
        {"year:2015", "XYEAR2015"},
        {"year:2014..2016", "XYEAR2014|XYEAR2015|XYEAR2016"},
        {"sex:female", "XSEXfemale"},
        {"case:CM15-0198233", "XCASEcm15-0198233"},
        {"DRUG:soma", "XDRUGcarisoprodol|XDRUGsoma|XINGsoma|XBRANDsoma"},
        {"soma decision:overturned", "(soma|carisoprodol AND XDECoverturned)"},
        {"soma OR decision:overturned", "soma|carisoprodol|XDECoverturned"},
        {"decision:overturned class:opioid", "(XDECoverturned AND XCLASSopioid)"},
        {"denied -decision:upheld", "(denied|denies AND_NOT XDECupheld)"},
        // Sections: unstemmed words, checked against the documents' section spans.
        {"section:rationale \"long-term use\"", "[phrase 3 R:long R:term R:use]"},
        {"section:rationale soma", "[phrase 1 R:soma]"},
        {"section:summary (fusion OR laminectomy)", "([phrase 1 S:fusion] OR [phrase 1 S:laminectomy])"},
        {"section:item carisoprod*", "[phrase 1 I:carisoprodol|carisoprodol's]"},
        {"section:guideline (opioids w/3 weaning)", "[near 4 G:opioids G:weaning]"},
        {"section:rationale soma w/5 denied", "[near 6 R:soma|carisoprodol denied|denies]"},
        // Value ranges; partial dates cover the whole year or month.
        {"decided:2014-01-01..2014-12-31", "decided:20140101..20141231"},
        {"decided:2014", "decided:20140101..20141231"},
        {"decided:2014-02", "decided:20140201..20140228"},
        {"injured:..2010", "injured:..20101231"},
        {"denied:2015..", "denied:20150101.."},
        {"age:50..65", "age:50..65"},
        // Nothing to search browses everything.
        {"", "<all>"},
        {"   ", "<all>"},
        // A word followed by a colon and a space is a word.
        {"Note: denied", "(note AND denied|denies)"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(f.describe(c.input) == c.expected); }
    }
}

TEST_CASE("syntax errors name the problem and its column") {
    Fixture f;
    struct Case {
        const char* input;
        const char* expected;
    };
    const Case cases[] = {
        {"(soma", "unbalanced parenthesis at column 1"},
        {"soma denied)", "unbalanced parenthesis at column 12"},
        {"(soma (denied)", "unbalanced parenthesis at column 1"},
        {"é (soma", "unbalanced parenthesis at column 3"},
        {"()", "empty parentheses at column 1"},
        {"\"soma", "unterminated phrase: the quote at column 1 is never closed"},
        {"soma \"long term", "unterminated phrase: the quote at column 6 is never closed"},
        {"\"  \"", "the phrase at column 1 has no words"},
        {"drgu:soma", "unknown field \"drgu\" (fields: decision, drug, class, category, source, document, guideline, "
                      "basis, cabasis, specialty, state, year, priority, case, age, sex, injured, denied, decided, "
                      "received, section)"},
        {"drug:", "drug: at column 1 needs a value"},
        {"soma drug: x", "drug: at column 6 needs a value"},
        {"drug:(soma OR norco)", "drug: at column 1 takes one value; write (drug:a OR drug:b)"},
        {"a NEAR/x b", "NEAR/n needs a number, got \"x\" at column 3"},
        {"a NEAR/ b", "NEAR/n needs a number, got \"\" at column 3"},
        {"a NEAR/0 b", "NEAR/n needs a number from 1 to 1000, got \"0\" at column 3"},
        {"a w/5000 b", "w/n needs a number from 1 to 1000, got \"5000\" at column 3"},
        {"soma NEAR/5", "NEAR/5 at column 6 needs a term after it"},
        {"w/5 soma", "w/5 at column 1 needs a term before it"},
        {"soma w/5 -denied", "w/5 at column 6 cannot join a negated term"},
        {"soma w/5 drug:soma", "w/5 at column 6 joins words, phrases and wildcards, not drug: (column 10)"},
        {"(a AND b) w/5 c", "w/5 at column 11 joins words, phrases and wildcards, not an AND group (column 2)"},
        {"soma AND", "AND at column 6 needs a term after it"},
        {"AND soma", "AND at column 1 needs a term before it"},
        {"OR soma", "OR at column 1 needs a term before it"},
        {"soma OR", "OR at column 6 needs a term after it"},
        {"soma OR OR denied", "OR at column 6 needs a term after it"},
        {"NOT", "NOT at column 1 needs a term after it"},
        {"soma NOT NOT denied", "NOT at column 6 is followed by another negation"},
        {"a*", "the wildcard \"a*\" at column 1 needs at least 2 letters before a trailing * or !"},
        {"section:foo \"x\"", "unknown section \"foo\" at column 1 (sections: header, reviewer, documents, summary, "
                              "item, guidelines, rationale)"},
        {"section:rationale", "section:rationale at column 1 needs a word, a phrase or a group in parentheses after it"},
        {"section:rationale (drug:soma)", "drug: at column 20 cannot be used inside section:"},
        {"decided:2014-13-01", "bad date \"2014-13-01\" in decided: at column 1 (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"decided:2015-02-29", "bad date \"2015-02-29\" in decided: at column 1 (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"soma injured:..yesterday", "bad date \"yesterday\" in injured: at column 6 (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"decided:..", "decided: needs a bound at column 1 (as in decided:2014..2015)"},
        {"age:abc", "bad number \"abc\" in age: at column 1 (expected 0 to 999)"},
        {"age:65..50", "empty range \"65..50\" in age: at column 1 (the start is after the end)"},
        {"decision:maybe", "unknown decision \"maybe\" at column 1 (upheld, overturned or unknown)"},
        {"sex:x", "unknown sex \"x\" at column 1 (female or male)"},
        {"year:15", "bad year \"15\" at column 1 (expected YYYY or YYYY..YYYY)"},
        {"year:2016..2014", "empty range \"2016..2014\" in year: at column 1 (the start is after the end)"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(f.error_of(c.input) == c.expected); }
    }

    SUBCASE("a query longer than 4096 bytes") {
        CHECK(f.error_of(std::string(5000, 'a')) == "the query is too long (5000 bytes; the limit is 4096)");
    }
    SUBCASE("without an index to expand them, wildcards are expanded by the stream check") {
        const imr::QueryParser bare(f.analyzer, f.lexicon, nullptr);
        CHECK(imr::describe(bare.parse("carisoprod*").match) == "[phrase 1 carisoprod*]");
    }
    SUBCASE("parentheses nested deeper than 64") {
        CHECK(f.error_of(std::string(100, '(') + "a" + std::string(100, ')')) == "too many nested parentheses at column 65");
    }
}

TEST_CASE("field values for the engine's filters") {
    Fixture f;
    struct Case {
        const char* field;
        const char* value;
        const char* expected;
    };
    const Case cases[] = {
        {"drug", "Soma", "Query((XDRUGcarisoprodol OR XDRUGsoma OR XINGsoma OR XBRANDsoma))"},
        {"drug", "carisoprodol", "Query((XDRUGcarisoprodol OR XINGcarisoprodol OR XBRANDcarisoprodol))"},
        {"decision", "Overturned", "Query(XDECoverturned)"},
        {"guideline", "MTUS: Muscle relaxants (for pain)", "Query(XGLmtus: muscle relaxants (for pain))"},
        {"specialty", "Physical Medicine and Rehabilitation", "Query(XSPECphysical medicine & rehabilitation)"},
        {"state", "CA", "Query(XSTATEcalifornia)"},
        {"year", " 2015 ", "Query(XYEAR2015)"},
    };
    for (const auto& c : cases) {
        SUBCASE((std::string(c.field) + "=" + c.value).c_str()) {
            CHECK(f.parser.field_query(c.field, c.value).get_description() == c.expected);
        }
    }
    SUBCASE("a bad value is the user's error, without a column") {
        CHECK_THROWS_WITH_AS(f.parser.field_query("decision", "maybe"),
                             "unknown decision \"maybe\" (upheld, overturned or unknown)", imr::BadRequest);
        CHECK_THROWS_WITH_AS(f.parser.field_query("drug", "  "), "empty value for drug:", imr::BadRequest);
    }
}

TEST_CASE("what a query marks in snippets and which words it spells") {
    Fixture f;
    SUBCASE("free words mark stems, synonyms included; phrases mark as a unit") {
        const auto q = f.parser.parse("soma \"long-term use\" opioid* -denied");
        CHECK(q.highlight.stems == std::vector<std::string>{"soma", "carisoprodol"});
        CHECK(q.highlight.phrases == std::vector<std::vector<std::string>>{{"long", "term", "use"}});
        CHECK(q.highlight.prefixes == std::vector<std::string>{"opioid"});
        CHECK(q.highlight.terms.empty());
        CHECK(q.ranked);
        CHECK_FALSE(q.match_all);
    }
    SUBCASE("proximity words mark their stems, as free words do; phrase words mark as exact terms") {
        const auto q = f.parser.parse("opioids w/5 weaning");
        CHECK(q.highlight.stems == std::vector<std::string>{"opioid", "wean"});
        CHECK(q.highlight.terms.empty());
        CHECK(f.parser.parse("\"long term\" w/5 weaning").highlight.terms == std::vector<std::string>{"long", "term"});
    }
    SUBCASE("typed words carry their byte span in the query, for did-you-mean") {
        const auto q = f.parser.parse("medicaly \"neccessary care\" drug:soma");
        REQUIRE(q.words.size() == 3);
        CHECK(q.words[0].term == "medicaly");
        CHECK(q.words[0].begin == 0);
        CHECK(q.words[0].end == 8);
        CHECK(q.words[1].term == "neccessary");
        CHECK(q.words[1].begin == 10);
        CHECK(q.words[2].term == "care");
        CHECK(q.words[2].end == 25);
    }
    SUBCASE("a filter-only query is not ranked; an empty one matches all") {
        CHECK_FALSE(f.parser.parse("decision:upheld class:opioid").ranked);
        CHECK_FALSE(f.parser.parse("-denied").ranked);
        CHECK(f.parser.parse("").match_all);
        CHECK_FALSE(f.parser.parse("").ranked);
    }
}

// Issue 19, item 8: malformed queries that silently matched nothing, or everything.
TEST_CASE("malformed queries get a message, never an empty or everything answer") {
    Fixture f;
    struct Case {
        std::string input;
        const char* expected;
    };
    const Case cases[] = {
        {"soma w/-1 denied", "w/n needs a whole number from 1 to 1000, got \"-1\" at column 6"},
        {"soma w/3.5 denied", "w/n needs a whole number from 1 to 1000, got \"3.5\" at column 6"},
        {"soma w/+3 denied", "w/n needs a whole number from 1 to 1000, got \"+3\" at column 6"},
        {"soma w/0x10 denied", "w/n needs a whole number from 1 to 1000, got \"0x10\" at column 6"},
        {"soma pre/ denied", "pre/n needs a whole number from 1 to 1000, got \"\" at column 6"},
        {"soma pre/-2 denied", "pre/n needs a whole number from 1 to 1000, got \"-2\" at column 6"},
        {"soma pre/2.0 denied", "pre/n needs a whole number from 1 to 1000, got \"2.0\" at column 6"},
        {std::string("soma\x01" "denied"), "the query holds a control character (0x01) at column 5"},
        {std::string("soma \x7F"), "the query holds a control character (0x7F) at column 6"},
        {std::string("soma \xFF"), "the query is not valid UTF-8 (at column 6)"},
        {"soma " + std::string(65, 'x'), "the word at column 6 is 65 bytes long; no indexed word is longer than 64"},
        {std::string(65, 'x'), "the word at column 1 is 65 bytes long; no indexed word is longer than 64"},
        {"\"soma " + std::string(70, 'y') + "\"", "the word at column 7 is 70 bytes long; no indexed word is longer than 64"},
        {"*", "the wildcard \"*\" at column 1 needs at least 2 letters before a trailing * or !"},
        {"soma **", "the wildcard \"**\" at column 6 needs at least 2 letters before a trailing * or !"},
        {"-", "the query has no words to search for (\"-\" is only punctuation)"},
        {"?!.", "the query has no words to search for (\"?!.\" is only punctuation)"},
        {"( ... )", "the query has no words to search for (\"( ... )\" is only punctuation)"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input.c_str()) { CHECK(f.error_of(c.input) == c.expected); }
    }
    SUBCASE("still words: w/o, and a 64-byte word") {
        CHECK(f.error_of("w/o contrast") == "(no error)");
        CHECK(f.error_of(std::string(64, 'x')) == "(no error)");
        CHECK(f.error_of("soma\tdenied") == "(no error)");
        CHECK(f.error_of("  ") == "(no error)");
    }
}

// Issue 19, item 2: the cost bound of proximity chains, checked where queries are compiled.
TEST_CASE("proximity chains are bounded in members and in the words they span") {
    Fixture f;
    std::string nine = "the";
    for (int i = 0; i < 8; ++i) nine += " NEAR/10 the";
    CHECK(f.error_of(nine) == "the proximity search at column 1 joins 9 words; at most 8 can be joined");
    CHECK(f.error_of("the NEAR/1000 the NEAR/1000 the") ==
          "the proximity search at column 1 spans 2000 words; the limit is 1000");
    CHECK(f.error_of("a w/600 b pre/400 c") == "(no error)");
    CHECK(f.error_of("a w/600 b pre/401 c") == "the proximity search at column 1 spans 1001 words; the limit is 1000");
    std::string eight = "the";
    for (int i = 0; i < 7; ++i) eight += " NEAR/100 the";
    CHECK(f.error_of(eight) == "(no error)");
}

// Issue 18: each connector form of Westlaw and Lexis, as the tree it reads to (describe(), the
// "interpreted as" a user sees) and the notice it gives when it could have been meant otherwise.
TEST_CASE("connectors read to the expected tree, with a notice wherever the reading could surprise") {
    Fixture f;
    struct Case {
        const char* input;
        const char* tree;
        const char* notice;  // a part of the one notice expected, or "" for none
    };
    const Case cases[] = {
        // Words, phrases and the boolean operators.
        {"soma denied", "soma AND denied", ""},
        {"soma & denied", "soma AND denied", ""},
        {"soma and denied", "soma AND denied", ""},
        {"soma OR norco", "soma OR norco", ""},
        {"soma or norco", "soma OR norco", "lowercase \"or\" at column 6 was read as OR"},
        {"soma Or norco", "soma OR norco", "lowercase \"Or\" at column 6 was read as OR"},
        {"soma NOT norco", "soma AND NOT norco", ""},
        {"soma not norco", "soma AND NOT norco", "lowercase \"not\" at column 6 was read as NOT"},
        {"soma % norco", "soma AND NOT norco", ""},
        {"soma and not norco", "soma AND NOT norco", ""},
        {"soma AND NOT norco", "soma AND NOT norco", ""},
        {"soma BUT NOT norco", "soma AND NOT norco", ""},
        {"soma but not norco", "soma AND NOT norco", "\"but not\" at column 10 was read as BUT NOT"},
        {"soma -norco", "soma AND NOT norco", ""},
        {"not medically necessary", "not AND medically AND necessary", "\"not\" at column 1 was read as a word"},
        {"\"or\" soma", "\"or\" AND soma", ""},
        {"or soma", "or AND soma", ""},
        // OR binds first, then the connectors, then AND, then NOT.
        {"soma AND denied OR upheld", "soma AND (denied OR upheld)", "OR binds before the proximity connectors"},
        {"(soma AND denied) OR upheld", "(soma AND denied) OR upheld", ""},
        {"soma AND (denied OR upheld)", "soma AND (denied OR upheld)", ""},
        {"soma OR carisoprodol w/5 denied", "(soma OR carisoprodol) w/5 denied", "OR binds before"},
        {"soma NOT denied OR upheld", "soma AND NOT (denied OR upheld)", "OR binds before"},
        {"soma NOT norco w/5 denied", "soma AND NOT (norco w/5 denied)", "OR binds before"},
        // Proximity in words: Lexis w/n, pre/n, NEAR/n; Westlaw /n and +n.
        {"soma w/5 denied", "soma w/5 denied", ""},
        {"soma /5 denied", "soma w/5 denied", ""},
        {"soma NEAR/5 denied", "soma w/5 denied", ""},
        {"soma NEAR denied", "soma w/10 denied", ""},
        {"soma pre/5 denied", "soma pre/5 denied", ""},
        {"soma +5 denied", "soma pre/5 denied", ""},
        {"a w/2 b pre/3 c", "a w/2 b pre/3 c", ""},
        // Sentences and paragraphs.
        {"soma /s denied", "soma w/s denied", ""},
        {"soma w/s denied", "soma w/s denied", ""},
        {"soma +s denied", "soma pre/s denied", ""},
        {"soma pre/s denied", "soma pre/s denied", ""},
        {"soma /p denied", "soma w/p denied", ""},
        {"soma W/P denied", "soma w/p denied", ""},
        {"soma +p denied", "soma pre/p denied", ""},
        // Root expansion, one-character wildcards, at least n times.
        {"medic!", "medic!", ""},
        {"carisoprod*", "carisoprod*", ""},
        {"wom?n", "wom?n", ""},
        {"wom*n", "wom*n", ""},
        {"is soma recommended?", "is AND soma AND recommended?", ""},
        {"atleast3(soma)", "atleast3(soma)", ""},
        {"ATLEAST2(denied) soma", "atleast2(denied) AND soma", ""},
        // Fields and sections keep their values.
        {"drug:soma decision:overturned", "drug:soma AND decision:overturned", ""},
        {"specialty:\"pain management\"", "specialty:\"pain management\"", ""},
        {"section:rationale (soma OR norco)", "section:rationale (soma OR norco)", ""},
        // Words that look like connectors but are not.
        {"w/o contrast", "w/o AND contrast", ""},
        {"+soma denied", "soma AND denied", ""},
        {"10/325 norco", "10/325 AND norco", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) {
            const auto q = f.parser.parse(c.input);
            CHECK(q.interpreted_as == c.tree);
            if (*c.notice == '\0') {
                CHECK(q.notices.empty());
            } else {
                REQUIRE(q.notices.size() == 1);
                CHECK(q.notices.front().find(c.notice) != std::string::npos);
            }
        }
    }
}

TEST_CASE("connectors compile to the expected match tree") {
    Fixture f;
    struct Case {
        const char* input;
        std::string expected;
    };
    const Case cases[] = {
        {"soma or denied", "soma|carisoprodol|denied|denies"},
        {"soma not denied", "(soma|carisoprodol AND_NOT denied|denies)"},
        {"soma % denied", "(soma|carisoprodol AND_NOT denied|denies)"},
        {"soma /5 denied", "[near 6 soma|carisoprodol denied|denies]"},
        {"soma +5 denied", "[ordered 6 soma|carisoprodol denied|denies]"},
        // A sentence or paragraph: a proximity counted in that unit; a phrase in it keeps its words
        // in a row.
        {"soma /s denied", "[near sentence soma|carisoprodol denied|denies]"},
        {"soma +p denied", "[ordered paragraph soma|carisoprodol denied|denies]"},
        {"\"long term\" /s use", "[near sentence long^term use|used]"},
        {"section:rationale soma /s denied", "[near sentence R:soma|carisoprodol denied|denies]"},
        // Root expansion and one-character wildcards, from the index's words.
        {"carisoprod!", "carisoprodol|carisoprodol's"},
        {"carisopr?dol", "carisoprodol"},
        {"carisopr*dol", "carisoprodol"},
        {"carisoprod?l's", "carisoprodol's"},
        {"cycl?benzaprine", "cyclobenzaprine"},
        {"cyclo?", "cyclo"},  // a '?' that ends a word is a question mark
        // The word's forms, counted in the determination's own and its letter's text.
        {"atleast3(denied)", "atleast3(denied|denies)"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(f.describe(c.input) == c.expected); }
    }
}

// Xapian queries are built only to rank (ranker.h reads their weighted terms): a proximity's or
// section's words rank as ANDed words, a field filters without weight, atleastN ranks its word.
TEST_CASE("the ranking query holds the words that weigh") {
    Fixture f;
    struct Case {
        const char* input;
        std::string expected;
    };
    const Case cases[] = {
        {"soma denied", "Query(((soma SYNONYM carisoprodol) AND (denied SYNONYM denies)))"},
        {"soma w/5 denied", "Query(((soma OR carisoprodol) AND (denied OR denies)))"},
        {"soma /s denied", "Query(((soma OR carisoprodol) AND (denied OR denies)))"},
        {"section:rationale \"long-term use\"", "Query((long PHRASE 3 term PHRASE 3 use))"},
        {"atleast3(denied)", "Query((denied SYNONYM denies))"},
        {"soma decision:overturned", "Query(((soma SYNONYM carisoprodol) FILTER XDECoverturned))"},
        {"soma OR decision:overturned", "Query(((soma SYNONYM carisoprodol) OR 0 * XDECoverturned))"},
        {"denied -upheld", "Query(((denied SYNONYM denies) AND_NOT upheld))"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(f.ranking(c.input) == c.expected); }
    }
}

TEST_CASE("connector errors name the problem and the column") {
    Fixture f;
    struct Case {
        const char* input;
        const char* expected;
    };
    const Case cases[] = {
        {"a w/s b w/5 c", "w/5 at column 9 counts in words, and w/s at column 3 in sentences: one chain of connectors "
                          "counts in one unit"},
        {"soma /0 denied", "/n needs a number from 1 to 1000, got \"0\" at column 6"},
        {"soma +1001 denied", "+n needs a number from 1 to 1000, got \"1001\" at column 6"},
        {"soma /-2 denied", "/n needs a whole number from 1 to 1000, got \"-2\" at column 6"},
        {"/s soma", "/s at column 1 needs a term before it"},
        {"soma /s", "/s at column 6 needs a term after it"},
        {"atleast0(soma)", "atleast needs a number from 1 to 1000, as in atleast3(word), at column 1"},
        {"atleast3(soma denied)", "atleast3 at column 1 takes one word, as in atleast3(soma)"},
        {"atleast3(soma", "unbalanced parenthesis at column 9"},
        {"med!cal", "the root expander ! at column 1 goes at the end of a word, as in medic!"},
        {"m?dical", "the wildcard \"m?dical\" at column 1 needs at least 2 letters before its first ? or *"},
        {"soma OR NOT norco", "OR at column 6 cannot be followed by NOT; write -word"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.input) { CHECK(f.error_of(c.input) == c.expected); }
    }
}

TEST_CASE("did-you-mean leaves alone a word whose forms are indexed") {
    Fixture f;
    const auto q = f.parser.parse("deny w/5 soma");
    REQUIRE(q.words.size() == 2);
    CHECK(q.words[0].term == "deny");
    CHECK(q.words[0].has_forms);  // "denied" and "denies" share its stem
    CHECK(f.parser.parse("zzyzx").words.front().has_forms == false);
}
