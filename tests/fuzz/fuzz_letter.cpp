// libFuzzer target: the letter parser over any bytes (any encoding, PDF or not).
#include "lexicon.h"
#include "parser.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {
const imr::Lexicon& lexicon() {
    static const imr::Lexicon lex = imr::Lexicon::load(IMR_SOURCE_DIR "/data/lexicon");
    return lex;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const imr::Parser parser(lexicon());
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        parser.parse(bytes, "fuzz.txt");
    } catch (const imr::RejectedLetter&) {
        // A refusal with a reason is a correct answer.
    }
    return 0;
}
