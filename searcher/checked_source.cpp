// Candidates from postlists, kept by a check: the iteration Xapian asks a posting source for.
#include "checked_source.h"

#include <algorithm>

namespace imr {

void CheckedSource::start(const Xapian::Database& db, std::vector<std::string> terms) {
    db_ = db;
    lead_terms_ = std::move(terms);
    leads_.clear();
    estimate_ = 0;
    for (const auto& term : lead_terms_) {
        leads_.push_back(db.postlist_begin(term));
        estimate_ += db.get_termfreq(term);
    }
    estimate_ = std::min(estimate_, db.get_doccount());
    current_ = 0;
    valid_ = false;
    at_end_ = false;
}

Xapian::docid CheckedSource::next_candidate(Xapian::docid did) {
    Xapian::docid best = 0;
    for (std::size_t i = 0; i < leads_.size(); ++i) {
        auto& it = leads_[i];
        const auto end = db_.postlist_end(lead_terms_[i]);
        if (it == end) continue;
        if (*it < did) it.skip_to(did);
        if (it == end) continue;
        if (best == 0 || *it < best) best = *it;
    }
    return best;
}

void CheckedSource::skip_to(Xapian::docid did, double) {
    if (at_end_) return;
    if (valid_ && did <= current_) return;
    // After a failed check() the position is indeterminate: resume after the document it refused.
    if (!valid_ && current_ > 0) did = std::max(did, current_ + 1);
    for (Xapian::docid candidate = next_candidate(did);; candidate = next_candidate(candidate + 1)) {
        if (candidate == 0) {
            at_end_ = true;
            return;
        }
        if (matches(candidate)) {
            current_ = candidate;
            valid_ = true;
            return;
        }
    }
}

void CheckedSource::next(double min_wt) { skip_to(current_ + 1, min_wt); }

bool CheckedSource::check(Xapian::docid did, double) {
    // Xapian asks about a candidate the rest of the query found: answer for it alone, and leave
    // the position indeterminate when it fails so that next() resumes after it.
    current_ = did;
    valid_ = matches(did);
    return valid_;
}

}  // namespace imr
