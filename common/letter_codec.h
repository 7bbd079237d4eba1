// Stored letters compressed with zstd and a dictionary trained on the database's own letters.
//
// Why: letters repeat each other's boilerplate, and zlib (which Xapian applies to document data)
// sees one letter at a time. Measured on 100,000 generated letters, a letter's JSON (5,609 bytes)
// took 2,087 bytes with zlib and 455 with zstd and a 64 KB dictionary trained on 1,500 of them.
// Real letters vary more, so expect less, but their boilerplate is as real.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imr {

// A stored letter that cannot be read back: the reason, as zstd gives it.
struct LetterCodecError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thread-safe: compress and decompress keep their zstd contexts per thread.
class LetterCodec {
public:
    LetterCodec() = default;  // plain zstd, no dictionary
    // `dictionary` as train() made it ("" for none); throws LetterCodecError when zstd refuses it.
    explicit LetterCodec(std::string dictionary);

    // A dictionary trained on sample letters, or "" when zstd finds them too few or too alike.
    static std::string train(const std::vector<std::string>& samples);

    const std::string& dictionary() const { return dictionary_; }
    std::string compress(std::string_view bytes) const;
    // A frame from compress() of a codec with the same dictionary, or of one without any.
    std::string decompress(std::string_view frame) const;

private:
    struct Dictionaries;
    std::string dictionary_;
    std::shared_ptr<const Dictionaries> digested_;  // null without a dictionary
};

}  // namespace imr
