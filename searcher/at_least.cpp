// atleastN(word), read from postlists' wdf: a determination's own count plus its letter's.
#include "at_least.h"

#include "schema.h"
#include "work_budget.h"

#include <algorithm>

namespace imr {

AtLeastSource::AtLeastSource(std::vector<std::string> terms, unsigned count, bool whole_letter)
    : terms_(std::move(terms)), count_(count), whole_letter_(whole_letter) {}

void AtLeastSource::init(const Xapian::Database& db) {
    start(db, terms_);
    own_.clear();
    letters_.clear();
    for (const auto& term : terms_) {
        own_.push_back(db.postlist_begin(term));
        letters_.push_back(db.postlist_begin(term));
    }
    ordinals_ = db.valuestream_begin(schema::kSlotOrdinal);
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

std::optional<Xapian::docid> AtLeastSource::ordinal_of(Xapian::docid did) {
    const auto end = db_.valuestream_end(schema::kSlotOrdinal);
    if (ordinals_ == end || ordinals_.get_docid() > did) ordinals_ = db_.valuestream_begin(schema::kSlotOrdinal);
    if (ordinals_ != end && ordinals_.get_docid() < did) ordinals_.skip_to(did);
    if (ordinals_ == end || ordinals_.get_docid() != did) return std::nullopt;
    return static_cast<Xapian::docid>(Xapian::sortable_unserialise(*ordinals_));
}

bool AtLeastSource::matches(Xapian::docid did) {
    charge_work(1 + terms_.size());
    const Xapian::termcount own = wdf_at(own_, did);
    if (own >= count_) return true;
    // A determination document has an ordinal; its letter document is the one just before its
    // letter's first determination (a letter's documents are written together, schema.h).
    const std::optional<Xapian::docid> ordinal = ordinal_of(did);
    if (!whole_letter_) {
        if (!ordinal || did <= *ordinal + 1) return false;
        return own + wdf_at(letters_, did - *ordinal - 1) >= count_;
    }
    // The whole letter: its letter document and the determinations after it, ordinals 0, 1, ...
    if (ordinal && did <= *ordinal + 1) return false;
    const Xapian::docid letter_doc = ordinal ? did - *ordinal - 1 : did;
    Xapian::termcount sum = wdf_at(letters_, letter_doc);
    for (Xapian::docid k = 0; sum < count_; ++k) {
        const Xapian::docid d = letter_doc + 1 + k;
        const std::optional<Xapian::docid> next = ordinal_of(d);
        if (!next || *next != k) break;
        charge_work(1 + terms_.size());
        sum += wdf_at(letters_, d);
    }
    return sum >= count_;
}

std::string AtLeastSource::get_description() const {
    // The scope is part of the description: the matcher's cache is keyed by it.
    std::string out = std::string(whole_letter_ ? "imr::AtLeast(letter " : "imr::AtLeast(") + std::to_string(count_);
    for (std::size_t i = 0; i < terms_.size(); ++i) out += (i ? "|" : " ") + terms_[i];
    return out + ")";
}

}  // namespace imr
