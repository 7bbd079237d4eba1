// Checks phrases, proximity and sections against documents' token streams and section spans.
#include "section_check.h"

#include "schema.h"
#include "work_budget.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace imr {
namespace {

constexpr std::size_t kWildcardTerms = 100;  // as QueryParser::kWildcardLimit
// A phrase with more combinations of alternative words than this decodes its candidates' streams.
constexpr std::size_t kMaxRuns = 8;
// A two-word NEAR or pre/n with more forms of a word than this decodes its candidates' streams.
constexpr std::size_t kMaxPairForms = 8;

bool contains(const std::vector<Xapian::termpos>& sorted, Xapian::termpos p) {
    return std::binary_search(sorted.begin(), sorted.end(), p);
}

// Ordered members: each after the previous, all within the window of the first.
bool ordered_from(const std::vector<std::vector<Xapian::termpos>>& positions, std::size_t slot, Xapian::termpos after,
                  Xapian::termpos limit) {
    if (slot == positions.size()) return true;
    // Greedy is exact here: the earliest position after `after` leaves the most room for the
    // members after it, so one candidate per member suffices (the search over every candidate
    // was exponential in the number of members).
    auto it = std::upper_bound(positions[slot].begin(), positions[slot].end(), after);
    charge_work(1);
    if (it != positions[slot].end() && *it <= limit) {
        if (ordered_from(positions, slot + 1, *it, limit)) return true;
    }
    return false;
}

// Whether every member can take its own position in [first, last]: a bipartite matching of
// members to positions, found with augmenting paths (Kuhn). The backtracking search this replaces
// tried every assignment, so `the NEAR/1000 the NEAR/1000 ... the` grew tenfold with each member
// (9 members: 278 s); this is polynomial, and charges its steps to the search's work budget.
class DistinctPositions {
public:
    DistinctPositions(const std::vector<std::vector<Xapian::termpos>>& positions, Xapian::termpos first,
                      Xapian::termpos last)
        : positions_(positions), first_(first), last_(last) {}

    bool all_placed() {
        for (std::size_t slot = 0; slot < positions_.size(); ++slot) {
            visited_.clear();
            if (!place(slot)) return false;
        }
        return true;
    }

private:
    const std::vector<std::vector<Xapian::termpos>>& positions_;
    Xapian::termpos first_, last_;
    std::vector<std::pair<Xapian::termpos, std::size_t>> owner_;  // position -> member holding it
    std::vector<Xapian::termpos> visited_;

    std::size_t* owner_of(Xapian::termpos pos) {
        for (auto& [p, slot] : owner_)
            if (p == pos) return &slot;
        return nullptr;
    }

    bool place(std::size_t slot) {
        for (auto it = std::lower_bound(positions_[slot].begin(), positions_[slot].end(), first_);
             it != positions_[slot].end() && *it <= last_; ++it) {
            charge_work(1 + owner_.size() / 16);
            if (std::find(visited_.begin(), visited_.end(), *it) != visited_.end()) continue;
            visited_.push_back(*it);
            std::size_t* owner = owner_of(*it);
            if (!owner) {
                owner_.emplace_back(*it, slot);
                return true;
            }
            const std::size_t displaced = *owner;
            if (place(displaced)) {
                *owner_of(*it) = slot;
                return true;
            }
        }
        return false;
    }
};

// Members of a proximity that are phrases: each starts at the positions where all its words lie one
// after another, and takes as many positions as it has words.
struct Members {
    std::vector<std::vector<Xapian::termpos>> starts;
    std::vector<Xapian::termpos> widths;
};

Members members_of(const std::vector<std::vector<Xapian::termpos>>& positions, const std::vector<char>& follows) {
    Members m;
    for (std::size_t slot = 0; slot < positions.size();) {
        std::size_t end = slot + 1;
        while (end < positions.size() && end < follows.size() && follows[end]) ++end;
        std::vector<Xapian::termpos> starts;
        for (const Xapian::termpos p : positions[slot]) {
            bool all = true;
            for (std::size_t k = slot + 1; k < end && all; ++k) all = contains(positions[k], p + static_cast<Xapian::termpos>(k - slot));
            if (all) starts.push_back(p);
        }
        charge_work(1 + positions[slot].size() / 16);
        m.starts.push_back(std::move(starts));
        m.widths.push_back(static_cast<Xapian::termpos>(end - slot));
        slot = end;
    }
    return m;
}

// Ordered members, each after the end of the previous, all ending within `limit`; greedy, as ordered_from.
bool ordered_members_from(const Members& m, std::size_t member, Xapian::termpos after, Xapian::termpos limit) {
    if (member == m.starts.size()) return true;
    auto it = std::upper_bound(m.starts[member].begin(), m.starts[member].end(), after);
    charge_work(1);
    const Xapian::termpos end = it == m.starts[member].end() ? 0 : *it + m.widths[member] - 1;
    return it != m.starts[member].end() && end <= limit && ordered_members_from(m, member + 1, end, limit);
}

// Whether every member takes its own positions in [first, last]: the phrases (few, and rare) by
// trying each of their places there, the single words then by DistinctPositions among the rest.
bool members_placed(const Members& m, Xapian::termpos first, Xapian::termpos last, std::size_t member,
                    std::vector<std::pair<Xapian::termpos, Xapian::termpos>>& taken) {
    while (member < m.starts.size() && m.widths[member] == 1) ++member;
    if (member == m.starts.size()) {
        std::vector<std::vector<Xapian::termpos>> words;
        for (std::size_t i = 0; i < m.starts.size(); ++i) {
            if (m.widths[i] != 1) continue;
            std::vector<Xapian::termpos> free;
            for (auto it = std::lower_bound(m.starts[i].begin(), m.starts[i].end(), first); it != m.starts[i].end() && *it <= last; ++it)
                if (std::none_of(taken.begin(), taken.end(), [&](const auto& t) { return t.first <= *it && *it <= t.second; }))
                    free.push_back(*it);
            if (free.empty()) return false;
            words.push_back(std::move(free));
        }
        return words.empty() || DistinctPositions(words, first, last).all_placed();
    }
    for (auto it = std::lower_bound(m.starts[member].begin(), m.starts[member].end(), first);
         it != m.starts[member].end() && *it + m.widths[member] - 1 <= last; ++it) {
        charge_work(1);
        const Xapian::termpos end = *it + m.widths[member] - 1;
        if (std::any_of(taken.begin(), taken.end(), [&](const auto& t) { return t.first <= end && *it <= t.second; })) continue;
        taken.emplace_back(*it, end);
        const bool placed = members_placed(m, first, last, member + 1, taken);
        taken.pop_back();
        if (placed) return true;
    }
    return false;
}

// positions_match for a proximity with phrases among its members.
bool phrases_match(SectionMatch::Kind kind, Xapian::termcount window, const std::vector<std::vector<Xapian::termpos>>& positions,
                   const std::vector<char>& follows) {
    const Members m = members_of(positions, follows);
    for (const auto& s : m.starts)
        if (s.empty()) return false;
    if (kind == SectionMatch::Kind::Ordered) {
        for (const Xapian::termpos start : m.starts.front())
            if (start + m.widths.front() - 1 <= start + window - 1 &&
                ordered_members_from(m, 1, start + m.widths.front() - 1, start + window - 1))
                return true;
        return false;
    }
    // Some member's start starts a window that holds every member whole, apart.
    std::vector<std::pair<Xapian::termpos, Xapian::termpos>> taken;
    for (const auto& anchors : m.starts)
        for (const Xapian::termpos start : anchors)
            if (members_placed(m, start, start + window - 1, 0, taken)) return true;
    return false;
}

}  // namespace

bool StreamCheck::ValueReader::read(const Xapian::Database& db, Xapian::docid did, std::string& out) {
    if (!started || did < last) {
        it = db.valuestream_begin(slot);
        started = true;
    }
    last = did;
    if (it == db.valuestream_end(slot)) return false;
    if (it.get_docid() < did) it.skip_to(did);
    if (it == db.valuestream_end(slot) || it.get_docid() != did) return false;
    out = *it;
    return true;
}

StreamCheck::StreamCheck(const Xapian::Database& db, const SectionMatch& match, const StreamStore* store)
    : db_(db), store_(store), kind_(match.kind), window_(match.window) {
    tokens_.slot = schema::kSlotTokens;
    letter_tokens_.slot = schema::kSlotLetterTokens;
    spans_.slot = schema::kSlotSections;
    breaks_.slot = schema::kSlotBreaks;
    unit_ = match.unit;
    std::vector<Xapian::doccount> frequency;  // per slot: documents holding one of its words
    for (std::size_t s = 0; s < match.slots.size(); ++s) {
        const auto& slot = match.slots[s];
        std::vector<std::string> terms = slot.terms;
        if (terms.empty() && !slot.wildcard.empty()) {
            for (auto t = db.allterms_begin(slot.wildcard); t != db.allterms_end(slot.wildcard) && terms.size() < kWildcardTerms; ++t)
                terms.push_back(*t);
        }
        bool any = false;
        for (const auto& term : terms) {
            if (auto id = token_stream::find_term_id(db, term)) {
                if (!store_) {
                    frequency.resize(match.slots.size(), 0);
                    frequency[s] += db.get_termfreq(term);
                }
                ids_.emplace_back(*id, s);
                id_filter_[(*id >> 6) & 63] |= std::uint64_t{1} << (*id & 63);
                any = true;
            }
        }
        possible_ = possible_ && any;
        sections_.push_back(slot.section);
        follows_.push_back(slot.follows && s > 0);
        joined_ = joined_ || follows_.back();
        scoped_ = scoped_ || slot.section != '\0';
    }
    std::sort(ids_.begin(), ids_.end());
    positions_.resize(match.slots.size());
    if (match.slots.empty()) possible_ = false;
    const bool words = unit_ == ProximityUnit::Words;
    std::vector<std::vector<token_stream::TermId>> alternatives(match.slots.size());
    for (const auto& [id, slot] : ids_) alternatives[slot].push_back(id);
    std::size_t combinations = 1;
    for (const auto& a : alternatives) combinations *= std::max<std::size_t>(a.size(), 1);
    if (possible_ && words && kind_ == SectionMatch::Kind::Phrase && !scoped_ && !joined_ && combinations <= kMaxRuns) {
        std::vector<std::size_t> choice(alternatives.size(), 0);
        std::vector<token_stream::RunSearch::Run> runs;
        for (std::size_t c = 0; c < combinations; ++c) {
            token_stream::RunSearch::Run run;
            token_stream::Encoder encoder;
            // The search starts from the byte the streams hold least often when the store counted
            // them, else from the first byte of the word the fewest documents hold.
            Xapian::doccount rarest = 0;
            for (std::size_t i = 0; i < alternatives.size(); ++i) {
                if (!store_ && (i == 0 || frequency[i] < rarest)) {
                    rarest = frequency[i];
                    run.anchor = encoder.bytes().size();
                }
                encoder.add(static_cast<Xapian::termpos>(i + 1), alternatives[i][choice[i]]);
            }
            run.bytes = encoder.bytes();
            if (store_) {
                for (std::size_t i = 0; i < run.bytes.size(); ++i)
                    if (store_->byte_count(static_cast<unsigned char>(run.bytes[i])) <
                        store_->byte_count(static_cast<unsigned char>(run.bytes[run.anchor])))
                        run.anchor = i;
            }
            runs.push_back(std::move(run));
            for (std::size_t i = 0; i < choice.size() && ++choice[i] == alternatives[i].size(); ++i) choice[i] = 0;
        }
        runs_ = token_stream::RunSearch(std::move(runs));
    }
    if (possible_ && !words && !scoped_ && !joined_ && match.slots.size() <= 64) {
        stream_units_ = true;
        for (std::size_t i = 1; i < ids_.size(); ++i)
            if (ids_[i].first == ids_[i - 1].first) stream_units_ = false;  // a word two members share
    }
    if (stream_units_ && match.slots.size() == 2 && alternatives[0].size() <= kMaxPairForms &&
        alternatives[1].size() <= kMaxPairForms) {
        pair_units_ = true;
        unit_a_ = token_stream::WordCursor(alternatives[0]);
        unit_b_ = token_stream::WordCursor(alternatives[1]);
    }
    if (possible_ && words && kind_ != SectionMatch::Kind::Phrase && !scoped_ && !joined_ && match.slots.size() == 2 &&
        alternatives[0].size() <= kMaxPairForms && alternatives[1].size() <= kMaxPairForms) {
        // A word on both sides ("pain w/3 pain") needs distinct positions: decoded instead.
        const bool shared = std::any_of(alternatives[0].begin(), alternatives[0].end(), [&](token_stream::TermId id) {
            return std::find(alternatives[1].begin(), alternatives[1].end(), id) != alternatives[1].end();
        });
        if (!shared) pair_.emplace(alternatives[0], alternatives[1], window_, kind_ == SectionMatch::Kind::Ordered);
    }
}

bool StreamCheck::matches(Xapian::docid did) {
    if (!possible_) return false;
    if (matches(did, last_was_letter_)) return true;
    // No stream of the kind guessed: the other kind, or a document without words.
    if (!stream_.empty()) return false;
    return matches(did, !last_was_letter_);
}

bool StreamCheck::matches(Xapian::docid did, bool letter_document) {
    stream_ = {};
    if (!possible_) return false;
    if (store_) {
        if (!store_->find(did, letter_document, stream_)) return false;
    } else {
        if (!(letter_document ? letter_tokens_ : tokens_).read(db_, did, read_)) return false;
        stream_ = read_;
    }
    last_was_letter_ = letter_document;
    charge_work(1 + stream_.size() / 64);
    if (!runs_.empty()) return runs_.in(stream_);
    if (pair_) return pair_->in(stream_);
    if (pair_units_) return paired_in_units(did);
    // Decoding every word of the stream (and its section spans) costs several times a byte search.
    charge_work(stream_.size() / 8);
    std::vector<schema::SectionSpan> spans;
    if (scoped_) spans = schema::decode_section_spans(spans_.read(db_, did, span_bytes_) ? span_bytes_ : std::string());
    // Calls f(slot) for each slot a word at `pos` may stand for.
    auto for_slots = [&](Xapian::termpos pos, token_stream::TermId id, auto&& f) {
        if (!(id_filter_[(id >> 6) & 63] >> (id & 63) & 1)) return;
        auto it = std::lower_bound(ids_.begin(), ids_.end(), std::make_pair(id, std::size_t{0}));
        for (; it != ids_.end() && it->first == id; ++it) {
            const char section = sections_[it->second];
            if (section == '\0' || std::any_of(spans.begin(), spans.end(), [&](const schema::SectionSpan& span) {
                    return span.code == section && span.first <= pos && pos <= span.last;
                }))
                f(it->second);
        }
    };
    const std::size_t n = positions_.size();
    if (kind_ == SectionMatch::Kind::Phrase && n < 64) {
        // Read as the words come, and stop at the first match: broad phrases mostly match early.
        // Bit k of `run`: the words ending at the previous position matched slots 0..k-1.
        std::uint64_t run = 1;
        Xapian::termpos previous = 0;
        return token_stream::scan(stream_, [&](Xapian::termpos pos, token_stream::TermId id) {
            if (pos != previous + 1) run = 1;
            previous = pos;
            std::uint64_t here = 0;
            for_slots(pos, id, [&](std::size_t slot) { here |= std::uint64_t{1} << slot; });
            run = ((run & here) << 1) | 1;
            return (run >> n & 1) != 0;
        });
    }
    if (stream_units_) return streamed_in_units(did);
    for (auto& p : positions_) p.clear();
    if (unit_ != ProximityUnit::Words) {
        token_stream::scan(stream_, [&](Xapian::termpos pos, token_stream::TermId id) {
            for_slots(pos, id, [&](std::size_t slot) { positions_[slot].push_back(pos); });
            return false;
        });
        return match_in_units(did);
    }
    // Stop at the first match: a match is complete at the word of its last member, so after each
    // word of a member, look for one among the positions of the window that ends there.
    return token_stream::scan(stream_, [&](Xapian::termpos pos, token_stream::TermId id) {
        bool member = false;
        for_slots(pos, id, [&](std::size_t slot) {
            positions_[slot].push_back(pos);
            member = true;
        });
        if (!member) return false;
        const Xapian::termpos from = pos >= window_ ? pos - window_ + 1 : 1;
        window_positions_.resize(positions_.size());
        std::size_t copied = 0;
        for (std::size_t i = 0; i < positions_.size(); ++i) {
            const auto& all = positions_[i];
            window_positions_[i].assign(std::lower_bound(all.begin(), all.end(), from), all.end());
            copied += window_positions_[i].size();
            if (window_positions_[i].empty()) break;
        }
        charge_work(1 + copied / 16);  // a wide window of a common word copies many positions
        for (const auto& p : window_positions_)
            if (p.empty()) return false;
        return positions_match(kind_, window_, window_positions_, follows_);
    });
}

std::string_view StreamCheck::breaks_of(Xapian::docid did) {
    // From the store when it holds them: the database hands each over in a copy of its block.
    std::string_view held;
    if (!store_ || !store_->find_breaks(did, held))
        held = breaks_.read(db_, did, break_bytes_) ? std::string_view(break_bytes_) : std::string_view();
    return held;
}

bool StreamCheck::streamed_in_units(Xapian::docid did) {
    schema::UnitStarts starts(breaks_of(did), unit_ == ProximityUnit::Paragraph);
    const std::size_t n = positions_.size();
    const std::uint64_t all = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    const bool ordered = kind_ == SectionMatch::Kind::Ordered;
    std::uint64_t seen = 0;    // unordered: the members found in this unit
    std::size_t progress = 0;  // ordered: how many members were found in order in this unit
    return token_stream::scan(stream_, [&](Xapian::termpos pos, token_stream::TermId id) {
        while (pos >= starts.next()) {
            seen = 0;
            progress = 0;
            starts.advance();
        }
        if (!(id_filter_[(id >> 6) & 63] >> (id & 63) & 1)) return false;
        const auto it = std::lower_bound(ids_.begin(), ids_.end(), std::make_pair(id, std::size_t{0}));
        if (it == ids_.end() || it->first != id) return false;
        if (ordered) {
            // The earliest place of each member in turn is the best place for the next.
            if (it->second == progress) ++progress;
            return progress == n;
        }
        seen |= std::uint64_t{1} << it->second;
        return seen == all;
    });
}

bool StreamCheck::paired_in_units(Xapian::docid did) {
    constexpr std::size_t kEnd = token_stream::WordCursor::kEnd;
    unit_a_.start(stream_);
    std::size_t next_a = unit_a_.next();
    if (next_a == kEnd) return false;
    unit_b_.start(stream_);
    std::size_t next_b = unit_b_.next();
    if (next_b == kEnd) return false;
    schema::UnitStarts starts(breaks_of(did), unit_ == ProximityUnit::Paragraph);
    // The words found, in stream order: each one's position counted on from the one before, its
    // unit from the breaks passed, and a match when the other member was last seen in that unit.
    constexpr std::size_t kNone = ~std::size_t{0};
    const bool ordered = kind_ == SectionMatch::Kind::Ordered;
    std::size_t unit = 0, unit_of_a = kNone, unit_of_b = kNone;
    std::size_t offset = 0;
    Xapian::termpos pos = 1;
    while (next_a != kEnd || next_b != kEnd) {
        const bool is_b = next_b < next_a;
        const std::size_t at = is_b ? next_b : next_a;
        if (is_b) next_b = unit_b_.next();
        else next_a = unit_a_.next();
        pos += token_stream::positions_between(stream_, offset, at);
        offset = at;
        while (pos >= starts.next()) {
            ++unit;
            starts.advance();
        }
        if (is_b) {
            if (unit_of_a == unit) return true;
            unit_of_b = unit;
        } else {
            if (!ordered && unit_of_b == unit) return true;
            unit_of_a = unit;
        }
    }
    return false;
}

bool StreamCheck::match_in_units(Xapian::docid did) {
    for (const auto& p : positions_)
        if (p.empty()) return false;
    // The units' first positions: every break starts a sentence, paragraph breaks a paragraph.
    std::vector<Xapian::termpos> starts{1};
    for (schema::UnitStarts next(breaks_of(did), unit_ == ProximityUnit::Paragraph); next.next() != ~Xapian::termpos{0}; next.advance())
        starts.push_back(next.next());
    charge_work(1 + starts.size() / 16);
    // Each unit that holds a position of the first slot is tried once.
    std::size_t tried_unit = starts.size();
    for (const Xapian::termpos anchor : positions_.front()) {
        const std::size_t unit =
            static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), anchor) - starts.begin()) - 1;
        if (unit == tried_unit) continue;
        tried_unit = unit;
        const Xapian::termpos first = starts[unit];
        const Xapian::termpos last = unit + 1 < starts.size() ? starts[unit + 1] - 1 : ~Xapian::termpos{0};
        window_positions_.resize(positions_.size());
        bool all = true;
        for (std::size_t i = 0; i < positions_.size() && all; ++i) {
            const auto& p = positions_[i];
            window_positions_[i].assign(std::lower_bound(p.begin(), p.end(), first), std::upper_bound(p.begin(), p.end(), last));
            all = !window_positions_[i].empty();
        }
        charge_work(1);
        if (!all) continue;
        // A window from the unit's start to its last member's position holds every match in it.
        Xapian::termpos highest = 0;
        for (const auto& w : window_positions_) highest = std::max(highest, w.back());
        if (positions_match(kind_, highest - first + 1, window_positions_, follows_)) return true;
    }
    return false;
}

bool positions_match(SectionMatch::Kind kind, Xapian::termcount window,
                     const std::vector<std::vector<Xapian::termpos>>& positions, const std::vector<char>& follows) {
    if (positions.empty()) return false;
    for (const auto& p : positions)
        if (p.empty()) return false;
    if (kind != SectionMatch::Kind::Phrase && std::find(follows.begin(), follows.end(), 1) != follows.end())
        return phrases_match(kind, window, positions, follows);
    switch (kind) {
    case SectionMatch::Kind::Phrase:
        for (Xapian::termpos start : positions.front()) {
            bool all = true;
            for (std::size_t i = 1; i < positions.size() && all; ++i)
                all = contains(positions[i], start + static_cast<Xapian::termpos>(i));
            if (all) return true;
        }
        return false;
    case SectionMatch::Kind::Ordered:
        for (Xapian::termpos start : positions.front())
            if (ordered_from(positions, 1, start, start + window - 1)) return true;
        return false;
    case SectionMatch::Kind::Near:
        // Some member's position starts a window that holds a distinct position of every member.
        for (const auto& anchors : positions) {
            for (Xapian::termpos start : anchors) {
                if (DistinctPositions(positions, start, start + window - 1).all_placed()) return true;
            }
        }
        return false;
    }
    return false;
}

}  // namespace imr
