// atleastN(word), read from postlists' wdf: a determination's own count plus its letter's.
#include "at_least.h"

#include "schema.h"
#include "work_budget.h"

#include <algorithm>

namespace imr {

AtLeastSource::AtLeastSource(std::vector<std::string> terms, unsigned count) : terms_(std::move(terms)), count_(count) {}

void AtLeastSource::init(const Xapian::Database& db) {
    db_ = db;
    leads_.clear();
    own_.clear();
    letters_.clear();
    estimate_ = 0;
    for (const auto& term : terms_) {
        leads_.push_back(db.postlist_begin(term));
        own_.push_back(db.postlist_begin(term));
        letters_.push_back(db.postlist_begin(term));
        estimate_ += db.get_termfreq(term);
    }
    estimate_ = std::min(estimate_, db.get_doccount());
    ordinals_ = db.valuestream_begin(schema::kSlotOrdinal);
    current_ = 0;
    valid_ = false;
    at_end_ = false;
}

Xapian::termcount AtLeastSource::wdf_at(std::vector<Xapian::PostingIterator>& its, Xapian::docid did) {
    Xapian::termcount sum = 0;
    for (std::size_t i = 0; i < its.size(); ++i) {
        auto& it = its[i];
        const auto end = db_.postlist_end(terms_[i]);
        if (it != end && *it > did) it = db_.postlist_begin(terms_[i]);  // asked out of order
        if (it != end && *it < did) it.skip_to(did);
        if (it != end && *it == did) sum += it.get_wdf();
    }
    return sum;
}

bool AtLeastSource::matches(Xapian::docid did) {
    charge_work(1 + terms_.size());
    const Xapian::termcount own = wdf_at(own_, did);
    if (own >= count_) return true;
    // A determination document has an ordinal; its letter document is the one just before its
    // letter's first determination (a letter's documents are written together, schema.h).
    if (ordinals_ == db_.valuestream_end(schema::kSlotOrdinal) || ordinals_.get_docid() > did)
        ordinals_ = db_.valuestream_begin(schema::kSlotOrdinal);
    if (ordinals_ != db_.valuestream_end(schema::kSlotOrdinal) && ordinals_.get_docid() < did) ordinals_.skip_to(did);
    if (ordinals_ == db_.valuestream_end(schema::kSlotOrdinal) || ordinals_.get_docid() != did) return false;
    const auto ordinal = static_cast<Xapian::docid>(Xapian::sortable_unserialise(*ordinals_));
    if (did <= ordinal + 1) return false;
    return own + wdf_at(letters_, did - ordinal - 1) >= count_;
}

Xapian::docid AtLeastSource::next_candidate(Xapian::docid did) {
    Xapian::docid best = 0;
    for (std::size_t i = 0; i < leads_.size(); ++i) {
        auto& it = leads_[i];
        const auto end = db_.postlist_end(terms_[i]);
        if (it == end) continue;
        if (*it < did) it.skip_to(did);
        if (it == end) continue;
        if (best == 0 || *it < best) best = *it;
    }
    return best;
}

void AtLeastSource::skip_to(Xapian::docid did, double) {
    if (at_end_) return;
    if (valid_ && did <= current_) return;
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

void AtLeastSource::next(double min_wt) { skip_to(current_ + 1, min_wt); }

bool AtLeastSource::check(Xapian::docid did, double) {
    current_ = did;
    valid_ = matches(did);
    return valid_;
}

std::string AtLeastSource::get_description() const {
    std::string out = "imr::AtLeast(" + std::to_string(count_);
    for (std::size_t i = 0; i < terms_.size(); ++i) out += (i ? "|" : " ") + terms_[i];
    return out + ")";
}

}  // namespace imr
