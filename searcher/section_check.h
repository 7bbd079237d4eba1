// A Xapian posting source that keeps the documents where a term, phrase or proximity matches inside named sections.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

namespace imr {

// What `section:rationale "long-term use"` or `section:rationale soma w/5 denied` asks for.
struct SectionMatch {
    enum class Kind { Phrase, Ordered, Near };
    struct Slot {
        std::vector<std::string> terms;  // alternatives for this word position
        std::string wildcard;            // or: every term with this prefix (when no terms were listed)
        char section = '\0';             // schema section code this member must lie in; '\0' = anywhere
    };
    Kind kind = Kind::Phrase;
    Xapian::termcount window = 1;  // as Xapian's OP_PHRASE/OP_NEAR window: last - first < window
    std::vector<Slot> slots;
};

// Whether the positions of the slots (each sorted, already cut down to their sections) hold one
// match of `kind` within `window`. Exposed for the tests.
bool positions_match(SectionMatch::Kind kind, Xapian::termcount window,
                     const std::vector<std::vector<Xapian::termpos>>& positions);

// Used as the right side of OP_FILTER next to the plain query of the same words: the plain query
// ranks and finds candidates, this source checks the candidates' positions against the section
// spans stored in schema::kSlotSections.
class SectionCheck : public Xapian::PostingSource {
public:
    explicit SectionCheck(std::shared_ptr<const SectionMatch> match);

    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return estimate_; }
    Xapian::doccount get_termfreq_max() const override { return estimate_; }
    Xapian::docid get_docid() const override { return current_; }
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool check(Xapian::docid did, double min_wt) override;
    bool at_end() const override { return at_end_; }
    void init(const Xapian::Database& db) override;
    Xapian::PostingSource* clone() const override { return new SectionCheck(match_); }
    std::string name() const override { return "imr::SectionCheck"; }
    std::string get_description() const override;

private:
    bool matches(Xapian::docid did) const;
    // The first docid >= did that holds any term of the first slot, or 0.
    Xapian::docid next_candidate(Xapian::docid did);

    std::shared_ptr<const SectionMatch> match_;
    Xapian::Database db_;
    std::vector<std::vector<std::string>> terms_;  // per slot, wildcards expanded
    std::vector<Xapian::PostingIterator> leads_;   // postlists of the first slot's terms
    Xapian::doccount estimate_ = 0;
    Xapian::docid current_ = 0;
    bool valid_ = false;  // current_ is a match (not just the last document check() refused)
    bool at_end_ = false;
};

// The plain query filtered by a SectionCheck of `match`.
Xapian::Query within_sections(const Xapian::Query& plain, SectionMatch match);

}  // namespace imr
