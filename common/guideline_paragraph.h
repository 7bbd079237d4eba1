// A party's guideline paragraph ("MAXIMUS guideline: ...", "Claims Administrator guideline: ..."):
// what the decision was based on, and each citation as {source, document, edition, chapter,
// section, pages}.
#pragma once

#include "citations.h"
#include "letter.h"
#include "lexicon.h"
#include "string_hash.h"

#include <string>
#include <string_view>
#include <vector>

namespace imr {

struct GuidelineParagraph {
    Basis basis = Basis::NoneCited;
    std::vector<Citation> citations;
};

class CitationReader {
public:
    // Keeps references: both must outlive the reader.
    CitationReader(const Lexicon& lexicon, const TopicIndex& topics);

    // Reads the published era's clauses ("Decision based on MTUS Chronic Pain Medical Treatment 2016,
    // Section(s): Opioids, and Low Back Complaints 2004.", "Decision based on Non-MTUS Citation
    // Official Disability Guidelines (ODG) Hips & Pelvis Chapter, X-Ray.") into one citation per
    // section, and earlier clauses ("... Guidelines Carisoprodol (Soma), page 29") through
    // parse_citations. "Based their decision on recommendation(s) outside of the MTUS Guidelines"
    // and "did not cite any medical evidence" state the basis; neither is a citation.
    GuidelineParagraph read(std::string_view paragraph) const;

    struct PartToken {
        std::string_view text;  // folded, without "and": a view into the caller's lower-case copy
        std::size_t end;   // byte offset just past the token
    };
    struct PartMatch {
        const std::string* name = nullptr;  // canonical
        std::size_t end = 0;                // bytes of the text the name covers
    };
    // The longest lexicon document or chapter ("document" | "chapter") of `source` that the text
    // starts with (case, punctuation, "&"/"and" aside); name null when none.
    PartMatch part_at_start(std::string_view kind, std::string_view source, std::string_view text) const;

private:
    struct Part {
        std::string kind;
        std::string source;
        std::vector<std::string> tokens;
        const std::string* name;
    };
    PartMatch part_at(std::string_view kind, std::string_view source, const std::vector<PartToken>& toks,
                      std::size_t at) const;
    void mtus_clause(std::string_view body, std::vector<Citation>& out) const;
    void non_mtus_clause(std::string_view body, std::vector<Citation>& out) const;
    void legacy_clause(std::string_view clause, std::vector<Citation>& out) const;
    std::vector<std::string> mtus_sections(std::string_view list) const;
    Citation odg(std::string_view text) const;
    Citation acoem(std::string_view printed) const;
    std::string section_name(std::string_view source, std::string_view printed) const;

    const Lexicon& lexicon_;
    const TopicIndex& topics_;
    std::vector<Part> parts_;  // longest first
    StringMap<std::vector<std::size_t>> by_first_;  // first token -> parts_ indices
};

}  // namespace imr
