// Term ids: first-seen order, one user-metadata key per term, written before the commit that needs them.
#include "term_ids.h"

#include <cstring>

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

namespace {

// A multiply-xorshift hash over 8-byte words: words are short, and std::hash's byte loop and
// modulo were a visible part of every lookup.
std::uint64_t term_hash(std::string_view s) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ w) * 0x94d049bb133111ebULL;
        h ^= h >> 29;
    }
    return h * 0xbf58476d1ce4e5b9ULL ^ (h >> 32);
}

}  // namespace

TermIds::Cache::Known TermIds::Cache::id_of(std::string_view term) {
    std::size_t mask = slots_.size() - 1;
    std::size_t i = term_hash(term) & mask;
    for (; slots_[i].id != 0; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (slot.size == term.size() && std::memcmp(slot.data, term.data(), term.size()) == 0)
            return {slot.id, {slot.data, slot.size}};
    }
    std::pair<std::string_view, TermId> found;
    {
        std::lock_guard lock(ids_.mutex_);
        found = ids_.find_or_add(term);
    }
    if (4 * (used_ + 1) > 3 * slots_.size()) {
        grow();
        mask = slots_.size() - 1;
        for (i = term_hash(term) & mask; slots_[i].id != 0; i = (i + 1) & mask) {}
    }
    slots_[i] = {found.first.data(), static_cast<std::uint32_t>(found.first.size()), found.second};
    ++used_;
    return {found.second, found.first};
}

void TermIds::Cache::grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const auto& slot : old) {
        if (slot.id == 0) continue;
        std::size_t i = term_hash({slot.data, slot.size}) & mask;
        while (slots_[i].id != 0) i = (i + 1) & mask;
        slots_[i] = slot;
    }
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
