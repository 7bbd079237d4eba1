// Test helper for the searcher: small indexes of hand-built letters, written through the real document builder.
#pragma once

#include "analyzer.h"
#include "document_builder.h"
#include "engine.h"
#include "lexicon.h"
#include "schema.h"
#include "test_support.h"

#include <xapian.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace imr::test {

// One disputed item, as a letter states it.
struct ItemSpec {
    std::string item;
    Outcome outcome = Outcome::Upheld;
    std::optional<Drug> drug;
    std::string category = "medication";
    std::vector<Citation> citations;
    std::string rationale;
    std::string original_request, authorized;  // a partly authorized request
};

struct LetterSpec {
    std::string file;  // a made-up path; the letter id derives from it
    std::string case_number;
    std::optional<Date> decision_date, injury_date, ur_denial_date, application_received;
    std::string priority;
    std::optional<int> age;
    std::string sex;
    std::vector<std::string> specialties = {"Internal Medicine"};
    std::vector<std::string> states = {"California"};
    std::string summary;  // the clinical case summary
    std::vector<ItemSpec> items;
};

inline Drug drug(std::string generic, std::string brand, std::string drug_class) {
    Drug d;
    d.generic = generic;
    std::string rest = generic;
    for (std::size_t slash; (slash = rest.find('/')) != std::string::npos; rest = rest.substr(slash + 1))
        d.ingredients.push_back(rest.substr(0, slash));
    d.ingredients.push_back(rest);
    d.brand = std::move(brand);
    d.drug_class = std::move(drug_class);
    return d;
}

// The Letter the parser would make of such a letter: header, summary and decisions sections in one text.
inline Letter build_letter(const LetterSpec& spec) {
    Letter letter;
    letter.source = spec.file;
    letter.encoding = "UTF-8";
    letter.case_number = spec.case_number;
    letter.decision_date = spec.decision_date;
    letter.injury_date = spec.injury_date;
    letter.ur_denial_date = spec.ur_denial_date;
    letter.application_received = spec.application_received;
    letter.priority = spec.priority;
    letter.age = spec.age;
    letter.sex = spec.sex;
    letter.specialties = spec.specialties;
    letter.states = spec.states;

    auto add_section = [&](const std::string& name, const std::string& heading, const std::string& body) {
        letter.text += heading + "\n";
        Section s;
        s.name = name;
        s.heading = heading;
        s.offset = letter.text.size();
        s.text = body;
        letter.text += body + "\n\n";
        letter.sections.push_back(s);
        return s.offset;
    };
    std::string header = "Case Number: " + spec.case_number + "\nTreatment(s) in Dispute Listed on IMR Application:";
    for (const auto& item : spec.items) header += "\n" + item.item;
    add_section(section::header, "", header);
    add_section(section::summary, "CLINICAL CASE SUMMARY", spec.summary);

    std::string decisions;
    std::vector<std::size_t> rationale_at;
    for (const auto& item : spec.items) {
        decisions += item.item + ": " + to_string(item.outcome) + "\nDecision rationale: ";
        rationale_at.push_back(decisions.size());
        decisions += item.rationale + "\n";
    }
    const std::size_t decisions_offset = add_section(section::decisions, "IMR ISSUES, DECISIONS AND RATIONALES", decisions);
    for (std::size_t i = 0; i < spec.items.size(); ++i) {
        const auto& item = spec.items[i];
        Determination d;
        d.item = item.item;
        d.outcome = item.outcome;
        d.drug = item.drug;
        d.category = item.category;
        d.citations = item.citations;
        d.basis = std::any_of(item.citations.begin(), item.citations.end(), [](const Citation& c) { return c.source == "MTUS"; })
                      ? Basis::Mtus
                      : item.citations.empty() ? Basis::NoneCited : Basis::OutsideMtus;
        d.original_request = item.original_request;
        d.authorized = item.authorized;
        d.rationale = item.rationale;
        d.rationale_offset = decisions_offset + rationale_at[i];
        letter.determinations.push_back(d);
    }
    return letter;
}

// A database written with the real document builder as imr-index writes it (no termlists,
// schema.h), plus the spelling words imr-index adds. A letter added again replaces its older
// version, whose documents become dead.
class TestIndex {
public:
    TestIndex() : path_(tmp_.path() / "index.db") {
        Xapian::WritableDatabase(path_.string(), Xapian::DB_CREATE_OR_OPEN | schema::kDatabaseFlags);
    }

    const std::filesystem::path& path() const { return path_; }

    void add(const std::vector<LetterSpec>& letters) {
        Xapian::WritableDatabase db(path_.string(), Xapian::DB_CREATE_OR_OPEN | schema::kDatabaseFlags);
        db.set_metadata(std::string(schema::kVersionKey), std::string(schema::kVersion));
        TermIds ids;
        ids.load(db);
        TermIds::Cache cache(ids);
        for (const auto& spec : letters) {
            const Letter letter = build_letter(spec);
            const auto docs = build_documents(letter, spec.file, schema::hash_hex(letter.text), analyzer_, cache, LetterCodec());
            const std::string letter_id = schema::letter_id_for_path(spec.file);
            const auto [first, last] = schema::live_range(db, std::string(schema::kLetterId) + letter_id, schema::dead_docids(db));
            if (first != 0) db.set_metadata(schema::dead_key(first), std::to_string(last));
            db.add_document(docs.letter);
            for (const auto& determination : docs.determinations) db.add_document(determination);
            for (const auto& token : analyzer_.tokenize(letter.text))
                if (token.term.size() >= 3) db.add_spelling(token.term);
        }
        ids.write_new(db);
        db.commit();
    }

private:
    TempDir tmp_;
    std::filesystem::path path_;
    Analyzer analyzer_;
};

inline const Lexicon& product_lexicon() {
    static const Lexicon lexicon = Lexicon::load(source_dir() / "data" / "lexicon");
    return lexicon;
}

inline std::string letter_id(const std::string& file) { return schema::letter_id_for_path(file); }

}  // namespace imr::test
