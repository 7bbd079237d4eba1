// Term ids: first-seen order, one user-metadata key per term, written before the commit that needs them.
#include "term_ids.h"


namespace imr {

void TermIds::load(const Xapian::Database& db) {
    std::lock_guard lock(mutex_);
    ids_.clear();
    terms_.clear();
    const std::string prefix = token_stream::term_id_key("");
    std::vector<std::pair<TermId, std::string>> found;
    for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
        const std::string k = *key;
        if (auto id = token_stream::parse_term_id(db.get_metadata(k))) found.emplace_back(*id, k.substr(prefix.size()));
    }
    terms_.resize(found.size());
    for (auto& [id, term] : found) {
        // Ids are dense from 1; a database written by this code never has a hole or a duplicate.
        if (id > found.size() || !terms_[id - 1].empty())
            throw TermIdError("term id " + std::to_string(id) + " of '" + term + "' is out of sequence");
        auto [it, inserted] = ids_.emplace(std::move(term), id);
        terms_[id - 1] = it->first;
    }
    written_ = terms_.size();
}

std::vector<TermIds::TermId> TermIds::assign(const std::vector<std::string_view>& terms) {
    std::vector<TermId> out;
    out.reserve(terms.size());
    std::lock_guard lock(mutex_);
    for (auto term : terms) out.push_back(find_or_add(term).second);
    return out;
}

std::pair<std::string_view, TermIds::TermId> TermIds::find_or_add(std::string_view term) {
    auto it = ids_.find(term);
    if (it == ids_.end()) {
        it = ids_.emplace(std::string(term), static_cast<TermId>(terms_.size() + 1)).first;
        terms_.push_back(it->first);
    }
    return {it->first, it->second};
}

std::vector<TermIds::TermId> TermIds::Cache::assign(const std::vector<std::string_view>& terms) {
    std::vector<TermId> out(terms.size(), 0);
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        if (auto it = known_.find(terms[i]); it != known_.end())
            out[i] = it->second;
        else
            missing.push_back(i);
    }
    if (missing.empty()) return out;
    std::lock_guard lock(ids_.mutex_);
    for (std::size_t i : missing) {
        const auto [stored, id] = ids_.find_or_add(terms[i]);
        known_.emplace(stored, id);
        out[i] = id;
    }
    return out;
}

void TermIds::write_new(Xapian::WritableDatabase& db) {
    std::lock_guard lock(mutex_);
    for (; written_ < terms_.size(); ++written_)
        db.set_metadata(token_stream::term_id_key(terms_[written_]), std::to_string(written_ + 1));
}

std::size_t TermIds::size() const {
    std::lock_guard lock(mutex_);
    return terms_.size();
}

}  // namespace imr
