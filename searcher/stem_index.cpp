// Builds the stem -> indexed words map from the database's unprefixed terms.
#include "stem_index.h"

#include "analyzer.h"

#include <algorithm>

namespace imr {

StemIndex StemIndex::build(const Xapian::Database& db, const Analyzer& analyzer) {
    StemIndex index;
    // Words that start with a letter (lower case, or any non-ASCII letter, which sorts after "z").
    // Terms that start with a digit or "#" ("10/325", "#60", "2nd") are searched as typed; the
    // prefixed field and identity terms sort between them and the words, in upper case.
    const auto end = db.allterms_end();
    auto t = db.allterms_begin();
    t.skip_to("a");
    for (; t != end; ++t) {
        const std::string term = *t;
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
