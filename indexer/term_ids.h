// The indexer's dictionary of term ids for token streams (common/token_stream.h): load, assign, persist.
#pragma once

#include "string_hash.h"
#include "token_stream.h"

#include <cstddef>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace imr {

// The ids stored in a database are not the dense 1..n this code writes.
struct TermIdError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thread-safe: the parsing workers assign ids while the writer persists them.
class TermIds {
public:
    using TermId = token_stream::TermId;

    // Reads every id already in `db` (an incremental run adds to them); throws TermIdError.
    void load(const Xapian::Database& db);
    // The id of each term, giving the next free id to a term seen for the first time.
    std::vector<TermId> assign(const std::vector<std::string_view>& terms);
    // Writes the ids given since the last call into `db`'s user metadata. Called before each
    // commit, so that every id a committed document uses is committed with it.
    void write_new(Xapian::WritableDatabase& db);
    std::size_t size() const;

    // One worker thread's view of the ids: a word it has met before is found without the lock.
    // Valid until the next load().
    class Cache {
    public:
        explicit Cache(TermIds& ids) : ids_(ids) {}
        std::vector<TermId> assign(const std::vector<std::string_view>& terms);

    private:
        TermIds& ids_;
        std::unordered_map<std::string_view, TermId> known_;  // views of the keys of ids_.ids_, which never move
    };

private:
    // Under the lock: the id of `term`, new if it has none; the view is of the stored key.
    std::pair<std::string_view, TermId> find_or_add(std::string_view term);

    mutable std::mutex mutex_;
    StringMap<TermId> ids_;  // looked up by string_view
    std::vector<std::string_view> terms_;  // by id - 1; views of the keys of ids_, which never move
    std::size_t written_ = 0;              // terms_[0, written_) are in the database
};

}  // namespace imr
