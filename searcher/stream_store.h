// Every document's token stream of one database revision, held in memory by docid, with the
// sentence and paragraph starts of each.
//
// Why: a phrase or NEAR check reads the token stream of each candidate (section_check.h), and
// Xapian hands a value over only by copying the 64 KB blocks that hold it. Measured at 1M letters,
// a broad phrase ("medically necessary", 1.5M candidates) read 770 MB through the value streams in
// its first run, and even a phrase of 37k matches touched 680 MB, as its candidates lie in nearly
// every block. A long-running searcher reads them once (about a third of the database) and then
// checks a candidate by looking at its bytes where they lie. A /s or /p check also reads each
// candidate's breaks (schema::kSlotBreaks), which the database hands over the same way: they are
// held too.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace imr {

class StreamStore {
public:
    // Reads the token streams of both kinds of document (schema kSlotTokens and
    // kSlotLetterTokens) and every document's breaks (kSlotBreaks) of `db`'s current revision,
    // and counts the bytes of every `count_every`th stream. Values are copied into blocks of
    // `block_bytes` (a longer one gets a block of its own); tests make them small.
    static std::shared_ptr<const StreamStore> load(const Xapian::Database& db, std::size_t count_every = 16,
                                                   std::size_t block_bytes = std::size_t{16} << 20);

    Xapian::rev revision() const { return revision_; }
    // The stream of `did` when it is a document of the kind asked (a letter document's or a
    // determination's); false when it holds no stream of that kind.
    bool find(Xapian::docid did, bool letter_document, std::string_view& stream) const {
        if (did >= begin_.size() || !begin_[did] || is_letter_[did] != letter_document) return false;
        stream = std::string_view(begin_[did], size_[did]);
        return true;
    }
    // The breaks of `did` as stored (schema::decode_breaks reads them), empty when it has none;
    // false when the store does not hold them (a docid past its revision's, or breaks too many
    // to count in 32 bits), and the database is to be asked.
    bool find_breaks(Xapian::docid did, std::string_view& breaks) const;
    // The memory held: streams, breaks and the tables by docid that find them.
    std::size_t bytes() const;
    std::size_t stream_bytes() const { return stream_bytes_; }
    std::size_t break_bytes() const { return break_end_.empty() ? 0 : break_end_.back(); }
    // How often `byte` occurs in the streams counted: a phrase's search starts from its rarest
    // byte (token_stream::contains_run). Small ids are the first words the indexer saw, the most
    // common, and a byte below 0x80 is also the last byte of every longer id of the same value,
    // so which byte of a phrase is rare shows only in the streams themselves.
    std::uint64_t byte_count(unsigned char byte) const { return byte_counts_[byte]; }

private:
    Xapian::rev revision_ = 0;
    std::vector<std::unique_ptr<char[]>> blocks_;  // the streams, then the breaks, back to back
    std::vector<const char*> begin_;               // docid -> its stream, or null
    std::vector<std::uint32_t> size_;
    std::vector<bool> is_letter_;
    std::size_t stream_bytes_ = 0;
    // Every document's breaks one after another in docid order, one run of bytes: did's are
    // [break_end_[did - 1], break_end_[did]). Four bytes a document rather than a pointer and a
    // size, as most documents' breaks are only a few bytes.
    std::vector<std::uint32_t> break_end_;
    // Where that run lies: (its offset, the address of that byte) for each stretch of it that lies
    // in one block, by offset.
    std::vector<std::pair<std::uint32_t, const char*>> break_pieces_;
    std::array<std::uint64_t, 256> byte_counts_{};
};

}  // namespace imr
