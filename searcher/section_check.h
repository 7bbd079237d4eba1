// Phrase, proximity and section checks of documents, read from their token streams (common/token_stream.h).
#pragma once

#include "query_tree.h"
#include "stream_store.h"
#include "token_stream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

namespace imr {

// What `section:rationale "long-term use"` or `section:rationale soma w/5 denied` asks for.
struct SectionMatch {
    enum class Kind { Phrase, Ordered, Near };
    struct Slot {
        std::vector<std::string> terms;  // alternatives for this word position
        std::string wildcard;            // or: every term with this prefix (when no terms were listed)
        char section = '\0';             // schema section code this member must lie in; '\0' = anywhere
        // At the position right after the previous slot's: the second and later words of a phrase
        // (or a hyphenated word) joined by a connector, which stay one phrase.
        bool follows = false;
    };
    Kind kind = Kind::Phrase;
    Xapian::termcount window = 1;  // as Xapian's OP_PHRASE/OP_NEAR window: last - first < window
    // Sentence or Paragraph: the members lie in one sentence or paragraph (schema::kSlotBreaks),
    // and `window` is not used.
    ProximityUnit unit = ProximityUnit::Words;
    std::vector<Slot> slots;
};

// Whether the positions of the slots (each sorted, already cut down to their sections) hold one
// match of `kind` within `window`; members of a match lie at distinct positions, as in Xapian's
// OP_PHRASE and OP_NEAR. A slot flagged in `follows` (SectionMatch::Slot::follows) joins the one
// before it into one member, a phrase, which takes its words' positions as a whole. Exposed for
// the tests.
bool positions_match(SectionMatch::Kind kind, Xapian::termcount window,
                     const std::vector<std::vector<Xapian::termpos>>& positions, const std::vector<char>& follows = {});

// Checks documents of one database against a SectionMatch. Cheap to make, not thread-safe: one
// per thread. Documents are best checked in ascending docid order (it reads value streams).
class StreamCheck {
public:
    // With a `store` of the database's revision, streams and breaks are read from it instead of the
    // database.
    StreamCheck(const Xapian::Database& db, const SectionMatch& match, const StreamStore* store = nullptr);
    // False when some slot has no word any document holds: nothing can match.
    bool possible() const { return possible_; }
    // Whether document `did` matches; `letter_document` says which kind it is, and so which slot
    // holds its stream (schema.h). Without it, the kind is guessed as the last one found.
    bool matches(Xapian::docid did, bool letter_document);
    bool matches(Xapian::docid did);

private:
    // The value of `slot` for `did`, from a value stream kept between calls.
    struct ValueReader {
        Xapian::valueno slot;
        Xapian::ValueIterator it;
        bool started = false;
        Xapian::docid last = 0;
        bool read(const Xapian::Database& db, Xapian::docid did, std::string& out);
    };

    Xapian::Database db_;
    const StreamStore* store_;
    SectionMatch::Kind kind_;
    Xapian::termcount window_;
    std::vector<char> sections_;                               // per slot
    std::vector<char> follows_;                                // per slot: SectionMatch::Slot::follows
    std::vector<std::pair<token_stream::TermId, std::size_t>> ids_;  // (id, slot), sorted
    std::uint64_t id_filter_[64] = {};                          // bit (id % 4096): some slot may hold id
    bool scoped_ = false;                                       // some slot names a section
    bool joined_ = false;                                       // some slot follows the one before it
    // A phrase outside sections is a run of bytes in a stream: its ids' varints one after
    // another; with a few alternatives for some word ("patient", "patient's"), one run for each
    // combination (none when there would be too many).
    token_stream::RunSearch runs_;
    // Two words, one each, in NEAR or pre/n outside sections: found by bytes (token_stream.h).
    std::optional<token_stream::PairWindow> pair_;
    bool possible_ = true;
    ValueReader tokens_{0, {}, false, 0};
    ValueReader letter_tokens_{0, {}, false, 0};
    bool last_was_letter_ = false;
    ValueReader spans_{0, {}, false, 0};
    ValueReader breaks_{0, {}, false, 0};
    ProximityUnit unit_ = ProximityUnit::Words;
    std::string break_bytes_;
    // Whether the positions_ of every slot hold a match inside one sentence or paragraph.
    bool match_in_units(Xapian::docid did);
    // The same, read as the words come and stopping at the first match, for members that are
    // single words no two of which share a form: no position is kept.
    bool streamed_in_units(Xapian::docid did);
    bool stream_units_ = false;
    // The same for two members: their words found by a byte search, and only their positions
    // counted (token_stream::positions_between), as PairWindow does for NEAR.
    bool paired_in_units(Xapian::docid did);
    bool pair_units_ = false;
    token_stream::WordCursor unit_a_, unit_b_;  // each member's forms, found as asked for
    // The document's breaks, from the store or the database.
    std::string_view breaks_of(Xapian::docid did);
    std::string read_, span_bytes_;
    std::string_view stream_;  // the stream being checked: in read_ or in the store
    std::vector<std::vector<Xapian::termpos>> positions_;
    std::vector<std::vector<Xapian::termpos>> window_positions_;  // positions_ cut to the window being checked
};

}  // namespace imr
