// Loading every document's token stream into memory (stream_store.h says why).
#include "stream_store.h"

#include "schema.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace imr {

namespace {
// Streams are copied into blocks of this size (a longer stream gets a block of its own), so that
// no growing buffer is ever copied again.
constexpr std::size_t kBlockBytes = std::size_t{16} << 20;
}  // namespace

std::shared_ptr<const StreamStore> StreamStore::load(const Xapian::Database& db, std::size_t count_every) {
    auto store = std::make_shared<StreamStore>();
    store->revision_ = db.get_revision();
    const std::size_t size = static_cast<std::size_t>(db.get_lastdocid()) + 1;
    store->begin_.assign(size, nullptr);
    store->size_.assign(size, 0);
    store->is_letter_.assign(size, false);
    char* block = nullptr;
    std::size_t room = 0;
    std::size_t streams = 0;
    for (const Xapian::valueno slot : {schema::kSlotTokens, schema::kSlotLetterTokens}) {
        const bool letters = slot == schema::kSlotLetterTokens;
        for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
            const Xapian::docid did = it.get_docid();
            if (did >= size) continue;
            const std::string value = *it;
            if (value.size() > room) {
                const std::size_t bytes = std::max(kBlockBytes, value.size());
                store->blocks_.push_back(std::make_unique<char[]>(bytes));
                block = store->blocks_.back().get();
                room = bytes;
            }
            std::memcpy(block, value.data(), value.size());
            store->begin_[did] = block;
            store->size_[did] = static_cast<std::uint32_t>(value.size());
            store->is_letter_[did] = letters;
            block += value.size();
            room -= value.size();
            store->bytes_ += value.size();
            if (count_every > 0 && streams++ % count_every == 0)
                for (const char c : value) ++store->byte_counts_[static_cast<unsigned char>(c)];
        }
    }
    return store;
}

}  // namespace imr
