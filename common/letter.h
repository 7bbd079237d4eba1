// The parsed form of one IMR final determination letter: facts, sections and determinations.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace imr {

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    std::string iso() const;  // "2014-12-04"
    int as_number() const { return year * 10000 + month * 100 + day; }  // 20141204, sorts like the date
    friend bool operator==(const Date&, const Date&) = default;
};

enum class Layout {
    Standard,            // 2014 onward: "HOW THE IMR FINAL DETERMINATION WAS MADE" ...
    Maximus2013,         // "MAXIMUS FEDERAL SERVICES, INC." / "IMR DECISION(S) AND RATIONALE(S)"
    ProfessionalReview,  // "MEDICAL PROFESSIONAL REVIEW" / "ISSUE AT DISPUTE:"
};
std::string to_string(Layout layout);

enum class Outcome { Upheld, Overturned, Unknown };
std::string to_string(Outcome outcome);  // "Upheld", "Overturned", "Unknown"

// Canonical section names, shared by the parser, the index schema and the `section:` query field.
namespace section {
inline constexpr const char* header = "header";          // first-page fields and treatments in dispute
inline constexpr const char* reviewer = "reviewer";      // how the determination was made, credentials
inline constexpr const char* documents = "documents";    // documents reviewed
inline constexpr const char* summary = "summary";        // clinical case summary
inline constexpr const char* decisions = "decisions";    // the issues, decisions and rationales block
inline constexpr const char* guidelines = "guidelines";  // guidelines relied upon (professional-review layout)
inline constexpr const char* rationale = "rationale";    // rationale of one determination
}  // namespace section

// A stretch of Letter::text: bytes [begin, end).
struct TextRange {
    std::size_t begin = 0;
    std::size_t end = 0;
    friend bool operator==(const TextRange&, const TextRange&) = default;
};

struct Section {
    std::string name;     // one of imr::section
    std::string heading;  // as printed, after clean-up ("CLINICAL CASE SUMMARY")
    std::size_t offset = 0;  // byte offset of the body in Letter::text
    std::string text;        // the body, cleaned
};

// One cited guideline: a source, the document within it, and the part of the document.
struct Citation {
    std::string source;    // "MTUS", "ODG", "ACOEM", "CCR" or "other"
    std::string topic;     // the section or topic: "Muscle relaxants (for pain)", "9792.24.2"
    std::string pages;     // "29, 63-66", or empty
    std::string document;  // "Chronic Pain Medical Treatment", "Official Disability Guidelines", or the
                           // citation as printed for "other" ("Sildenafil: Drug information, UpToDate")
    std::string edition;   // "2016", "3rd ed.", "(updated 11/23/16)"
    std::string chapter;   // an ODG or ACOEM chapter: "Hips & Pelvis", "Low Back Disorders"
    friend bool operator==(const Citation&, const Citation&) = default;
};

// What a party based its decision on: the MTUS, only guidelines outside the MTUS, or nothing cited.
enum class Basis { Mtus, OutsideMtus, NoneCited };
std::string to_string(Basis basis);  // "MTUS", "outside MTUS", "none cited"

struct Drug {
    std::string generic;                   // lower case, ingredients joined by "/": "hydrocodone/acetaminophen"
    std::vector<std::string> ingredients;  // {"hydrocodone", "acetaminophen"}
    std::string brand;                     // the brand named in the item, or empty when it names the generic
    std::string drug_class;                // "opioid"
};

struct Determination {
    std::string item;                // as decided: "Soma 350 MG Qty 15"; for a partly authorized request,
                                     // the remaining IMR-eligible portion
    std::string original_request;    // a partly authorized request as first made, else empty
    std::string authorized;          // what the claims administrator authorized of it, else empty
    Outcome outcome = Outcome::Unknown;
    std::string unknown_reason;      // why the outcome could not be read, when Unknown
    std::optional<Drug> drug;
    std::string category;            // "medication", "diagnostic imaging", "physical therapy", ...
    std::vector<Citation> citations;         // the expert reviewer's ("MAXIMUS guideline")
    Basis basis = Basis::NoneCited;
    std::vector<Citation> claims_citations;  // the claims administrator's
    Basis claims_basis = Basis::NoneCited;
    std::string guidelines;          // the guideline paragraphs as printed ("Claims Administrator guideline: ...")
    std::size_t guidelines_offset = 0;  // byte offset of the guideline paragraphs in Letter::text
    std::string rationale;
    std::size_t rationale_offset = 0;  // byte offset of the rationale in Letter::text
    // Where the letter prints this item's own text, in reading order: its item line through the end
    // of its rationale, with the labels and guideline lines between. One range, except in the
    // professional-review layout, which prints the guideline paragraph apart from the outcome line
    // and rationale. Empty when the parser could not place them; never another item's text.
    std::vector<TextRange> printed;
};

struct Letter {
    std::string source;  // the file it came from
    Layout layout = Layout::Standard;
    std::string encoding;  // encoding detected in the input: "UTF-8" or "windows-1252"
    std::string case_number;  // "CM15-0198233", empty when not printed
    std::optional<Date> injury_date;
    std::optional<Date> ur_denial_date;
    std::optional<Date> assigned_date;
    std::optional<Date> decision_date;
    std::optional<Date> application_received;
    std::string priority;  // "Standard" or "Expedited", empty when not printed
    std::optional<int> age;
    std::string sex;  // "male", "female" or empty
    std::vector<std::string> specialties;  // canonical names from the specialties lexicon
    std::vector<std::string> states;       // full state names: "California"
    std::string text;                      // the whole cleaned text; sections point into it
    std::vector<Section> sections;
    std::vector<Determination> determinations;
    std::vector<std::string> flags;  // problems that did not stop indexing: "outcome-unreadable: ..."
};

}  // namespace imr
