// Free-text words to the indexed words that share their stem, for one database revision.
//
// Stems are not indexed (schema.h): `denied` finds `denial` because the query asks for every
// indexed word whose stem is `deni`, as one synonym, instead of a "Z" stem term in every document.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace imr {

class Analyzer;

class StemIndex {
public:
    // Every unprefixed term of the database, grouped by its stem as `analyzer` stems it.
    static StemIndex build(const Xapian::Database& db, const Analyzer& analyzer);

    void add(const std::string& word, const std::string& stem);
    // The indexed words whose stem is `stem`, sorted; empty when there are none.
    const std::vector<std::string>& words(const std::string& stem) const;
    std::size_t stems() const { return words_.size(); }

private:
    std::unordered_map<std::string, std::vector<std::string>> words_;
};

}  // namespace imr
