// Builds the stem -> indexed words map from the database's unprefixed terms.
#include "stem_index.h"

#include "analyzer.h"

#include <algorithm>

namespace imr {

StemIndex StemIndex::build(const Xapian::Database& db, const Analyzer& analyzer) {
    StemIndex index;
    const auto end = db.allterms_end();
    for (auto t = db.allterms_begin(); t != end; ++t) {
        const std::string term = *t;
        if (!term.empty() && term.front() >= 'A' && term.front() <= 'Z') {
            // Prefixed terms (fields, identities) sort together between digits and lower case.
            t.skip_to("[");
            if (t == end) break;
            const std::string next = *t;
            index.add(next, analyzer.stem(next));
            continue;
        }
        index.add(term, analyzer.stem(term));
    }
    for (auto& [stem, words] : index.words_) std::sort(words.begin(), words.end());
    return index;
}

void StemIndex::add(const std::string& word, const std::string& stem) { words_[stem].push_back(word); }

const std::vector<std::string>& StemIndex::words(const std::string& stem) const {
    static const std::vector<std::string> none;
    auto it = words_.find(stem);
    return it == words_.end() ? none : it->second;
}

}  // namespace imr
