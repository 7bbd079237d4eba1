// Unit tests of the lexicons: drug names and classes, specialties, states, guidelines, categories, file errors.
#include "lexicon.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace {

const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(imr::test::source_dir() / "data" / "lexicon");
    return lex;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += "; ";
        out += v;
    }
    return out;
}

std::string generics(const std::vector<const imr::DrugEntry*>& entries) {
    std::vector<std::string> names;
    for (const auto* e : entries) names.push_back(e->generic);
    std::sort(names.begin(), names.end());
    return joined(names);
}

// A copy of the shipped lexicon folder in which the test replaces one file.
struct LexiconCopy {
    imr::test::TempDir dir;
    LexiconCopy() {
        for (const auto& entry : std::filesystem::directory_iterator(imr::test::source_dir() / "data" / "lexicon"))
            std::filesystem::copy_file(entry.path(), dir / entry.path().filename().string());
    }
    void write(const std::string& name, const std::string& content) const {
        imr::test::write_file(dir / name, content);
    }
};

}  // namespace

TEST_CASE("find_drug: brands, generics, aliases and combinations name one drug") {
    struct Case {
        const char* text;
        const char* generic;  // nullptr when no drug is expected
        const char* brand;
        const char* drug_class;
    };
    const Case cases[] = {
        {"Soma 350 MG Qty 15", "carisoprodol", "Soma", "muscle relaxant"},
        {"Soma 350mg", "carisoprodol", "Soma", "muscle relaxant"},
        {"Soma350mg #30", "carisoprodol", "Soma", "muscle relaxant"},
        {"Soprodal 350\xE2\x84\xA2", "carisoprodol", "Soprodal", "muscle relaxant"},
        {"Vanadom 350mg", "carisoprodol", "Vanadom", "muscle relaxant"},
        {"carisoprodol 250mg #60", "carisoprodol", "", "muscle relaxant"},
        {"Carisoprodol (Soma)", "carisoprodol", "Soma", "muscle relaxant"},
        {"Soma Compound", "carisoprodol/aspirin", "Soma Compound", "muscle relaxant"},
        {"Norco 10/325mg #60", "hydrocodone/acetaminophen", "Norco", "opioid"},
        {"Norco10/325", "hydrocodone/acetaminophen", "Norco", "opioid"},
        {"Hydrocodone/APAP 10/325mg", "hydrocodone/acetaminophen", "", "opioid"},
        {"hydrocodone bitartrate and acetaminophen 5/325", "hydrocodone/acetaminophen", "", "opioid"},
        {"APAP/Hydrocodone 7.5/325", "hydrocodone/acetaminophen", "", "opioid"},
        {"Hydrocodone 10mg ER", "hydrocodone", "", "opioid"},
        {"Percocet 10 MG #60 with No Refill", "oxycodone/acetaminophen", "Percocet", "opioid"},
        {"Oxycodone/APAP 10/325", "oxycodone/acetaminophen", "", "opioid"},
        {"OxyContin 20mg", "oxycodone", "OxyContin", "opioid"},
        {"MS Contin 15mg", "morphine", "MS Contin", "opioid"},
        {"Tylenol #3", "acetaminophen/codeine", "Tylenol #3", "opioid"},
        {"Tylenol with codeine #4", "acetaminophen/codeine", "Tylenol with Codeine", "opioid"},
        {"Tylenol 500mg", "acetaminophen", "Tylenol", "non-opioid analgesic"},
        {"APAP 500mg", "acetaminophen", "", "non-opioid analgesic"},
        {"Tramadol ER 150mg", "tramadol", "", "opioid"},
        {"Ultram ER 100mg #30", "tramadol", "Ultram ER", "opioid"},
        {"Ultracet 37.5/325", "tramadol/acetaminophen", "Ultracet", "opioid"},
        {"Amrix 15mg", "cyclobenzaprine", "Amrix", "muscle relaxant"},
        {"Flexeril 7.5mg", "cyclobenzaprine", "Flexeril", "muscle relaxant"},
        {"Flurbiprofen/Cyclobenzaprine cream 20%/4%", "flurbiprofen/cyclobenzaprine", "", "topical analgesic"},
        {"Flurbiprofen 20%/Lidocaine 5% cream 180gm", "flurbiprofen/lidocaine", "", "topical analgesic"},
        {"Terocin patch #30", "lidocaine/menthol", "Terocin", "topical analgesic"},
        {"Lidoderm 5% patch", "lidocaine", "Lidoderm", "topical analgesic"},
        {"Voltaren gel 1% 100g", "diclofenac", "Voltaren Gel", "NSAID"},
        {"Diclofenac sodium ER 100mg", "diclofenac", "", "NSAID"},
        {"Butalbital/APAP/Caffeine 50/325/40", "butalbital/acetaminophen/caffeine", "", "barbiturate"},
        {"Fioricet #30", "butalbital/acetaminophen/caffeine", "Fioricet", "barbiturate"},
        {"Xanax 1mg", "alprazolam", "Xanax", "benzodiazepine"},
        {"Neurontin 600mg", "gabapentin", "Neurontin", "anti-epilepsy drug"},
        {"Lyrica 75mg", "pregabalin", "Lyrica", "anti-epilepsy drug"},
        {"Prilosec 20mg", "omeprazole", "Prilosec", "proton pump inhibitor"},
        {"Omeprazole 20mg #60", "omeprazole", "", "proton pump inhibitor"},
        {"Ambien 10mg #30", "zolpidem", "Ambien", "sedative hypnotic"},
        {"Cymbalta 60mg", "duloxetine", "Cymbalta", "antidepressant"},
        {"Imitrex 50mg", "sumatriptan", "Imitrex", "triptan"},
        {"Zofran ODT 8mg", "ondansetron", "Zofran ODT", "antiemetic"},
        {"Medrol Dosepak", "methylprednisolone", "Medrol Dosepak", "corticosteroid"},
        {"Celebrex 200mg", "celecoxib", "Celebrex", "NSAID"},
        {"Ketoprofen 75mg capsules", "ketoprofen", "", "NSAID"},
        {"Ketoprofen cream 20% #60", "ketoprofen", "", "topical analgesic"},
        {"Ketoprofen 20% cream", "ketoprofen", "", "topical analgesic"},
        {"NorcoThe request", "hydrocodone/acetaminophen", "Norco", "opioid"},
        {"Somatic dysfunction treatment", nullptr, nullptr, nullptr},
        {"Physical therapy 2x6 for the lumbar spine", nullptr, nullptr, nullptr},
        {"", nullptr, nullptr, nullptr},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            auto drug = lexicon().find_drug(c.text);
            if (!c.generic) {
                CHECK_FALSE(drug.has_value());
            } else {
                REQUIRE(drug.has_value());
                CHECK(drug->generic == c.generic);
                CHECK(drug->brand == c.brand);
                CHECK(drug->drug_class == c.drug_class);
            }
        }
    }
}

TEST_CASE("find_drug: ingredients of a combination come from its generic") {
    auto drug = lexicon().find_drug("Norco 5/325");
    REQUIRE(drug.has_value());
    CHECK(joined(drug->ingredients) == "hydrocodone; acetaminophen");
}

TEST_CASE("drugs_matching: a query-side name to every drug it covers") {
    struct Case {
        const char* name;
        const char* generics;
    };
    const Case cases[] = {
        {"soma", "carisoprodol"},
        {"Carisoprodol", "carisoprodol; carisoprodol/aspirin; carisoprodol/aspirin/codeine"},
        {"Norco", "hydrocodone/acetaminophen"},
        {"hydrocodone/APAP", "hydrocodone/acetaminophen"},
        {"hydrocodone", "hydrocodone; hydrocodone/acetaminophen; hydrocodone/ibuprofen"},
        {"hydrocodone/acetaminophen", "hydrocodone/acetaminophen"},
        {"caffeine",
         "butalbital/acetaminophen/caffeine; butalbital/acetaminophen/caffeine/codeine; butalbital/aspirin/caffeine; "
         "dihydrocodeine/acetaminophen/caffeine; orphenadrine/aspirin/caffeine"},
        {"Amrix", "cyclobenzaprine"},
        {"ketoprofen", "ketoprofen; ketoprofen; ketoprofen/gabapentin/lidocaine"},
        {"ketoprofen cream", "ketoprofen"},
        {"no such drug", ""},
        {"", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(generics(lexicon().drugs_matching(c.name)) == c.generics); }
    }
}

TEST_CASE("drugs: the shipped lexicon is large and every entry is well formed") {
    const auto& drugs = lexicon().drugs();
    CHECK(drugs.size() >= 150);
    for (const auto& d : drugs) {
        CAPTURE(d.generic);
        CHECK_FALSE(d.drug_class.empty());
        CHECK_FALSE(d.ingredients.empty());
    }
}

TEST_CASE("drugs: every class the facets rely on has drugs") {
    const auto& drugs = lexicon().drugs();
    const char* required_classes[] = {"opioid",         "muscle relaxant",       "benzodiazepine", "anti-epilepsy drug",
                                      "NSAID",          "proton pump inhibitor", "sedative hypnotic",
                                      "antidepressant", "topical analgesic",     "barbiturate",    "triptan",
                                      "antiemetic",     "corticosteroid"};
    for (const char* cls : required_classes) {
        SUBCASE(cls) {
            CHECK(std::any_of(drugs.begin(), drugs.end(), [&](const auto& d) { return d.drug_class == cls; }));
        }
    }
}

TEST_CASE("canonical_specialty: variants to one canonical name") {
    struct Case {
        const char* text;
        const char* canonical;  // nullptr: not a specialty
    };
    const Case cases[] = {
        {"Physical Medicine & Rehabilitation", "Physical Medicine & Rehabilitation"},
        {"Physical Medicine and Rehabilitation", "Physical Medicine & Rehabilitation"},
        {"PM&R", "Physical Medicine & Rehabilitation"},
        {"Orthopaedic Surgery", "Orthopedic Surgery"},
        {"orthopedic surgery", "Orthopedic Surgery"},
        {"Family Medicine", "Family Practice"},
        {"Family Practice", "Family Practice"},
        {"Pain Medicine", "Pain Management"},
        {"Neurosurgery", "Neurological Surgery"},
        {"Chiropractor", "Chiropractic"},
        {"Cooking", nullptr},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            auto canonical = lexicon().canonical_specialty(c.text);
            if (!c.canonical) {
                CHECK_FALSE(canonical.has_value());
            } else {
                REQUIRE(canonical.has_value());
                CHECK(*canonical == c.canonical);
            }
        }
    }
}

TEST_CASE("find_specialties: every specialty in a run of prose, in order") {
    struct Case {
        const char* name;
        const char* text;
        const char* found;
    };
    const Case cases[] = {
        {"prose, glued to 'and'",
         "The expert reviewer is Board Certified in Anesthesiology, has a subspecialty in Pain Managementand is "
         "licensed to practice in California.",
         "Anesthesiology; Pain Management"},
        {"prose with comma", "Board Certified in Anesthesiology, has a subspecialty in Pain Management, and is",
         "Anesthesiology; Pain Management"},
        {"two-line list", "Preventive Medicine, Occupational Medicine", "Preventive Medicine; Occupational Medicine"},
        {"ampersand", "Physical Medicine & Rehabilitation", "Physical Medicine & Rehabilitation"},
        {"one-word glued", "Board Certified in Chiropracticand is licensed", "Chiropractic"},
        {"glued to a capital", "Orthopaedic SurgeryThe reviewer", "Orthopedic Surgery"},
        {"longest wins", "Orthopedic Surgery, Hand Surgery", "Orthopedic Surgery; Hand Surgery"},
        {"de-duplicated", "Family Medicine and Family Practice", "Family Practice"},
        {"not inside words", "Neurology", "Neurology"},
        {"nothing", "He/she has been in active clinical practice for more than five years", ""},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(joined(lexicon().find_specialties(c.text)) == c.found); }
    }
}

TEST_CASE("specialties: the common DWC values are canonical") {
    const auto& all = lexicon().specialties();
    CHECK(all.size() >= 50);
    const char* expected[] = {"Anesthesiology",        "Pain Management",   "Internal Medicine",
                              "Family Practice",       "Occupational Medicine", "Preventive Medicine",
                              "Orthopedic Surgery",    "Neurology",         "Neurological Surgery",
                              "Psychiatry",            "Psychology",        "Chiropractic",
                              "Acupuncture",           "Emergency Medicine", "Sports Medicine",
                              "Physical Medicine & Rehabilitation", "Rheumatology", "Plastic Surgery",
                              "Hand Surgery",          "General Surgery",   "Dermatology",
                              "Ophthalmology",         "Otolaryngology",    "Urology",
                              "Podiatry",              "Dentistry",         "Cardiology",
                              "Gastroenterology",      "Infectious Disease"};
    for (const char* name : expected) {
        SUBCASE(name) { CHECK(std::find(all.begin(), all.end(), name) != all.end()); }
    }
}

TEST_CASE("states: names, abbreviations and lists") {
    struct Case {
        const char* name;
        const char* text;
        const char* found;
    };
    const Case cases[] = {
        {"comma list", "Texas, New York, California", "Texas; New York; California"},
        {"and", "California and Texas", "California; Texas"},
        {"prose", "is licensed to practice in California", "California"},
        {"abbreviations in capitals", "CA, NV", "California; Nevada"},
        {"lower-case words are not states", "licensed in or near me", ""},
        {"west virginia is not virginia", "West Virginia, Virginia", "West Virginia; Virginia"},
        {"district", "Washington, D.C.", "District of Columbia"},
        {"glued", "Californiaand is", "California"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK(joined(lexicon().find_states(c.text)) == c.found); }
    }
    SUBCASE("canonical") {
        CHECK(lexicon().canonical_state("CA") == std::optional<std::string>("California"));
        CHECK(lexicon().canonical_state("Calif.") == std::optional<std::string>("California"));
        CHECK(lexicon().canonical_state("new york") == std::optional<std::string>("New York"));
        CHECK_FALSE(lexicon().canonical_state("Atlantis").has_value());
    }
}

TEST_CASE("guideline_source: the source a citation names") {
    struct Case {
        const char* text;
        const char* source;  // nullptr: none
    };
    const Case cases[] = {
        {"MTUS Chronic Pain Treatment Guidelines", "MTUS"},
        {"CA MTUS Chronic Pain Medical Treatment Guidelines 9792.24.2", "MTUS"},
        {"MTUS ACOEM Practice Guidelines", "ACOEM"},
        {"American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition", "ACOEM"},
        {"Official Disability Guidelines (ODG), Pain Chapter", "ODG"},
        {"ODG Treatment in Workers' Compensation", "ODG"},
        {"Title 8, California Code of Regulations, section 9792.20", "CCR"},
        {"Acupuncture Medical Treatment Guidelines", "MTUS"},
        {"The physician's own notes", nullptr},
    };
    for (const auto& c : cases) {
        SUBCASE(c.text) {
            auto source = lexicon().guideline_source(c.text);
            if (!c.source) {
                CHECK_FALSE(source.has_value());
            } else {
                REQUIRE(source.has_value());
                CHECK(*source == c.source);
            }
        }
    }
}

TEST_CASE("canonical_topic: cited topic phrases of a source") {
    struct Case {
        const char* source;
        const char* text;
        const char* topic;  // nullptr: none
    };
    const Case cases[] = {
        {"MTUS", "Carisoprodol (Soma)", "Carisoprodol (Soma)"},
        {"MTUS", "Carisoprodol (Soma), page 29", "Carisoprodol (Soma)"},
        {"MTUS", "Muscle relaxants (for pain), page 64", "Muscle relaxants (for pain)"},
        {"MTUS", "muscle relaxants", "Muscle relaxants (for pain)"},
        {"MTUS", "Opioids, criteria for use", "Opioids, criteria for use"},
        {"MTUS", "Epidural steroid injections (ESIs)", "Epidural steroid injections (ESIs)"},
        {"MTUS", "Topical Analgesics, page 111-113", "Topical Analgesics"},
        {"MTUS", "Physical Medicine", "Physical Medicine"},
        {"MTUS", "Acupuncture Medical Treatment Guidelines", "Acupuncture Medical Treatment Guidelines"},
        {"ODG", "Pain Chapter, Proton pump inhibitors (PPIs)", "Proton pump inhibitors (PPIs)"},
        {"ODG", "Low Back Chapter, MRIs (magnetic resonance imaging)", "Magnetic resonance imaging (MRI)"},
        {"ACOEM", "Chapter 12 Low Back Complaints", "Low Back Complaints"},
        {"CCR", "section 9792.20", "Title 8, California Code of Regulations, section 9792.20"},
        {"", "Benzodiazepines", "Benzodiazepines"},
        {"MTUS", "Proton pump inhibitors", nullptr},
        {"ACOEM", "Benzodiazepines", nullptr},
    };
    for (const auto& c : cases) {
        SUBCASE((std::string(c.source) + " " + c.text).c_str()) {
            auto topic = lexicon().canonical_topic(c.source, c.text);
            if (!c.topic) {
                CHECK_FALSE(topic.has_value());
            } else {
                REQUIRE(topic.has_value());
                CHECK(*topic == c.topic);
            }
        }
    }
}

TEST_CASE("category_for: the treatment category of a requested item") {
    struct Case {
        const char* item;
        const char* category;
    };
    const Case cases[] = {
        {"Soma 350 MG Qty 15", "medication"},
        {"Unknown compounded cream 240gm", "medication"},
        {"MRI of the lumbar spine", "diagnostic imaging"},
        {"MRI and orthopedic consultation", "diagnostic imaging"},
        {"X-ray of the right knee", "diagnostic imaging"},
        {"EMG/NCV bilateral upper extremities", "electrodiagnostic testing"},
        {"Physical therapy 2x6 for the lumbar spine", "physical therapy"},
        {"Aquatic therapy 12 sessions", "physical therapy"},
        {"Post-operative physical therapy 3x4", "physical therapy"},
        {"Occupational therapy for the right hand", "physical therapy"},
        {"Acupuncture 6 sessions", "acupuncture"},
        {"Chiropractic treatment 8 visits", "chiropractic"},
        {"TENS unit, 30 day rental", "durable medical equipment"},
        {"Hot/cold unit", "durable medical equipment"},
        {"Lumbar epidural steroid injection at L4-L5", "injection"},
        {"Radiofrequency ablation L3-L5", "injection"},
        {"Ultrasound guided cortisone injection", "injection"},
        {"Spinal cord stimulator trial", "surgery"},
        {"Right shoulder arthroscopy with subacromial decompression", "surgery"},
        {"Right carpal tunnel release", "surgery"},
        {"Lumbar fusion L4-L5", "surgery"},
        {"Spine surgeon consultation", "consultation"},
        {"Referral to pain management", "consultation"},
        {"Functional restoration program, 80 hours", "functional restoration"},
        {"Home health aide 4 hours a day", "home health"},
        {"Urine drug screen", "laboratory testing"},
        {"Cognitive behavioral therapy 6 sessions", "psychotherapy"},
        {"Gym membership for one year", "other"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.item) {
            auto drug = lexicon().find_drug(c.item);
            CHECK(lexicon().category_for(c.item, drug) == c.category);
        }
    }
    SUBCASE("categories end with medication and other") {
        const auto& all = lexicon().categories();
        REQUIRE(all.size() >= 2);
        CHECK(all[all.size() - 2] == "medication");
        CHECK(all.back() == "other");
    }
}

TEST_CASE("Lexicon::load: user extensions and malformed files") {
    struct Case {
        const char* name;
        const char* file;
        std::string content;
        std::string error;
    };
    const Case cases[] = {
        {"column count", "drugs.tsv",
         "# generic\tclass\tbrands\taliases\ncarisoprodol\tmuscle relaxant\tSoma\t-\nbaclofen\tmuscle relaxant\n",
         "drugs.tsv:3: expected 4 tab-separated columns, got 2"},
        {"upper-case generic", "drugs.tsv", "Carisoprodol\tmuscle relaxant\tSoma\t-\n",
         "drugs.tsv:1: generic name \"Carisoprodol\" must be lower case"},
        {"empty class", "drugs.tsv", "carisoprodol\t\tSoma\t-\n", "drugs.tsv:1: column 2 (drug class) is empty"},
        {"name of two drugs", "drugs.tsv",
         "carisoprodol\tmuscle relaxant\tSoma\t-\n\nbaclofen\tmuscle relaxant\tSOMA\t-\n",
         "drugs.tsv:3: \"SOMA\" already names carisoprodol (line 1)"},
        {"generic twice", "drugs.tsv", "carisoprodol\tmuscle relaxant\tSoma\t-\ncarisoprodol\tmuscle relaxant\t-\t-\n",
         "drugs.tsv:2: generic name \"carisoprodol\" already listed at line 1"},
        {"second line without names", "drugs.tsv", "ketoprofen\tNSAID\tOrudis\t-\nketoprofen\ttopical analgesic\t-\t-\n",
         "drugs.tsv:2: a second line for \"ketoprofen\" needs brands or aliases to tell it from line 1"},
        {"empty ingredient", "drugs.tsv", "hydrocodone/\topioid\t-\t-\n",
         "drugs.tsv:1: generic name \"hydrocodone/\" has an empty ingredient"},
        {"comments only", "specialties.tsv", "# canonical\tvariants\n\n", "specialties.tsv: no entries"},
        {"specialty twice", "specialties.tsv", "Neurology\t-\nNeurology\t-\n",
         "specialties.tsv:2: specialty \"Neurology\" is listed twice"},
        {"bad abbreviation", "states.tsv", "California\tCal\t-\n",
         "states.tsv:1: abbreviation \"Cal\" must be two capital letters"},
        {"unknown source", "guidelines.tsv", "topic\tXYZ\tOpioids\t-\n",
         "guidelines.tsv:1: unknown source \"XYZ\"; declare it on a \"source\" line above"},
        {"bad kind", "guidelines.tsv", "sauce\tMTUS\tMTUS\t-\n",
         "guidelines.tsv:1: first column must be \"source\", \"topic\", \"document\" or \"chapter\", got \"sauce\""},
        {"keyword without letters", "categories.tsv", "surgery\tsurgery|%%\n",
         "categories.tsv:1: \"%%\" has no letters or digits to match"},
        {"keyword of two categories", "categories.tsv", "surgery\trelease\ninjection\tblock|release\n",
         "categories.tsv:2: \"release\" already names surgery (line 1)"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            LexiconCopy copy;
            copy.write(c.file, c.content);
            CHECK_THROWS_WITH_AS(imr::Lexicon::load(copy.dir.path()), c.error.c_str(), imr::LexiconError);
        }
    }
    SUBCASE("missing file") {
        LexiconCopy copy;
        std::filesystem::remove(copy.dir / "states.tsv");
        std::string expected = (copy.dir / "states.tsv").string() + ": cannot open lexicon file";
        CHECK_THROWS_WITH_AS(imr::Lexicon::load(copy.dir.path()), expected.c_str(), imr::LexiconError);
    }
    SUBCASE("a line a user adds is found, CRLF and all") {
        LexiconCopy copy;
        std::string drugs = imr::test::read_file(copy.dir / "drugs.tsv");
        copy.write("drugs.tsv", drugs + "zipbrofen\tNSAID\tZipzap|Zap Forte\tZBF\r\n");
        auto lex = imr::Lexicon::load(copy.dir.path());
        auto drug = lex.find_drug("Zap Forte 10mg #30");
        REQUIRE(drug.has_value());
        CHECK(drug->generic == "zipbrofen");
        CHECK(drug->brand == "Zap Forte");
        CHECK(drug->drug_class == "NSAID");
    }
}

TEST_CASE("default_data_dir: IMR_DATA_DIR overrides the compiled-in folder") {
    const char* saved = std::getenv("IMR_DATA_DIR");
    std::string saved_value = saved ? saved : "";
    SUBCASE("set") {
        setenv("IMR_DATA_DIR", "/tmp/imr-data-elsewhere", 1);
        CHECK(imr::default_data_dir() == std::filesystem::path("/tmp/imr-data-elsewhere"));
    }
    SUBCASE("unset") {
        unsetenv("IMR_DATA_DIR");
        CHECK(std::filesystem::is_regular_file(imr::default_data_dir() / "lexicon" / "drugs.tsv"));
    }
    if (saved) setenv("IMR_DATA_DIR", saved_value.c_str(), 1);
    else unsetenv("IMR_DATA_DIR");
}
