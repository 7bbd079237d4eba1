// A posting source that walks the documents holding any of some terms (its candidates) and keeps
// those its check accepts: what SectionCheck and AtLeastSource share.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

namespace imr {

class CheckedSource : public Xapian::PostingSource {
public:
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return estimate_; }
    Xapian::doccount get_termfreq_max() const override { return estimate_; }
    Xapian::docid get_docid() const override { return current_; }
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool check(Xapian::docid did, double min_wt) override;
    bool at_end() const override { return at_end_; }

protected:
    // From init(): the candidates are the documents holding any of `terms`.
    void start(const Xapian::Database& db, std::vector<std::string> terms);
    // Whether candidate `did` is kept.
    virtual bool matches(Xapian::docid did) = 0;

    Xapian::Database db_;

private:
    // The first docid >= did that holds any of the candidates' terms, or 0.
    Xapian::docid next_candidate(Xapian::docid did);

    std::vector<std::string> lead_terms_;
    std::vector<Xapian::PostingIterator> leads_;
    Xapian::doccount estimate_ = 0;
    Xapian::docid current_ = 0;
    bool valid_ = false;  // current_ is a match (not just the last document check() refused)
    bool at_end_ = false;
};

}  // namespace imr
