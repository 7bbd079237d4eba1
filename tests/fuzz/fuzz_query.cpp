// libFuzzer target: the query language (lexer, grammar, compiler) and the cost classifier.
#include "analyzer.h"
#include "lexicon.h"
#include "query_parser.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// A small vocabulary, so wildcards and stems expand as against an index.
class Vocabulary : public imr::QueryVocabulary {
public:
    std::vector<std::string> terms_with_prefix(const std::string& prefix, std::size_t limit) const override {
        static const std::vector<std::string> terms = {"XGSmtus", "XSPECpain management", "carisoprodol", "cyclobenzaprine",
                                                       "denied", "medical", "medically", "the"};
        std::vector<std::string> out;
        for (const auto& t : terms)
            if (t.rfind(prefix, 0) == 0 && out.size() < limit) out.push_back(t);
        return out;
    }
    std::vector<std::string> words_with_stem(const std::string& stem) const override { return {stem}; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const imr::Lexicon lexicon = imr::Lexicon::load(IMR_SOURCE_DIR "/data/lexicon");
    static const imr::Analyzer analyzer;
    static const Vocabulary vocabulary;
    static const imr::QueryParser parser(analyzer, lexicon, &vocabulary);
    const std::string input(reinterpret_cast<const char*>(data), size);
    imr::QueryParser::looks_costly(input);
    try {
        const auto parsed = parser.parse(input);
        (void)parsed.ranking.get_description();
        (void)imr::describe(parsed.match);
    } catch (const imr::BadRequest&) {
        // Syntax errors and impossible field values are answers, with their message.
    }
    return 0;
}
