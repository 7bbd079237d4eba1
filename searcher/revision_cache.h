// A small least-recently-used cache whose entries hold for one database revision only.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace imr {

// Thread-safe. A store for a new revision empties it; a find for another revision finds nothing.
template <typename Value>
class RevisionCache {
public:
    explicit RevisionCache(std::size_t capacity) : capacity_(capacity) {}

    std::optional<Value> find(Xapian::rev revision, const std::string& key) {
        std::lock_guard lock(mutex_);
        if (revision != revision_) return std::nullopt;
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->first != key) continue;
            entries_.splice(entries_.begin(), entries_, it);
            return entries_.front().second;
        }
        return std::nullopt;
    }

    // Keeps the first value stored under a key.
    void store(Xapian::rev revision, const std::string& key, Value value) {
        std::lock_guard lock(mutex_);
        if (revision != revision_) {
            entries_.clear();
            revision_ = revision;
        }
        for (const auto& entry : entries_)
            if (entry.first == key) return;
        entries_.emplace_front(key, std::move(value));
        trim();
    }

    // Keeps at most `capacity` entries from now on, dropping the least recently used.
    void set_capacity(std::size_t capacity) {
        std::lock_guard lock(mutex_);
        capacity_ = capacity;
        trim();
    }

    std::size_t size() {
        std::lock_guard lock(mutex_);
        return entries_.size();
    }

private:
    void trim() {  // under the lock
        while (entries_.size() > capacity_) entries_.pop_back();
    }

    std::mutex mutex_;
    std::size_t capacity_;
    Xapian::rev revision_ = 0;
    std::list<std::pair<std::string, Value>> entries_;  // most recently used first
};

}  // namespace imr
