// The indexer's dictionary of term ids for token streams (common/token_stream.h): load, assign, persist.
#pragma once

#include "string_hash.h"
#include "token_stream.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
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

    // One worker thread's view of the ids: a word it has met before is found without the lock, in
    // an open-addressing table with a cheap hash. A build looks up every token of every letter
    // here (about 900 a letter), and std::unordered_map's hashing, node walk and allocation were
    // the largest cost of ours in the profile after Xapian's and ICU's. Valid until the next load().
    class Cache {
    public:
        explicit Cache(TermIds& ids) : ids_(ids), slots_(kInitialSlots) {}
        struct Known {
            TermId id;
            std::string_view term;  // the shared copy: lives as long as the TermIds
        };
        // The id of `term`, giving it the next free id when no thread has met it.
        Known id_of(std::string_view term);

    private:
        static constexpr std::size_t kInitialSlots = 1 << 12;
        // 16 bytes, four to a cache line: a 1M-letter build's vocabulary fills 2^21 of them a
        // thread (32 MB; a slot of string_view and hash took 128 MB).
        struct Slot {
            const char* data = nullptr;  // the shared copy of the term
            std::uint32_t size = 0;
            TermId id = 0;  // 0: empty
        };
        void grow();

        TermIds& ids_;
        std::vector<Slot> slots_;  // a power of two, at most three quarters full
        std::size_t used_ = 0;
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
