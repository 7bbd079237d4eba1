// Loading every document's token stream and breaks into memory (stream_store.h says why).
#include "stream_store.h"

#include "schema.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace imr {

std::shared_ptr<const StreamStore> StreamStore::load(const Xapian::Database& db, std::size_t count_every, std::size_t block_bytes) {
    auto store = std::make_shared<StreamStore>();
    store->revision_ = db.get_revision();
    const std::size_t size = static_cast<std::size_t>(db.get_lastdocid()) + 1;
    store->begin_.assign(size, nullptr);
    store->size_.assign(size, 0);
    store->is_letter_.assign(size, false);
    char* block = nullptr;
    std::size_t room = 0;
    // Copies a non-empty value after the last one, or at the start of a new block: values go in
    // blocks so that no growing buffer is ever copied again.
    auto place = [&](const std::string& value) {
        if (value.size() > room) {
            const std::size_t bytes = std::max(block_bytes, value.size());
            store->blocks_.push_back(std::make_unique<char[]>(bytes));
            block = store->blocks_.back().get();
            room = bytes;
        }
        char* at = block;
        std::memcpy(at, value.data(), value.size());
        block += value.size();
        room -= value.size();
        return at;
    };
    std::size_t streams = 0;
    for (const Xapian::valueno slot : {schema::kSlotTokens, schema::kSlotLetterTokens}) {
        const bool letters = slot == schema::kSlotLetterTokens;
        for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
            const Xapian::docid did = it.get_docid();
            if (did >= size) continue;
            const std::string value = *it;
            if (value.empty()) continue;
            store->begin_[did] = place(value);
            store->size_[did] = static_cast<std::uint32_t>(value.size());
            store->is_letter_[did] = letters;
            store->stream_bytes_ += value.size();
            if (count_every > 0 && streams++ % count_every == 0)
                for (const char c : value) ++store->byte_counts_[static_cast<unsigned char>(c)];
        }
    }
    // The breaks come in docid order, so each document's end is the run's length after its own.
    auto& end = store->break_end_;
    end.assign(size, 0);
    std::uint64_t run = 0;
    Xapian::docid unset = 1;  // the first docid whose end is not yet written
    for (auto it = db.valuestream_begin(schema::kSlotBreaks); it != db.valuestream_end(schema::kSlotBreaks); ++it) {
        const Xapian::docid did = it.get_docid();
        if (did >= size) continue;
        const std::string value = *it;
        if (value.empty()) continue;
        if (run + value.size() > std::numeric_limits<std::uint32_t>::max()) {
            // Offsets this far do not fit the table: checks read breaks from the database instead.
            end.clear();
            store->break_pieces_.clear();
            break;
        }
        const std::size_t blocks = store->blocks_.size();
        const char* at = place(value);
        if (store->break_pieces_.empty() || store->blocks_.size() != blocks)
            store->break_pieces_.emplace_back(static_cast<std::uint32_t>(run), at);
        for (; unset < did; ++unset) end[unset] = static_cast<std::uint32_t>(run);
        run += value.size();
        end[did] = static_cast<std::uint32_t>(run);
        unset = did + 1;
    }
    for (; unset < end.size(); ++unset) end[unset] = static_cast<std::uint32_t>(run);
    return store;
}

bool StreamStore::find_breaks(Xapian::docid did, std::string_view& breaks) const {
    if (did == 0 || did >= break_end_.size()) return false;
    const std::uint32_t first = break_end_[did - 1], last = break_end_[did];
    breaks = {};
    if (first == last) return true;
    const auto piece = std::upper_bound(break_pieces_.begin(), break_pieces_.end(), first,
                                        [](std::uint32_t offset, const auto& p) { return offset < p.first; }) - 1;
    breaks = std::string_view(piece->second + (first - piece->first), last - first);
    return true;
}

std::size_t StreamStore::bytes() const {
    return stream_bytes_ + break_bytes() + begin_.size() * (sizeof(const char*) + sizeof(std::uint32_t)) + is_letter_.size() / 8 +
           break_end_.size() * sizeof(std::uint32_t) + break_pieces_.size() * sizeof(break_pieces_.front());
}

}  // namespace imr
