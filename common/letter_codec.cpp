// zstd with a trained dictionary for stored letters: training, digested dictionaries, per-thread contexts.
#include "letter_codec.h"

#include <zdict.h>
#include <zstd.h>

namespace imr {
namespace {

constexpr int kLevel = 3;                      // zstd's default: fast, and the dictionary does the rest
constexpr std::size_t kDictionaryBytes = 64 * 1024;

ZSTD_CCtx* compress_context() {
    thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(), &ZSTD_freeCCtx);
    return context.get();
}

ZSTD_DCtx* decompress_context() {
    thread_local std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    return context.get();
}

}  // namespace

struct LetterCodec::Dictionaries {
    std::unique_ptr<ZSTD_CDict, decltype(&ZSTD_freeCDict)> compress{nullptr, &ZSTD_freeCDict};
    std::unique_ptr<ZSTD_DDict, decltype(&ZSTD_freeDDict)> decompress{nullptr, &ZSTD_freeDDict};
    unsigned id = 0;
};

LetterCodec::LetterCodec(std::string dictionary) : dictionary_(std::move(dictionary)) {
    if (dictionary_.empty()) return;
    auto d = std::make_shared<Dictionaries>();
    d->compress.reset(ZSTD_createCDict(dictionary_.data(), dictionary_.size(), kLevel));
    d->decompress.reset(ZSTD_createDDict(dictionary_.data(), dictionary_.size()));
    d->id = ZSTD_getDictID_fromDict(dictionary_.data(), dictionary_.size());
    if (!d->compress || !d->decompress) throw LetterCodecError("the stored letters' dictionary is not one zstd can use");
    digested_ = std::move(d);
}

std::string LetterCodec::train(const std::vector<std::string>& samples) {
    std::string joined;
    std::vector<std::size_t> sizes;
    for (const auto& s : samples) {
        if (s.empty()) continue;
        joined += s;
        sizes.push_back(s.size());
    }
    if (sizes.size() < 8) return {};
    std::string dictionary(kDictionaryBytes, '\0');
    const std::size_t size = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), joined.data(), sizes.data(),
                                                   static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(size)) return {};
    dictionary.resize(size);
    return dictionary;
}

std::string LetterCodec::compress(std::string_view bytes) const {
    std::string out(ZSTD_compressBound(bytes.size()), '\0');
    const std::size_t size = digested_
        ? ZSTD_compress_usingCDict(compress_context(), out.data(), out.size(), bytes.data(), bytes.size(), digested_->compress.get())
        : ZSTD_compressCCtx(compress_context(), out.data(), out.size(), bytes.data(), bytes.size(), kLevel);
    if (ZSTD_isError(size)) throw LetterCodecError(std::string("cannot compress a letter: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

std::string LetterCodec::decompress(std::string_view frame) const {
    const unsigned long long content = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (content == ZSTD_CONTENTSIZE_ERROR || content == ZSTD_CONTENTSIZE_UNKNOWN)
        throw LetterCodecError("a stored letter is not a zstd frame of known size");
    const unsigned id = ZSTD_getDictID_fromFrame(frame.data(), frame.size());
    if (id != 0 && (!digested_ || id != digested_->id))
        throw LetterCodecError("a stored letter was compressed with dictionary " + std::to_string(id) + ", which this database lacks");
    std::string out(static_cast<std::size_t>(content), '\0');
    const std::size_t size = id != 0
        ? ZSTD_decompress_usingDDict(decompress_context(), out.data(), out.size(), frame.data(), frame.size(), digested_->decompress.get())
        : ZSTD_decompressDCtx(decompress_context(), out.data(), out.size(), frame.data(), frame.size());
    if (ZSTD_isError(size)) throw LetterCodecError(std::string("a stored letter cannot be read: ") + ZSTD_getErrorName(size));
    out.resize(size);
    return out;
}

}  // namespace imr
