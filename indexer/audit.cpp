// The corpus audit: reads each stored letter back and counts what is missing or looks wrong.
#include "audit.h"

#include "indexer.h"
#include "letter_audit.h"
#include "letter_json.h"
#include "schema.h"
#include "text_scan.h"

#include <xapian.h>

#include <algorithm>
#include <functional>
#include <iomanip>
#include <map>

namespace imr {
namespace {

using namespace imr::scan;

// The letter fields whose coverage the audit reports, in the order shown.
struct CoverageField {
    const char* name;
    std::function<bool(const Letter&)> has;
    bool expected = false;  // every letter prints it, so a letter without it is listed as a problem
};
const std::vector<CoverageField>& coverage_fields() {
    static const std::vector<CoverageField> fields = {
        {"case number", [](const Letter& l) { return !l.case_number.empty(); }, true},
        {"decision date", [](const Letter& l) { return l.decision_date.has_value(); }, true},
        {"injury date", [](const Letter& l) { return l.injury_date.has_value(); }, true},
        {"UR denial date", [](const Letter& l) { return l.ur_denial_date.has_value(); }},
        {"date assigned", [](const Letter& l) { return l.assigned_date.has_value(); }},
        {"application received", [](const Letter& l) { return l.application_received.has_value(); }},
        {"priority", [](const Letter& l) { return !l.priority.empty(); }},
        {"age", [](const Letter& l) { return l.age.has_value(); }, true},
        {"sex", [](const Letter& l) { return !l.sex.empty(); }},
        {"reviewer specialty", [](const Letter& l) { return !l.specialties.empty(); }},
        {"reviewer state", [](const Letter& l) { return !l.states.empty(); }},
    };
    return fields;
}

std::string name_of(const Letter& l) {
    if (!l.case_number.empty()) return l.case_number;
    return std::filesystem::path(l.source).filename().string();
}

// Each distinct value once, with how many letters have it and one of them.
void print_findings(std::ostream& out, const char* title, const std::vector<AuditReport::Finding>& findings,
                    std::size_t examples) {
    out << title << ": " << findings.size() << '\n';
    struct Seen {
        std::string what;
        std::vector<std::string> letters;
    };
    std::map<std::string, Seen> by_value;
    std::vector<std::string> order;
    for (const auto& f : findings) {
        auto [it, added] = by_value.try_emplace(f.value, Seen{f.what, {}});
        if (added) order.push_back(f.value);
        it->second.letters.push_back(f.letter);
    }
    for (std::size_t n = 0; n < order.size() && n < examples; ++n) {
        const Seen& seen = by_value[order[n]];
        out << "  \"" << order[n] << '"';
        if (!seen.what.empty()) out << " (" << seen.what << ')';
        out << " in " << seen.letters.size() << (seen.letters.size() == 1 ? " letter: " : " letters, e.g. ")
            << seen.letters.front() << '\n';
    }
    if (order.size() > examples) out << "  ... and " << order.size() - examples << " more\n";
}

}  // namespace

bool names_a_dose(std::string_view item) {
    for (std::size_t i = 0; i < item.size(); ++i) {
        if (!is_digit(item[i]) || (i > 0 && is_alpha(item[i - 1]))) continue;
        std::size_t j = i;
        while (j < item.size() && (is_digit(item[j]) || item[j] == '.')) ++j;
        while (j < item.size() && item[j] == ' ') ++j;
        if (j < item.size() && item[j] == '%') return true;
        for (std::string_view unit : {"mg", "mcg", "ml", "gm", "g", "units", "iu"})
            if (istarts_with(item.substr(j), unit) && word_end_at(item, j + unit.size())) return true;
        i = j;
    }
    return false;
}

AuditReport audit_index(const std::filesystem::path& db_path, const Lexicon& lexicon) {
    Xapian::Database db;
    try {
        db = Xapian::Database(db_path.string());
    } catch (const Xapian::Error& e) {
        throw IndexError("cannot open database " + db_path.string() + ": " + e.get_msg());
    }
    if (auto problem = schema::version_problem(db); !problem.empty())
        throw IndexError("cannot audit " + db_path.string() + ": " + problem);
    const LetterCodec codec = schema::stored_codec(db);
    const std::vector<char> dead = schema::dead_docids(db);

    AuditReport report;
    std::vector<std::size_t> have(coverage_fields().size(), 0);
    std::map<std::string, std::vector<std::string>> problems;  // letter -> what is wrong
    for (Xapian::docid did = 1; did <= db.get_lastdocid(); ++did) {
        if (schema::is_dead(dead, did)) continue;
        Xapian::Document doc;
        try {
            doc = db.get_document(did);
        } catch (const Xapian::DocNotFoundError&) {
            continue;
        }
        const std::string frame = doc.get_value(schema::kSlotLetter);
        if (frame.empty()) continue;  // a determination document
        Letter l;
        from_json(nlohmann::json::parse(codec.decompress(frame)), l);
        ++report.letters;
        const std::string name = name_of(l);
        auto& mine = problems[name];
        for (std::size_t f = 0; f < coverage_fields().size(); ++f) {
            if (coverage_fields()[f].has(l)) ++have[f];
            else if (coverage_fields()[f].expected) mine.push_back(std::string("no ") + coverage_fields()[f].name);
        }
        for (const auto& s : l.specialties)
            if (!lexicon.canonical_specialty(s)) {
                report.unknown_specialties.push_back({"", s, name});
                mine.push_back("unknown specialty \"" + s + "\"");
            }
        for (const auto& s : l.states)
            if (!lexicon.canonical_state(s)) {
                report.unknown_states.push_back({"", s, name});
                mine.push_back("unknown state \"" + s + "\"");
            }
        for (const auto& d : l.determinations) {
            ++report.determinations;
            if (auto why = item_name_problem(d.item); !why.empty()) {
                report.cut_items.push_back({why, d.item, name});
                mine.push_back("item \"" + d.item + "\": " + why);
            }
            if (!d.drug && names_a_dose(d.item)) {
                report.unknown_drugs.push_back({"", d.item, name});
                mine.push_back("no known drug in \"" + d.item + "\"");
            }
            if (d.citations.empty()) report.no_guideline.push_back({to_string(d.basis), d.item, name});
            if (d.outcome == Outcome::Unknown) {
                report.unread_outcomes.push_back({d.unknown_reason, d.item, name});
                mine.push_back("outcome of \"" + d.item + "\" unread");
            }
        }
    }
    for (std::size_t f = 0; f < coverage_fields().size(); ++f) report.coverage.emplace_back(coverage_fields()[f].name, have[f]);
    for (auto& [name, list] : problems)
        if (!list.empty()) report.worst.emplace_back(name, std::move(list));
    std::stable_sort(report.worst.begin(), report.worst.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    return report;
}

void print_audit(const AuditReport& r, std::ostream& out, std::size_t examples) {
    out << r.letters << " letters, " << r.determinations << " determinations\n\n";
    out << std::left << std::setw(24) << "field" << std::right << std::setw(9) << "letters" << std::setw(9) << "share"
        << '\n';
    for (const auto& [name, n] : r.coverage) {
        double share = r.letters ? 100.0 * static_cast<double>(n) / static_cast<double>(r.letters) : 100.0;
        out << std::left << std::setw(24) << name << std::right << std::setw(9) << n << std::setw(8) << std::fixed
            << std::setprecision(1) << share << "%\n";
    }
    out << '\n';
    print_findings(out, "Item names that look cut", r.cut_items, examples);
    print_findings(out, "Outcomes not read", r.unread_outcomes, examples);
    print_findings(out, "Specialties not in the lexicon (kept as written)", r.unknown_specialties, examples);
    print_findings(out, "States not in the lexicon (kept as written)", r.unknown_states, examples);
    print_findings(out, "Items with a dose but no drug the lexicon knows", r.unknown_drugs, examples);
    print_findings(out, "Determinations with no guideline cited by the reviewer", r.no_guideline, examples);
    out << "\nLetters with the most problems:";
    if (r.worst.empty()) out << " none";
    out << '\n';
    for (std::size_t n = 0; n < r.worst.size() && n < examples; ++n) {
        const auto& [name, list] = r.worst[n];
        out << "  " << name << ": ";
        for (std::size_t k = 0; k < list.size(); ++k) out << (k ? "; " : "") << list[k];
        out << '\n';
    }
}

}  // namespace imr
