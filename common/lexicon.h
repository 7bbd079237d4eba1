// The user-extensible vocabularies in data/lexicon/: drugs, specialties, states, guidelines, categories.
#pragma once

#include "letter.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

// A lexicon file that cannot be read or has a malformed line; the message names file and line.
struct LexiconError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct DrugEntry {
    std::string generic;                   // "hydrocodone/acetaminophen"
    std::vector<std::string> ingredients;  // {"hydrocodone", "acetaminophen"}
    std::string drug_class;                // "opioid"
    std::vector<std::string> brands;       // {"Norco", "Vicodin", "Lortab"}
    std::vector<std::string> aliases;      // other spellings: {"hydrocodone/APAP", "hydrocodone bitartrate"}
};

struct GuidelineTopic {
    std::string source;  // "MTUS"
    std::string topic;   // canonical topic name
    std::vector<std::string> variants;
};

// A document of a source ("MTUS" / "Chronic Pain Medical Treatment") or a chapter of one ("ODG" /
// "Low Back"), for reading structured citations; `kind` is "document" or "chapter".
struct GuidelinePart {
    std::string kind;
    std::string source;
    std::string name;  // canonical
    std::vector<std::string> variants;
};

class Lexicon {
public:
    // Loads every file of the lexicon folder; throws LexiconError.
    static Lexicon load(const std::filesystem::path& dir);

    // The drug named in free text such as "Norco 10/325mg #60" or "hydrocodone/APAP 5/325":
    // the longest brand, generic or alias found on word boundaries, case-insensitively.
    std::optional<Drug> find_drug(std::string_view text) const;
    // The entry for a generic, brand, alias or single ingredient name ("hydrocodone" finds every
    // drug containing it); used by query-side drug filters. Empty when nothing matches.
    std::vector<const DrugEntry*> drugs_matching(std::string_view name) const;
    const std::vector<DrugEntry>& drugs() const;

    // Canonical specialty for a variant ("Physical Medicine & Rehabilitation"), or nullopt.
    std::optional<std::string> canonical_specialty(std::string_view text) const;
    // Every specialty named in a run of text, in order of appearance, canonical and de-duplicated.
    std::vector<std::string> find_specialties(std::string_view text) const;
    const std::vector<std::string>& specialties() const;

    // Canonical state name for "California", "CA" or "Calif.", or nullopt.
    std::optional<std::string> canonical_state(std::string_view text) const;
    std::vector<std::string> find_states(std::string_view text) const;

    // Guideline source ("MTUS", "ODG", "ACOEM", "CCR") named by a citation phrase, or nullopt.
    std::optional<std::string> guideline_source(std::string_view text) const;
    // Canonical topic for a cited topic phrase of a source, or nullopt.
    std::optional<std::string> canonical_topic(std::string_view source, std::string_view text) const;
    const std::vector<GuidelineTopic>& guideline_topics() const;
    const std::vector<GuidelinePart>& guideline_parts() const;

    // Treatment category of a requested item: "medication" when a drug was found, else the first
    // category whose keywords match ("diagnostic imaging" for "MRI of the lumbar spine"), else "other".
    std::string category_for(std::string_view item, const std::optional<Drug>& drug) const;
    const std::vector<std::string>& categories() const;

    Lexicon(Lexicon&&) noexcept;
    Lexicon& operator=(Lexicon&&) noexcept;
    ~Lexicon();

private:
    Lexicon();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The data folder: $IMR_DATA_DIR if set, else the one compiled in (the source tree's data/).
std::filesystem::path default_data_dir();

}  // namespace imr
