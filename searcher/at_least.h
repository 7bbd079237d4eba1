// atleastN(word): the determinations whose text holds the word (any of its forms) N times or more.
#pragma once

#include "checked_source.h"

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace imr {

// A determination's text is its own document's and its letter document's (schema.h), so its count
// is the sum of both: a determination document is checked with its letter document's count added,
// and a letter document alone (what then holds for all its determinations, matcher.h). Used as the
// right side of OP_FILTER beside the synonym of the same words, which finds the candidates.
// With `whole_letter` (Scope::Letter) the count is the whole letter's: its letter document's and
// every determination document's, whichever of them is asked about.
class AtLeastSource : public CheckedSource {
public:
    AtLeastSource(std::vector<std::string> terms, unsigned count, bool whole_letter = false);

    void init(const Xapian::Database& db) override;
    Xapian::PostingSource* clone() const override { return new AtLeastSource(terms_, count_, whole_letter_); }
    std::string name() const override { return "imr::AtLeast"; }
    std::string get_description() const override;

private:
    bool matches(Xapian::docid did) override;
    // The words' summed wdf in `did`, read with iterators that only move forward.
    Xapian::termcount wdf_at(std::vector<Xapian::PostingIterator>& its, Xapian::docid did);
    // The ordinal of a determination document; none for a letter document.
    std::optional<Xapian::docid> ordinal_of(Xapian::docid did);

    std::vector<std::string> terms_;
    unsigned count_;
    bool whole_letter_;
    std::vector<Xapian::PostingIterator> own_, letters_;
    Xapian::ValueIterator ordinals_;
};

}  // namespace imr
