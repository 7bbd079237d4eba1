// Unit tests of build_documents: terms, positions, values and data of a hand-made letter, read back through Xapian.
#include "document_builder.h"
#include "token_stream.h"
#include "letter_json.h"
#include "lexicon.h"
#include "parser.h"
#include "schema.h"
#include "test_support.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace schema = imr::schema;

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (const auto& s : v) out += "\"" + s + "\" ";
        return (out + "}").c_str();
    }
};
template <>
struct StringMaker<std::set<int>> {
    static String convert(const std::set<int>& v) {
        std::string out = "{";
        for (int i : v) out += std::to_string(i) + " ";
        return (out + "}").c_str();
    }
};
}  // namespace doctest

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

const imr::Analyzer& analyzer() {
    static imr::Analyzer a;
    return a;
}

// Appends a section to the letter's text and section list, keeping offsets right.
void add_section(imr::Letter& letter, const std::string& name, const std::string& heading, const std::string& body) {
    letter.text += heading + "\n";
    imr::Section section{name, heading, letter.text.size(), body};
    letter.text += body + "\n";
    letter.sections.push_back(std::move(section));
}

// Two determinations: Soma upheld, MRI overturned. The decision block holds both rationales.
imr::Letter two_determination_letter() {
    imr::Letter letter;
    letter.source = "/letters/CM15-0198233.txt";
    letter.case_number = "CM15-0198233";
    letter.injury_date = imr::Date{2011, 4, 28};
    letter.ur_denial_date = imr::Date{2015, 9, 2};
    letter.assigned_date = imr::Date{2015, 10, 1};
    letter.decision_date = imr::Date{2015, 11, 5};
    letter.age = 53;
    letter.sex = "female";
    letter.specialties = {"Anesthesiology", "Pain Management"};
    letter.states = {"California", "Texas"};
    add_section(letter, imr::section::header, "", "Case Number: CM15-0198233 Treatment in Dispute: Soma 350mg, MRI of the lumbar spine");
    add_section(letter, imr::section::reviewer, "HOW THE IMR FINAL DETERMINATION WAS MADE",
                "The expert reviewer is Board Certified in Anesthesiology.");
    add_section(letter, imr::section::summary, "CLINICAL CASE SUMMARY",
                "The injured worker is a 53-year-old female with chronic low back pain at L5-S1.");

    const std::string item1 = "Soma 350mg #60";
    const std::string rationale1 = "Carisoprodol is not recommended for long-term use.";
    const std::string item2 = "MRI of the lumbar spine";
    const std::string rationale2 = "Imaging is indicated given progressive neurologic deficit.";
    const std::string block = item1 + ": Upheld\nDecision rationale: " + rationale1 + "\n" + item2 +
                              ": Overturned\nDecision rationale: " + rationale2;
    add_section(letter, imr::section::decisions, "IMR ISSUES, DECISIONS AND RATIONALES", block);
    const std::size_t block_offset = letter.sections.back().offset;

    imr::Determination soma;
    soma.item = item1;
    soma.outcome = imr::Outcome::Upheld;
    soma.drug = imr::Drug{"carisoprodol", {"carisoprodol"}, "Soma", "muscle relaxant"};
    soma.category = "medication";
    soma.citations = {{"MTUS", "Carisoprodol (Soma)", "29", "Chronic Pain Medical Treatment", "2009"},
                      {"MTUS", "Muscle relaxants (for pain)", "63-66", "Chronic Pain Medical Treatment", "2009"}};
    soma.guidelines = "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009, "
                      "Muscle relaxants (for pain), Page(s): 63-66.";
    soma.basis = imr::Basis::Mtus;
    soma.claims_basis = imr::Basis::NoneCited;
    soma.rationale = rationale1;
    soma.rationale_offset = block_offset + block.find(rationale1);

    imr::Determination mri;
    mri.item = item2;
    mri.outcome = imr::Outcome::Overturned;
    mri.category = "diagnostic imaging";
    mri.citations = {{"ACOEM", "Low Back Complaints", ""}};
    mri.guidelines = "MAXIMUS guideline: Decision based on ACOEM Low Back Complaints.";
    mri.basis = imr::Basis::OutsideMtus;
    mri.claims_citations = {{.source = "ODG", .topic = "MRIs (magnetic resonance imaging)",
                             .document = "Official Disability Guidelines", .chapter = "Low Back"}};
    mri.claims_basis = imr::Basis::OutsideMtus;
    mri.original_request = "MRI of the lumbar spine with and without contrast";
    mri.authorized = "MRI of the lumbar spine without contrast";
    mri.rationale = rationale2;
    mri.rationale_offset = block_offset + block.find(rationale2);

    letter.determinations = {soma, mri};
    return letter;
}

struct Indexed {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    imr::TermIds ids;
    imr::TermIds::Cache cache{ids};
    imr::LetterDocuments docs;
    explicit Indexed(const imr::Letter& letter, const std::string& file = "/letters/CM15-0198233.txt") {
        docs = imr::build_documents(letter, file, "00112233aabbccdd", analyzer(), cache, imr::LetterCodec());
        ids.write_new(db);
        const std::string id = schema::letter_id_for_path(file);
        db.replace_document(schema::letter_doc_term(id), docs.letter);
        for (std::size_t i = 0; i < docs.determinations.size(); ++i)
            db.replace_document(schema::doc_id_term(id, static_cast<int>(i)), docs.determinations[i]);
        db.commit();
    }
    nlohmann::json data(Xapian::docid did) const {
        return nlohmann::json::parse(schema::document_data(db.get_document(did), imr::LetterCodec()));
    }
    Xapian::docid letter_docid() const {
        auto term = schema::letter_doc_term(schema::letter_id_for_path("/letters/CM15-0198233.txt"));
        auto it = db.postlist_begin(term);
        REQUIRE(it != db.postlist_end(term));
        return *it;
    }
    Xapian::docid docid_of(int ordinal) const {
        auto term = schema::doc_id_term(schema::letter_id_for_path("/letters/CM15-0198233.txt"), ordinal);
        auto it = db.postlist_begin(term);
        REQUIRE(it != db.postlist_end(term));
        return *it;
    }
    // Where a word lies in a document, read back from its token stream and the stored term ids.
    std::vector<Xapian::termpos> positions(Xapian::docid docid, const std::string& word) const {
        std::vector<Xapian::termpos> out;
        const auto id = imr::token_stream::find_term_id(db, word);
        if (!id) return out;
        const auto doc = db.get_document(docid);
        const std::string letter_stream = doc.get_value(schema::kSlotLetterTokens);
        imr::token_stream::scan(letter_stream.empty() ? doc.get_value(schema::kSlotTokens) : letter_stream, [&](Xapian::termpos pos, auto found) {
            if (found == *id) out.push_back(pos);
            return false;
        });
        return out;
    }
    // Documents matching a phrase as the query side would build it: the analyzer's terms, adjacent.
    // With a section code, the phrase must also start inside a span of that section.
    std::set<int> phrase(const std::string& text, char section = '\0') const {
        std::vector<std::string> words;
        for (const auto& t : analyzer().tokenize(text)) words.push_back(t.term);
        std::set<int> out;
        for (Xapian::docid docid = 1; docid <= db.get_lastdocid(); ++docid)
            if (!starts_in_section(docid, words, section).empty()) out.merge(ordinals_of(docid));
        return out;
    }
    // Positions where the words start as a phrase, inside a span of `section` unless it is '\0'.
    std::vector<Xapian::termpos> starts_in_section(Xapian::docid docid, const std::vector<std::string>& words, char section) const {
        const auto spans = schema::decode_section_spans(db.get_document(docid).get_value(schema::kSlotSections));
        std::vector<Xapian::termpos> starts;
        for (Xapian::termpos p : positions(docid, words[0])) {
            bool phrase = true;
            for (std::size_t i = 1; i < words.size() && phrase; ++i) {
                const auto next = positions(docid, words[i]);
                phrase = std::count(next.begin(), next.end(), p + i) == 1;
            }
            const bool inside = section == '\0' || std::any_of(spans.begin(), spans.end(), [&](const schema::SectionSpan& s) {
                return s.code == section && s.first <= p && p + words.size() - 1 <= s.last;
            });
            if (phrase && inside) starts.push_back(p);
        }
        return starts;
    }
    std::set<int> term(const std::string& t) const {
        std::set<int> out;
        for (Xapian::docid docid : docids(Xapian::Query(t))) out.merge(ordinals_of(docid));
        return out;
    }
    std::vector<Xapian::docid> docids(const Xapian::Query& q) const {
        Xapian::Enquire enquire(db);
        enquire.set_query(q);
        std::vector<Xapian::docid> out;
        auto mset = enquire.get_mset(0, 100);
        for (auto m = mset.begin(); m != mset.end(); ++m) out.push_back(*m);
        return out;
    }
    // The ordinal of a determination document; every ordinal for the letter document, whose text
    // each determination shares.
    std::set<int> ordinals_of(Xapian::docid docid) const {
        const std::string ordinal = db.get_document(docid).get_value(schema::kSlotOrdinal);
        if (!ordinal.empty()) return {static_cast<int>(Xapian::sortable_unserialise(ordinal))};
        std::set<int> all;
        for (int i = 0; i < static_cast<int>(docs.determinations.size()); ++i) all.insert(i);
        return all;
    }
    // The document's boolean terms (prefix X), sorted.
    std::vector<std::string> field_terms(int ordinal) const {
        std::vector<std::string> out;
        const auto docid = docid_of(ordinal);
        for (auto it = db.termlist_begin(docid); it != db.termlist_end(docid); ++it) {
            const std::string t = *it;
            if (t.rfind("X", 0) == 0) out.push_back(t);
        }
        return out;  // a termlist is sorted
    }
};

}  // namespace

TEST_CASE("build_documents: a letter document and one document per determination, found by the right text") {
    Indexed idx(two_determination_letter());
    REQUIRE(idx.docs.determinations.size() == 2);
    CHECK(idx.db.get_doccount() == 3);

    struct Case {
        const char* name;
        std::string phrase;
        char section;
        std::set<int> ordinals;
    };
    const Case cases[] = {
        {"summary phrase finds every determination", "a 53-year-old female with chronic low back pain", '\0', {0, 1}},
        {"compound in the summary", "pain at L5-S1", '\0', {0, 1}},
        {"header phrase", "Case Number: CM15-0198233", '\0', {0, 1}},
        {"reviewer phrase", "Board Certified in Anesthesiology", '\0', {0, 1}},
        {"own rationale only", "not recommended for long-term use", '\0', {0}},
        {"the other rationale only", "progressive neurologic deficit", '\0', {1}},
        {"item", "Soma 350mg #60", '\0', {0, 1}},  // both: the decision block lists every item
        {"item, section-scoped", "Soma 350mg #60", 'I', {0}},
        {"rationale, section-scoped", "not recommended", 'R', {0}},
        {"summary, section-scoped", "chronic low back pain", 'S', {0, 1}},
        {"summary text is not in the rationale section", "chronic low back pain", 'R', {}},
        {"header, section-scoped", "MRI of the lumbar spine", 'H', {0, 1}},
        {"reviewer, section-scoped", "Board Certified", 'V', {0, 1}},
        {"guideline citation text, section-scoped", "Muscle relaxants (for pain)", 'G', {0}},
        {"guideline pages", "Low Back Complaints", 'G', {1}},
        // A citation's normalized name is a field value, never letter text.
        {"normalized guideline topic is not a letter phrase", "Carisoprodol (Soma)", '\0', {}},
        {"a heading as printed", "Clinical Case Summary", '\0', {0, 1}},
        {"a heading is in no section", "Clinical Case Summary", 'S', {}},
        {"phrase across a section boundary does not match", "Anesthesiology The injured worker", '\0', {}},
        {"phrase across the end of the summary does not match", "L5-S1 Soma", '\0', {}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(idx.phrase(c.phrase, c.section) == c.ordinals); }
    }
}

namespace {

// Letters as the parser reads them, in the three layouts, two items each.
const std::string kStandardLetter =
    "Case Number: CM15-0198233\nTreatment(s) in Dispute Listed on IMR Application: Baclofen 10mg #60; MRI of the lumbar spine\n"
    "HOW THE IMR FINAL DETERMINATION WAS MADE\n"
    "MAXIMUS Federal Services sent the complete case file to an expert reviewer.\n"
    "State(s) of Licensure: California\nCertification(s)/Specialty: Physical Medicine & Rehabilitation\n"
    "CLINICAL CASE SUMMARY\n"
    "The injured worker is a 53-year-old female with chronic low back pain at L5-S1.\n"
    "IMR ISSUES, DECISIONS AND RATIONALES\n"
    "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
    "Baclofen 10mg #60: Overturned\n"
    "Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\n"
    "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Muscle relaxants (for pain), "
    "Page(s): 63-64.\n"
    "Decision rationale: Baclofen is recommended for spasticity from multiple sclerosis. The request is medically "
    "necessary.\n"
    "MRI of the lumbar spine: Upheld\n"
    "Claims Administrator guideline: Decision based on MTUS ACOEM Practice Guidelines.\n"
    "MAXIMUS guideline: Decision based on MTUS ACOEM Practice Guidelines, Low Back Complaints, Page(s): 303-304.\n"
    "Decision rationale: No red flags are documented. The request is not medically necessary.\n";

const std::string k2013Letter =
    "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nCase Number: CM13-0021847\n"
    "DOCUMENTS REVIEWED\nApplication of Independent Medical Review; medical records.\n"
    "IMR DECISION(S) AND RATIONALE(S)\n"
    "1. Omeprazole 20mg #60 is not medically necessary and appropriate.\n"
    "The Claims Administrator based its decision on the MTUS Chronic Pain Medical Treatment Guidelines.\n"
    "The Expert Reviewer based his/her decision on the MTUS, NSAIDs, GI symptoms & cardiovascular risk Page(s): 68-69.\n"
    "The Expert Reviewer's decision rationale: No GI risk factors are documented.\n"
    "2. Naproxen sodium 550mg #60 is medically necessary and appropriate.\n"
    "The Claims Administrator based its decision on the MTUS Chronic Pain Medical Treatment Guidelines.\n"
    "The Expert Reviewer's decision rationale: Pain relief with the NSAID is documented.\n";

const std::string kProfessionalLetter =
    "MEDICAL PROFESSIONAL REVIEW\nCase Number: CM16-0044390\nISSUE AT DISPUTE:\n1. Ambien 10mg #30\n2. TENS unit purchase\n"
    "CASE SUMMARY:\nA 31-year-old male warehouse associate injured his back.\n"
    "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\n"
    "Ambien 10mg #30: Decision based on Official Disability Guidelines (ODG) Pain (Chronic), Zolpidem (Ambien).\n"
    "TENS unit purchase: Decision based on MTUS Chronic Pain Treatment Guidelines TENS Page(s): 114-116.\n"
    "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:\n"
    "Ambien 10mg #30: Upheld\nZolpidem is for short-term use only.\n"
    "TENS unit purchase: Overturned\nA successful one-month trial is documented.\n"
    "MEDICAL REVIEWER QUALIFICATIONS:\nThe expert reviewer is Board Certified in Psychiatry.\n";

imr::Letter parsed(const std::string& text) {
    static const imr::Lexicon lexicon = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    static const imr::Parser parser(lexicon);
    return parser.parse(text, "/letters/CM15-0198233.txt");
}

// The documents in which the phrase's words lie one after another (inside a span of `section`
// unless it is '\0'): "letter" for the letter document, a determination by its ordinal.
std::string documents_with(const Indexed& idx, const std::string& phrase, char section) {
    std::vector<std::string> words;
    for (const auto& t : analyzer().tokenize(phrase)) words.push_back(t.term);
    std::string out;
    auto add = [&](const std::string& name) { out += (out.empty() ? "" : " ") + name; };
    if (!idx.starts_in_section(idx.letter_docid(), words, section).empty()) add("letter");
    for (int i = 0; i < static_cast<int>(idx.docs.determinations.size()); ++i)
        if (!idx.starts_in_section(idx.docid_of(i), words, section).empty()) add(std::to_string(i));
    return out.empty() ? "none" : out;
}

}  // namespace

// Each document's text in the letter's reading order: a letter's text -> which runs of its words
// lie together in which document.
TEST_CASE("build_documents: runs of words as the letter prints them") {
    struct Case {
        const char* name;
        const std::string& letter;
        std::string phrase;
        char section;
        std::string documents;
    };
    const Case cases[] = {
        {"a heading and the first words of its section", kStandardLetter,
         "CLINICAL CASE SUMMARY The injured worker is", '\0', "letter"},
        {"a section's end, the next heading", kStandardLetter,
         "Physical Medicine & Rehabilitation CLINICAL CASE SUMMARY", '\0', "letter"},
        {"the header, a heading and the reviewer's text", kStandardLetter,
         "MRI of the lumbar spine HOW THE IMR FINAL DETERMINATION WAS MADE MAXIMUS", '\0', "letter"},
        {"the decision preamble and the first item line", kStandardLetter,
         "set forth below: Baclofen 10mg #60: Overturned", '\0', "letter"},
        {"an item line and its guideline lines: the letter's, and the item's own", kStandardLetter,
         "Baclofen 10mg #60: Overturned Claims Administrator guideline: Decision", '\0', "letter 0"},
        {"a guideline line's end, the label and the rationale", kStandardLetter,
         "Page(s): 63-64. Decision rationale: Baclofen is recommended", '\0', "0"},
        {"the second item's", kStandardLetter, "Page(s): 303-304. Decision rationale: No red flags", '\0', "1"},
        {"a rationale is in its item's document only", kStandardLetter, "spasticity from multiple sclerosis", '\0', "0"},
        {"the letter's text runs on where a rationale was cut out, after a gap", kStandardLetter,
         "Decision rationale: MRI of the lumbar spine", '\0', "none"},
        {"no item's text runs on into the next item's", kStandardLetter,
         "The request is medically necessary. MRI of the lumbar spine: Upheld", '\0', "none"},
        {"the item section holds the item's words", kStandardLetter, "Baclofen 10mg #60", 'I', "0"},
        {"the outcome lies in no section", kStandardLetter, "Overturned", 'I', "none"},
        {"the guideline lines keep their section", kStandardLetter, "Muscle relaxants (for pain), Page(s): 63-64", 'G', "0"},
        {"the label lies in no section", kStandardLetter, "Decision rationale", 'R', "none"},
        {"the rationale keeps its section", kStandardLetter, "Baclofen is recommended", 'R', "0"},
        {"a heading lies in no section", kStandardLetter, "CLINICAL CASE SUMMARY", 'S', "none"},
        {"a section's body keeps its section", kStandardLetter, "The injured worker is a 53-year-old", 'S', "letter"},
        {"2013: the statement, its guideline lines, label and rationale", k2013Letter,
         "cardiovascular risk Page(s): 68-69. The Expert Reviewer's decision rationale: No GI risk", '\0', "0"},
        {"2013: a heading and the first statement", k2013Letter,
         "IMR DECISION(S) AND RATIONALE(S) 1. Omeprazole 20mg #60 is not", '\0', "letter"},
        {"2013: the statement's item is the item section", k2013Letter, "Naproxen sodium 550mg #60", 'I', "1"},
        {"2013: a statement's verdict is not", k2013Letter, "medically necessary and appropriate", 'I', "none"},
        {"professional review: an outcome line and its rationale", kProfessionalLetter,
         "TENS unit purchase: Overturned A successful one-month trial", '\0', "1"},
        {"professional review: the item named and its guideline paragraph", kProfessionalLetter,
         "Ambien 10mg #30: Decision based on Official Disability Guidelines", '\0', "letter 0"},
        {"professional review: the guideline paragraph and the outcome line are printed apart", kProfessionalLetter,
         "Zolpidem (Ambien). TENS unit purchase: Decision", '\0', "letter"},
        {"professional review: a rationale's end and the next heading", kProfessionalLetter,
         "is documented. MEDICAL REVIEWER QUALIFICATIONS", '\0', "none"},
        {"professional review: the heading and the first outcome line", kProfessionalLetter,
         "NOT MEDICALLY NECESSARY: Ambien 10mg #30: Upheld", '\0', "letter"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            Indexed idx(parsed(c.letter));
            CHECK(documents_with(idx, c.phrase, c.section) == c.documents);
        }
    }
}

TEST_CASE("build_documents: words, compound parts, no stems") {
    Indexed idx(two_determination_letter());
    struct Case {
        const char* name;
        std::string term;
        std::set<int> ordinals;
    };
    const Case cases[] = {
        {"part of a compound", "s1", {0, 1}},
        {"part of a number and unit", "mg", {0, 1}},
        {"part of a quantity", "60", {0, 1}},
        {"folded compound", "cm15-0198233", {0, 1}},
        {"long-term is two words", "long", {0}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(idx.term(c.term) == c.ordinals); }
    }
    SUBCASE("stems are not indexed: the query side expands words to the indexed words of their stem") {
        for (auto t = idx.db.allterms_begin("Z"); t != idx.db.allterms_end("Z"); ++t) FAIL("a stem term: " << *t);
        CHECK(idx.term("injured") == std::set<int>{0, 1});
        CHECK(idx.term("injur").empty());
    }
    SUBCASE("the shared text is in the letter document only") {
        CHECK(idx.docids(Xapian::Query("female")) == std::vector<Xapian::docid>{idx.letter_docid()});
        CHECK(idx.docids(Xapian::Query("carisoprodol")) == std::vector<Xapian::docid>{idx.docid_of(0)});
    }
    SUBCASE("words are in the token stream, parts are not, and nothing has Xapian positions") {
        auto docid = idx.letter_docid();
        CHECK(idx.positions(docid, "s1").empty());
        CHECK(idx.positions(docid, "l5-s1").size() == 1);
        CHECK(idx.db.positionlist_begin(docid, "l5-s1") == idx.db.positionlist_end(docid, "l5-s1"));
        CHECK_FALSE(idx.db.has_positions());
    }
    SUBCASE("sections are spans of positions, in order, without terms of their own") {
        auto codes_of = [&](Xapian::docid docid) {
            const auto spans = schema::decode_section_spans(idx.db.get_document(docid).get_value(schema::kSlotSections));
            std::string codes;
            for (std::size_t i = 0; i < spans.size(); ++i) {
                codes += spans[i].code;
                CHECK(spans[i].first <= spans[i].last);
                if (i > 0) CHECK(spans[i].first > spans[i - 1].last);
            }
            for (auto t = idx.db.termlist_begin(docid); t != idx.db.termlist_end(docid); ++t) CHECK((*t).rfind("XSS", 0) != 0);
            return codes;
        };
        CHECK(codes_of(idx.letter_docid()) == "HVS");
        CHECK(codes_of(idx.docid_of(0)) == "IGR");
        CHECK(codes_of(idx.docid_of(1)) == "IGR");
        CHECK(idx.starts_in_section(idx.letter_docid(), {"chronic"}, 'S').size() == 1);
        CHECK(idx.starts_in_section(idx.letter_docid(), {"chronic"}, 'R').empty());
    }
    SUBCASE("the spelling words are the letter's plain words of every document, each once") {
        std::set<std::string> expected;
        for (auto t = idx.db.allterms_begin(); t != idx.db.allterms_end(); ++t)
            if (imr::is_spelling_word(*t)) expected.insert(*t);
        const std::set<std::string> got(idx.docs.spelling.begin(), idx.docs.spelling.end());
        CHECK(got.size() == idx.docs.spelling.size());
        CHECK(got == expected);
        CHECK(got.count("chronic") == 1);       // letter document
        CHECK(got.count("carisoprodol") == 1);  // a determination
        CHECK(got.count("s1") == 0);
    }
    SUBCASE("a second letter built by the same thread lists its words again, and counts them afresh") {
        const auto again = imr::build_documents(two_determination_letter(), "/letters/other.txt", "00112233aabbccdd", analyzer(), idx.cache,
                                                imr::LetterCodec());
        std::multiset<std::string> first(idx.docs.spelling.begin(), idx.docs.spelling.end());
        std::multiset<std::string> second(again.spelling.begin(), again.spelling.end());
        CHECK(second == first);
        auto wdfs = [](const Xapian::Document& doc) {
            std::map<std::string, Xapian::termcount> out;
            for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
                if ((*t).empty() || !std::isupper(static_cast<unsigned char>((*t)[0]))) out[*t] = t.get_wdf();
            return out;
        };
        CHECK(wdfs(again.letter) == wdfs(idx.docs.letter));
        CHECK(wdfs(again.determinations.at(1)) == wdfs(idx.docs.determinations.at(1)));
        CHECK(wdfs(idx.docs.letter).at("chronic") >= 1);
    }
}

TEST_CASE("build_documents: identity, field terms and values") {
    Indexed idx(two_determination_letter());
    const std::string id = schema::letter_id_for_path("/letters/CM15-0198233.txt");
    struct Case {
        const char* name;
        int ordinal;
        std::vector<std::string> terms;
    };
    const Case cases[] = {
        {"the upheld drug",
         0,
         {"XBASISmtus", "XBRANDsoma", "XCABASISnone cited", "XCASEcm15-0198233", "XCATmedication",
          "XCLASSmuscle relaxant", "XDECupheld", "XDRUGcarisoprodol", "XGDmtus chronic pain medical treatment",
          "XGLmtus: carisoprodol (soma)",
          "XGLmtus: muscle relaxants (for pain)", "XGSmtus", "XINGcarisoprodol", "XL" + id, "XSEXfemale",
          "XSPECanesthesiology", "XSPECpain management", "XSTATEcalifornia", "XSTATEtexas", "XYEAR2015"}},
        {"the overturned imaging",
         1,
         {"XBASISoutside mtus", "XCABASISoutside mtus", "XCASEcm15-0198233", "XCATdiagnostic imaging",
          "XDECoverturned", "XGDacoem", "XGLacoem: low back complaints", "XGSacoem", "XL" + id, "XSEXfemale", "XSPECanesthesiology",
          "XSPECpain management", "XSTATEcalifornia", "XSTATEtexas", "XYEAR2015"}},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            CHECK(idx.field_terms(c.ordinal) == sorted(c.terms));
            auto doc = idx.db.get_document(idx.docid_of(c.ordinal));
            CHECK(doc.get_value(schema::kSlotLetterId) == id);
            CHECK(doc.get_value(schema::kSlotContentHash).empty());
            CHECK(Xapian::sortable_unserialise(doc.get_value(schema::kSlotDecisionDate)) == 20151105);
            CHECK(Xapian::sortable_unserialise(doc.get_value(schema::kSlotInjuryDate)) == 20110428);
            CHECK(Xapian::sortable_unserialise(doc.get_value(schema::kSlotUrDenialDate)) == 20150902);
            CHECK(Xapian::sortable_unserialise(doc.get_value(schema::kSlotAge)) == 53);
            CHECK(Xapian::sortable_unserialise(doc.get_value(schema::kSlotOrdinal)) == c.ordinal);
        }
    }
    SUBCASE("the letter document: identity, letter id, content hash, sections, no field terms or ordinal") {
        auto doc = idx.db.get_document(idx.letter_docid());
        std::vector<std::string> boolean;
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
            if ((*t).rfind("X", 0) == 0 || (*t).rfind("Q", 0) == 0) boolean.push_back(*t);
        CHECK(boolean == sorted({"Q" + id, "XL" + id}));
        CHECK(doc.get_value(schema::kSlotLetterId) == id);
        CHECK(doc.get_value(schema::kSlotContentHash) == "00112233aabbccdd");
        CHECK(doc.get_value(schema::kSlotOrdinal).empty());
        CHECK(doc.get_value(schema::kSlotDecisionDate).empty());
    }
    SUBCASE("the Q term is unique per document") {
        CHECK(idx.db.get_termfreq(schema::letter_doc_term(id)) == 1);
        CHECK(idx.db.get_termfreq(schema::doc_id_term(id, 0)) == 1);
        CHECK(idx.db.get_termfreq(schema::doc_id_term(id, 1)) == 1);
        CHECK(idx.db.get_termfreq("XL" + id) == 3);
    }
}

TEST_CASE("build_documents: document data") {
    Indexed idx(two_determination_letter());
    const std::string id = schema::letter_id_for_path("/letters/CM15-0198233.txt");
    auto data0 = idx.data(idx.docid_of(0));
    auto data1 = idx.data(idx.docid_of(1));
    SUBCASE("the data is a compressed value; Xapian's own document data stays empty") {
        for (Xapian::docid did : {idx.letter_docid(), idx.docid_of(0), idx.docid_of(1)}) {
            const auto doc = idx.db.get_document(did);
            CHECK(doc.get_data().empty());
            const std::string frame = doc.get_value(schema::kSlotData);
            REQUIRE_FALSE(frame.empty());
            CHECK(frame.size() < imr::LetterCodec().decompress(frame).size());
        }
    }
    SUBCASE("the codec is trained on the stored letter and the data of each document") {
        const auto samples = imr::codec_samples(two_determination_letter(), "/letters/CM15-0198233.txt");
        REQUIRE(samples.size() == 4);
        CHECK(nlohmann::json::parse(samples[0]) == nlohmann::json(two_determination_letter()));
        CHECK(nlohmann::json::parse(samples[1]) == idx.data(idx.letter_docid()));
        CHECK(nlohmann::json::parse(samples[2]) == data0);
        CHECK(nlohmann::json::parse(samples[3]) == data1);
    }
    SUBCASE("the JSON is written as nlohmann's dump() writes it (keys sorted, no spaces)") {
        for (Xapian::docid did : {idx.letter_docid(), idx.docid_of(0), idx.docid_of(1)}) {
            const std::string text = schema::document_data(idx.db.get_document(did), imr::LetterCodec());
            CHECK(text == nlohmann::json::parse(text).dump());
        }
        const std::string letter = imr::LetterCodec().decompress(idx.db.get_document(idx.letter_docid()).get_value(schema::kSlotLetter));
        CHECK(letter == nlohmann::json(two_determination_letter()).dump());
        for (const auto& sample : imr::codec_samples(two_determination_letter(), "/letters/CM15-0198233.txt"))
            CHECK(sample == nlohmann::json::parse(sample).dump());
    }
    SUBCASE("determination fields") {
        CHECK(data0["id"] == id + "/0");
        CHECK(data0["letter_id"] == id);
        CHECK(data0["file"] == "/letters/CM15-0198233.txt");
        CHECK(data0["case_number"] == "CM15-0198233");
        CHECK(data0["item"] == "Soma 350mg #60");
        CHECK(data0["decision"] == "Upheld");
        CHECK(data0["drug"] == "carisoprodol");
        CHECK(data0["brand"] == "Soma");
        CHECK(data0["drug_class"] == "muscle relaxant");
        CHECK(data0["category"] == "medication");
        CHECK(data0["guidelines"] == nlohmann::json::array({"MTUS: Carisoprodol (Soma)", "MTUS: Muscle relaxants (for pain)"}));
        CHECK(data0["citations"][1] == nlohmann::json{{"source", "MTUS"},   {"document", "Chronic Pain Medical Treatment"},
                                                      {"edition", "2009"},
                                                      {"section", "Muscle relaxants (for pain)"}, {"pages", "63-66"}});
        CHECK(data0["guideline_documents"] == nlohmann::json::array({"MTUS Chronic Pain Medical Treatment"}));
        CHECK(data0["guideline_sources"] == nlohmann::json::array({"MTUS"}));
        CHECK(data0["basis"] == "MTUS");
        CHECK(data0["claims_basis"] == "none cited");
        CHECK(data0["original_request"] == "");
        CHECK(data0["specialties"] == nlohmann::json::array({"Anesthesiology", "Pain Management"}));
        CHECK(data0["states"] == nlohmann::json::array({"California", "Texas"}));
        CHECK(data0["age"] == 53);
        CHECK(data0["sex"] == "female");
        CHECK(data0["injury_date"] == "2011-04-28");
        CHECK(data0["ur_denial_date"] == "2015-09-02");
        CHECK(data0["decision_date"] == "2015-11-05");
        CHECK(data0["assigned_date"] == "2015-10-01");
        CHECK(data0["layout"] == "Standard");
        CHECK(data0["ordinal"] == 0);
        CHECK(data0["determinations"] == 2);
    }
    SUBCASE("second determination without a drug") {
        CHECK(data1["id"] == id + "/1");
        CHECK(data1["decision"] == "Overturned");
        CHECK(data1["original_request"] == "MRI of the lumbar spine with and without contrast");
        CHECK(data1["authorized"] == "MRI of the lumbar spine without contrast");
        CHECK(data1["claims_basis"] == "outside MTUS");
        CHECK(!data1.contains("claims_citations"));  // in the stored letter only
        CHECK(data1["drug"] == "");
        CHECK(data1["brand"] == "");
        CHECK(data1["drug_class"] == "");
        CHECK(data1["ordinal"] == 1);
    }
    SUBCASE("the letter is stored, compressed, in the letter document only") {
        const auto letter_doc = idx.db.get_document(idx.letter_docid());
        auto letter_data = idx.data(idx.letter_docid());
        CHECK_FALSE(letter_data.contains("letter"));
        const std::string frame = letter_doc.get_value(schema::kSlotLetter);
        REQUIRE_FALSE(frame.empty());
        CHECK(nlohmann::json::parse(imr::LetterCodec().decompress(frame)) == nlohmann::json(two_determination_letter()));
        CHECK(idx.db.get_document(idx.docid_of(0)).get_value(schema::kSlotLetter).empty());
        CHECK(letter_data["id"] == id);
        CHECK(letter_data["file"] == "/letters/CM15-0198233.txt");
        CHECK(letter_data["determinations"] == 2);
        CHECK_FALSE(letter_data.contains("ordinal"));
        CHECK_FALSE(data0.contains("letter"));
        CHECK_FALSE(data1.contains("letter"));
    }
}

TEST_CASE("build_documents: letters with missing facts") {
    SUBCASE("no determinations: one Unknown document, flagged, text still found") {
        imr::Letter letter;
        add_section(letter, imr::section::summary, "CLINICAL CASE SUMMARY", "Chronic neck pain after a fall.");
        letter.flags = {"outcome-unreadable: no decision lines"};
        Indexed idx(letter);
        REQUIRE(idx.docs.determinations.size() == 1);
        CHECK(idx.phrase("chronic neck pain") == std::set<int>{0});
        CHECK(idx.field_terms(0) == sorted({
                                        "XBASISnone cited", "XCABASISnone cited", "XDECunknown",
                                        "XFLAGno-determinations", "XFLAGoutcome-unreadable",
                                        "XL" + schema::letter_id_for_path("/letters/CM15-0198233.txt")}));
        auto data = nlohmann::json::parse(schema::document_data(idx.docs.determinations[0], imr::LetterCodec()));
        CHECK(data["decision"] == "Unknown");
        CHECK(data["determinations"] == 1);
        CHECK(data["age"].is_null());
        CHECK(data["decision_date"].is_null());
        auto doc = idx.db.get_document(idx.docid_of(0));
        CHECK(doc.get_value(schema::kSlotDecisionDate).empty());
        CHECK(doc.get_value(schema::kSlotAge).empty());
    }
}

TEST_CASE("is_spelling_word: plain words of letters only") {
    struct Case {
        const char* term;
        bool plain;
    };
    const Case cases[] = {
        {"carisoprodol", true}, {"caf\xc3\xa9", true}, {"a", false},       {"s1", false},
        {"l5-s1", false},       {"XDcarisoprodol", false}, {"350", false}, {"abcdefghijklmnopqrstuvwxyzabcdefg", false},
    };
    for (const auto& c : cases) {
        SUBCASE(c.term) { CHECK(imr::is_spelling_word(c.term) == c.plain); }
    }
}

TEST_CASE("flag_key: the flag's name before its detail") {
    struct Case {
        const char* flag;
        const char* key;
    };
    const Case cases[] = {
        {"outcome-unreadable: item 2", "outcome-unreadable"},
        {"outcome-unreadable", "outcome-unreadable"},
        {"mixed-encoding : x", "mixed-encoding"},
        {"", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.flag) { CHECK(imr::flag_key(c.flag) == c.key); }
    }
}
