// Checks matches against the section spans of a document: the section: operator without section-prefixed terms.
#include "section_check.h"

#include "schema.h"

#include <algorithm>

namespace imr {
namespace {

constexpr std::size_t kWildcardTerms = 100;  // as QueryParser::kWildcardLimit

bool contains(const std::vector<Xapian::termpos>& sorted, Xapian::termpos p) {
    return std::binary_search(sorted.begin(), sorted.end(), p);
}

// Ordered members: each after the previous, all within the window of the first.
bool ordered_from(const std::vector<std::vector<Xapian::termpos>>& positions, std::size_t slot, Xapian::termpos after,
                  Xapian::termpos limit) {
    if (slot == positions.size()) return true;
    for (auto it = std::upper_bound(positions[slot].begin(), positions[slot].end(), after);
         it != positions[slot].end() && *it <= limit; ++it) {
        if (ordered_from(positions, slot + 1, *it, limit)) return true;
    }
    return false;
}

}  // namespace

bool positions_match(SectionMatch::Kind kind, Xapian::termcount window,
                     const std::vector<std::vector<Xapian::termpos>>& positions) {
    if (positions.empty()) return false;
    for (const auto& p : positions)
        if (p.empty()) return false;
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
        // Some member's position starts a window that holds a position of every member.
        for (const auto& anchors : positions) {
            for (Xapian::termpos start : anchors) {
                bool all = true;
                for (const auto& p : positions) {
                    auto it = std::lower_bound(p.begin(), p.end(), start);
                    all = it != p.end() && *it <= start + window - 1;
                    if (!all) break;
                }
                if (all) return true;
            }
        }
        return false;
    }
    return false;
}

SectionCheck::SectionCheck(std::shared_ptr<const SectionMatch> match) : match_(std::move(match)) {}

void SectionCheck::init(const Xapian::Database& db) {
    db_ = db;
    terms_.clear();
    for (const auto& slot : match_->slots) {
        std::vector<std::string> terms = slot.terms;
        if (terms.empty() && !slot.wildcard.empty()) {
            for (auto t = db.allterms_begin(slot.wildcard); t != db.allterms_end(slot.wildcard) && terms.size() < kWildcardTerms; ++t)
                terms.push_back(*t);
        }
        terms_.push_back(std::move(terms));
    }
    leads_.clear();
    estimate_ = 0;
    if (!terms_.empty()) {
        for (const auto& term : terms_.front()) {
            leads_.push_back(db.postlist_begin(term));
            estimate_ += db.get_termfreq(term);
        }
    }
    estimate_ = std::min(estimate_, db.get_doccount());
    current_ = 0;
    valid_ = false;
    at_end_ = false;
}

Xapian::docid SectionCheck::next_candidate(Xapian::docid did) {
    Xapian::docid best = 0;
    for (std::size_t i = 0; i < leads_.size(); ++i) {
        const std::string& term = terms_.front()[i];
        auto& it = leads_[i];
        if (it == db_.postlist_end(term)) continue;
        if (*it < did) it.skip_to(did);
        if (it == db_.postlist_end(term)) continue;
        if (best == 0 || *it < best) best = *it;
    }
    return best;
}

void SectionCheck::skip_to(Xapian::docid did, double) {
    if (at_end_) return;
    if (valid_ && did <= current_) return;
    // After a failed check() the position is indeterminate: resume after the document it refused.
    if (!valid_ && current_ > 0) did = std::max(did, current_ + 1);
    for (Xapian::docid candidate = next_candidate(did); ; candidate = next_candidate(candidate + 1)) {
        if (candidate == 0) {
            at_end_ = true;
            return;
        }
        if (matches(candidate)) {
            current_ = candidate;
            valid_ = true;
            return;
        }
    }
}

void SectionCheck::next(double min_wt) { skip_to(current_ + 1, min_wt); }

bool SectionCheck::check(Xapian::docid did, double) {
    // Xapian asks about a candidate the plain query found: answer for it alone, and leave the
    // position indeterminate when it fails so that next() resumes after it.
    current_ = did;
    valid_ = matches(did);
    return valid_;
}

bool SectionCheck::matches(Xapian::docid did) const {
    const auto spans = schema::decode_section_spans(db_.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotSections));
    std::vector<std::vector<Xapian::termpos>> positions;
    positions.reserve(terms_.size());
    for (std::size_t s = 0; s < terms_.size(); ++s) {
        const char section = match_->slots[s].section;
        std::vector<Xapian::termpos> slot;
        for (const auto& term : terms_[s]) {
            for (auto p = db_.positionlist_begin(did, term); p != db_.positionlist_end(did, term); ++p) {
                const Xapian::termpos pos = *p;
                if (section == '\0' || std::any_of(spans.begin(), spans.end(), [&](const schema::SectionSpan& span) {
                        return span.code == section && span.first <= pos && pos <= span.last;
                    }))
                    slot.push_back(pos);
            }
        }
        if (slot.empty()) return false;
        std::sort(slot.begin(), slot.end());
        positions.push_back(std::move(slot));
    }
    return positions_match(match_->kind, match_->window, positions);
}

std::string SectionCheck::get_description() const {
    std::string out = "imr::SectionCheck(";
    out += match_->kind == SectionMatch::Kind::Phrase ? "phrase" : match_->kind == SectionMatch::Kind::Ordered ? "ordered" : "near";
    out += ' ';
    out += std::to_string(match_->window);
    for (const auto& slot : match_->slots) {
        out += ' ';
        if (slot.section != '\0') {
            out += slot.section;
            out += ':';
        }
        if (slot.terms.empty()) {
            out += slot.wildcard + '*';
        } else {
            for (std::size_t i = 0; i < slot.terms.size(); ++i) out += (i ? "|" : "") + slot.terms[i];
        }
    }
    out += ')';
    return out;
}

Xapian::Query within_sections(const Xapian::Query& plain, SectionMatch match) {
    auto shared = std::make_shared<const SectionMatch>(std::move(match));
    return Xapian::Query(Xapian::Query::OP_FILTER, plain, Xapian::Query((new SectionCheck(std::move(shared)))->release()));
}

}  // namespace imr
