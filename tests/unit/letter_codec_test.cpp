// Unit tests of LetterCodec: round trips with and without a trained dictionary, and frames it cannot read.
#include "letter_codec.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

// Letters that share their boilerplate, as real ones do, with the facts that differ.
std::vector<std::string> similar_letters(int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        out.push_back("{\"text\":\"Independent Medical Review Final Determination Letter. Case number CM15-0" + std::to_string(100000 + i * 7919) +
                      ". The injured worker is a " + std::to_string(30 + i % 40) +
                      " year old who reported an industrial injury. The California MTUS Chronic Pain Medical Treatment "
                      "Guidelines state that muscle relaxants are recommended as a second-line option for short-term "
                      "treatment. The request for " + std::string(i % 2 ? "Soma 350mg #60" : "Norco 10/325mg #90") +
                      " is not medically necessary.\",\"sections\":[{\"name\":\"summary\",\"offset\":" + std::to_string(i) + "}]}");
    }
    return out;
}

}  // namespace

TEST_CASE("LetterCodec: stored letters read back as they were written") {
    const auto letters = similar_letters(300);
    const std::string dictionary = imr::LetterCodec::train(letters);
    REQUIRE_FALSE(dictionary.empty());
    const imr::LetterCodec trained(dictionary);
    const imr::LetterCodec plain;
    struct Case {
        const char* name;
        const imr::LetterCodec& writer;
        const imr::LetterCodec& reader;
    };
    const Case cases[] = {
        {"with the dictionary", trained, trained},
        {"without a dictionary", plain, plain},
        {"a plain frame in a database that has a dictionary", plain, trained},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            for (const std::string& letter : {letters[3], letters[250], std::string(), std::string("x")})
                CHECK(c.reader.decompress(c.writer.compress(letter)) == letter);
        }
    }
    SUBCASE("the dictionary is what makes a letter small") {
        CHECK(trained.compress(letters[123]).size() * 2 < plain.compress(letters[123]).size());
    }
    SUBCASE("too few samples train nothing") { CHECK(imr::LetterCodec::train(similar_letters(3)).empty()); }
}

TEST_CASE("LetterCodec: frames it cannot read are named errors") {
    const imr::LetterCodec trained(imr::LetterCodec::train(similar_letters(300)));
    const imr::LetterCodec plain;
    const std::string frame = trained.compress(similar_letters(1).front());
    struct Case {
        const char* name;
        std::string frame;
        const imr::LetterCodec& reader;
        std::string message;
    };
    const unsigned id = [&] {
        // The id zstd wrote into the frame header names the dictionary it needs.
        const std::string message = [&] {
            try {
                plain.decompress(frame);
            } catch (const imr::LetterCodecError& e) {
                return std::string(e.what());
            }
            return std::string();
        }();
        return static_cast<unsigned>(std::stoul(message.substr(message.find("dictionary ") + 11)));
    }();
    const Case cases[] = {
        {"a dictionary frame read without it", frame, plain,
         "a stored letter was compressed with dictionary " + std::to_string(id) + ", which this database lacks"},
        {"not zstd at all", "{\"text\": \"plain JSON\"}", trained, "a stored letter is not a zstd frame of known size"},
        {"a frame cut short", frame.substr(0, frame.size() - 4), trained, "a stored letter cannot be read: Src size is incorrect"},
    };
    CHECK(id != 0);
    for (const auto& c : cases) {
        SUBCASE(c.name) { CHECK_THROWS_WITH_AS(c.reader.decompress(c.frame), c.message.c_str(), imr::LetterCodecError); }
    }
    SUBCASE("a dictionary zstd refuses") {
        CHECK_THROWS_WITH_AS(imr::LetterCodec(std::string("\x37\xa4\x30\xec garbage", 12)), "the stored letters' dictionary is not one zstd can use",
                             imr::LetterCodecError);
    }
}
