// Citation comparison keys shared by the real-letter test and synth_accuracy: a reference written by
// hand or by the generator spells documents, chapters and sections as printed ("Hip and Pelvis",
// "Chronic Pain Medical Treatment Guidelines"); the parser keeps the lexicon's canonical names.
#pragma once

#include "citations.h"
#include "guideline_paragraph.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imr::test {

inline std::string letters_only(std::string_view s) {
    std::string out;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

class CitationKeys {
public:
    CitationKeys(const CitationReader& reader, const TopicIndex& topics) : reader_(reader), topics_(topics) {}

    // A document or chapter as the lexicon knows it, else its letters; "(Acute & Chronic)" and
    // "Lumbar & Thoracic" restate an ODG chapter, and a trailing "Guidelines" restates a document.
    std::string part(std::string_view kind, const std::string& source, const std::string& name) const {
        auto m = reader_.part_at_start(kind, source, name);
        std::string rest = letters_only(std::string_view(name).substr(m.name ? m.end : 0));
        for (std::string_view restating : {"acute", "chronic", "and", "lumbar", "thoracic", "guidelines"})
            for (std::size_t at; (at = rest.find(restating)) != std::string::npos;) rest.erase(at, restating.size());
        if (m.name && rest.empty()) return *m.name;
        return letters_only(name);
    }

    static std::string edition(const std::string& edition) {
        std::vector<std::string> words;
        std::string w;
        for (char c : edition + " ") {
            if (std::isalnum(static_cast<unsigned char>(c))) w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            else if (!w.empty()) words.push_back(std::exchange(w, ""));
        }
        std::sort(words.begin(), words.end());
        std::string out;
        for (auto& x : words) out += x + " ";
        return out;
    }

    std::string key(const std::string& source, const std::string& document, const std::string& edition_text,
                    const std::string& chapter, const std::string& section, const std::string& pages) const {
        return source + " | " + part("document", source, document) + " | " + edition(edition_text) + " | " +
               part("chapter", source, chapter) + " | " + topics_.normalize(source, section) + " | " +
               letters_only(pages);
    }
    std::string key(const Citation& c) const { return key(c.source, c.document, c.edition, c.chapter, c.topic, c.pages); }

private:
    const CitationReader& reader_;
    const TopicIndex& topics_;
};

}  // namespace imr::test
