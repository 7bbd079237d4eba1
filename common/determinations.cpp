// Reading determinations: outcome statements, the guideline and rationale parts of each item, per layout.
//
// Standard and 2013 letters list each item as a block:
//   <item>: Upheld            (2013: "1. <item> is not medically necessary and appropriate." or
//                              "MAXIMUS Federal Services, Inc. has determined the request for <item> is ...")
//   Claims Administrator guideline: Decision based on ...
//   MAXIMUS guideline: Decision based on ...
//   Decision rationale: ...
// The block parts are found by their labels anywhere in a paragraph (extraction may have glued
// them together); an item whose outcome cannot be read is still recognised as the paragraph right
// before a guideline label, and kept with Outcome::Unknown. The professional-review layout lists
// the items under ISSUE AT DISPUTE, their guidelines in a section of their own and the outcomes in
// the rationale section, either as "<item>: Upheld" or only in words ("is not medically necessary").
// Where each item's own text is printed is recorded too: a block from its item line through its
// rationale, or in the professional-review layout its guideline paragraph and its outcome line with
// the rationale, for the index to read in the letter's order.
#include "determinations.h"

#include "layout.h"
#include "text_scan.h"

#include <algorithm>
#include <array>
#include <string>

namespace imr {
namespace {

using namespace imr::scan;

enum class Part { Plain, ClaimsGuideline, ReviewerGuideline, Rationale };

std::size_t skip_spaces(std::string_view s, std::size_t i) {
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
}

struct Label {
    const char* text;
    Part part;
};

constexpr std::array kLabels = {
    Label{"Claims Administrator guideline:", Part::ClaimsGuideline},
    Label{"Claims Administrator guidelines:", Part::ClaimsGuideline},
    Label{"Claims Administrator's guideline:", Part::ClaimsGuideline},
    Label{"The Claims Administrator based its decision on", Part::ClaimsGuideline},
    Label{"MAXIMUS guideline:", Part::ReviewerGuideline},
    Label{"MAXIMUS guidelines:", Part::ReviewerGuideline},
    Label{"Expert Reviewer guideline:", Part::ReviewerGuideline},
    Label{"The Expert Reviewer based his/her decision on", Part::ReviewerGuideline},
    Label{"The Expert Reviewer based his decision on", Part::ReviewerGuideline},
    Label{"The Expert Reviewer based her decision on", Part::ReviewerGuideline},
    Label{"Decision rationale:", Part::Rationale},
    Label{"The Expert Reviewer's decision rationale:", Part::Rationale},
    Label{"Rationale for the Decision:", Part::Rationale},
};

struct Segment {
    std::size_t begin;  // offsets in the scanned section text
    std::size_t end;
    std::size_t body;  // after the label
    Part part;
};

// Where the sentence that holds `pos` starts: after the last ". ", "? " or "! " before it (not after
// "Dr." or "No."), after the preamble's "set forth below:", or at 0.
std::size_t sentence_start_before(std::string_view t, std::size_t pos) {
    std::size_t start = 0;
    for (std::size_t i = pos; i > 1; --i) {
        if ((t[i - 2] == '.' || t[i - 2] == '?' || t[i - 2] == '!') && t[i - 1] == ' ') {
            std::string_view before = t.substr(0, i - 2);
            if (t[i - 2] == '.' && (iends_with(before, " Dr") || iends_with(before, " No") || before.empty())) continue;
            start = i;
            break;
        }
    }
    std::size_t preamble = ifind(t.substr(0, pos), "set forth below:");
    if (preamble != std::string_view::npos) start = std::max(start, skip_spaces(t, preamble + 16));
    return start;
}

// Where "<item>: Upheld" starts when it ends the paragraph after other sentences, or npos. The
// statement of a partly authorized request starts two sentences earlier, with the original
// request ("X was the original request. Y was authorized ... The remaining ... portion of the
// original request, Z is: Upheld").
std::size_t glued_outcome_start(std::string_view p) {
    std::string_view t = trim_punct(p, ".");
    std::size_t word;
    if (iends_with(t, "upheld")) word = t.size() - 6;
    else if (iends_with(t, "overturned")) word = t.size() - 10;
    else return std::string_view::npos;
    if (word > 0 && is_alpha(t[word - 1])) return std::string_view::npos;
    std::size_t colon = word;
    while (colon > 0 && t[colon - 1] == ' ') --colon;
    if (colon == 0 || t[colon - 1] != ':') return std::string_view::npos;
    --colon;
    std::size_t start = sentence_start_before(t, colon);
    std::string_view last = t.substr(start, colon - start);
    if (istarts_with(last, "the remaining") || istarts_with(last, "the original request")) {
        std::size_t original = 0, from = 0;
        for (std::size_t at; (at = ifind(t.substr(0, start), "was the original request", from)) != std::string_view::npos;)
            original = at, from = at + 1;
        if (from > 0) return sentence_start_before(t, original);
    }
    // What comes before must be prose of some length, so that "Tylenol No. 3: Upheld" stays one item.
    bool after_preamble = ifind(t.substr(0, start), "set forth below:") != std::string_view::npos;
    if (start == 0 || colon - start > 200 || (start < 60 && !after_preamble)) return std::string_view::npos;
    return start;
}

// "The remaining IMR eligible portion of the original request, Z: Upheld" on a line of its own:
// the sentences before it that name the original request and what was authorized ("X was the
// original request. Y was authorized ...") end the segment before, and belong to this statement.
void join_partly_authorized(std::string_view text, std::vector<Segment>& segments) {
    for (std::size_t n = 1; n < segments.size(); ++n) {
        const Segment& seg = segments[n];
        if (seg.part != Part::Plain) continue;
        std::string_view body = trim(text.substr(seg.body, seg.end - seg.body));
        if (!istarts_with(body, "the remaining imr eligible portion") && !istarts_with(body, "the original request,"))
            continue;
        if (ifind(body, "was the original request") != std::string_view::npos) continue;
        // The original request is named in one of the two segments before (a page break may
        // stand between its sentences).
        for (std::size_t back = 1; back <= 2 && back <= n; ++back) {
            Segment& before = segments[n - back];
            std::string_view previous = text.substr(before.body, before.end - before.body);
            std::size_t original = std::string_view::npos;
            for (std::size_t at = ifind(previous, "was the original request"); at != std::string_view::npos;
                 at = ifind(previous, "was the original request", at + 1))
                original = at;
            if (original == std::string_view::npos) continue;
            std::size_t start = before.body + sentence_start_before(previous, original);
            std::size_t first_inside = n - back + 1;  // segments now inside the statement
            if (start <= before.body) {
                start = before.begin;
                --first_inside;
            } else {
                before.end = start;
            }
            segments[n].begin = segments[n].body = start;
            segments.erase(segments.begin() + static_cast<std::ptrdiff_t>(first_inside),
                           segments.begin() + static_cast<std::ptrdiff_t>(n));
            n = first_inside;
            break;
        }
    }
}

// Paragraphs of the section, further cut where a label starts.
std::vector<Segment> segments_of(std::string_view text) {
    struct Cut {
        std::size_t at;
        std::size_t length;
        Part part;
    };
    // One lower-case copy, then plain (memchr-fast) searches for each label.
    static const std::vector<std::string> lower_labels = [] {
        std::vector<std::string> all;
        for (const auto& label : kLabels) all.push_back(to_lower(label.text));
        return all;
    }();
    const std::string lower_text = to_lower(text);
    std::vector<Cut> cuts;
    for (std::size_t l = 0; l < kLabels.size(); ++l) {
        const std::string& label = lower_labels[l];
        for (std::size_t at = lower_text.find(label); at != std::string::npos; at = lower_text.find(label, at + 1))
            if (word_start_at(text, at)) cuts.push_back({at, label.size(), kLabels[l].part});
    }
    std::sort(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) { return a.at < b.at; });

    std::vector<Segment> segments;
    std::size_t next_cut = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::size_t seg_start = start;
        std::size_t body = start;
        Part part = Part::Plain;
        for (; next_cut < cuts.size() && cuts[next_cut].at < end; ++next_cut) {
            const Cut& cut = cuts[next_cut];
            if (cut.at < body) continue;  // a label inside a longer label
            if (!trim(text.substr(seg_start, cut.at - seg_start)).empty() || part != Part::Plain)
                segments.push_back({seg_start, cut.at, body, part});
            seg_start = cut.at;
            body = cut.at + cut.length;
            part = cut.part;
        }
        if (!trim(text.substr(seg_start, end - seg_start)).empty()) {
            std::size_t body_start = std::max(body, seg_start);
            // "... the request is medically necessary. Physical therapy 6 sessions: Upheld": an
            // outcome line glued to the end of the paragraph before it starts a segment of its own.
            std::size_t glued = glued_outcome_start(text.substr(body_start, end - body_start));
            if (glued != std::string_view::npos && glued > 0) {
                segments.push_back({seg_start, body_start + glued, body_start, part});
                seg_start = body_start = body_start + glued;
                part = Part::Plain;
            }
            segments.push_back({seg_start, end, body_start, part});
        }
        start = end + 1;
    }
    join_partly_authorized(text, segments);
    return segments;
}

bool word_at(std::string_view s, std::size_t pos, std::string_view word) {
    return istarts_with(s.substr(pos), word) && word_start_at(s, pos) && word_end_at(s, pos + word.size());
}

// "1. ", "2) " at the start of a paragraph.
std::size_t numbering_length(std::string_view p) {
    std::size_t i = 0;
    while (i < p.size() && i < 3 && is_digit(p[i])) ++i;
    if (i == 0 || i >= p.size() || (p[i] != '.' && p[i] != ')')) return 0;
    return skip_spaces(p, i + 1);
}

// A paragraph that reads like a sentence of prose rather than an item: several sentences.
bool has_sentence_break(std::string_view s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i)
        if (s[i] == '.' && s[i + 1] == ' ' && is_upper(s[i + 2]) && i > 0 && is_lower(s[i - 1])) return true;
    return false;
}

std::string clean_item(std::string_view item) {
    return squeeze_spaces(trim_punct(item.substr(numbering_length(trim(item))), ":;,-"));
}

// The 2013 decision formula "MAXIMUS Federal Services, Inc. has determined (that) " at the start
// of s: its length, or 0.
std::size_t determined_formula_length(std::string_view s) {
    if (!istarts_with(s, "maximus")) return 0;
    std::size_t at = ifind(s, "determined");
    if (at == std::string_view::npos || at > 60) return 0;
    std::string_view before = s.substr(0, at);
    if (!iends_with(trim(before), "has")) return 0;  // also "hasdetermined"
    for (char c : before)
        if (!is_alpha(c) && c != ' ' && c != ',' && c != '.') return 0;
    std::size_t i = skip_spaces(s, at + 10);
    if (word_at(s, i, "that")) i = skip_spaces(s, i + 4);
    return i;
}

// Whether `s` opens a 2013 decision statement: numbered ("1. ") or the formula, also when
// extraction broke the line right after "MAXIMUS Federal Services, Inc.".
bool opens_decision_statement(std::string_view s) {
    return numbering_length(s) > 0 || istarts_with(s, "maximus federal services");
}

// After "medically" at i: " necessary", then maybe " and (medically) appropriate" and a full stop,
// and nothing else; words may run together ("medicallynecessary", "necessaryand", "andappropriate").
// Returns where the statement ends.
std::optional<std::size_t> verdict_tail_end(std::string_view p, std::size_t i) {
    i = skip_spaces(p, i);
    if (!istarts_with(p.substr(i), "necessary")) return std::nullopt;
    i += 9;
    std::size_t j = skip_spaces(p, i);
    if (istarts_with(p.substr(j), "and")) {
        std::size_t k = skip_spaces(p, j + 3);
        if (istarts_with(p.substr(k), "medically")) k = skip_spaces(p, k + 9);
        if (istarts_with(p.substr(k), "appropriate")) i = k + 11;
    }
    j = skip_spaces(p, i);
    if (j < p.size() && p[j] == '.') i = j + 1;
    if (!trim(p.substr(i)).empty()) return std::nullopt;
    return i;
}

// The verb (and "not") right before "medically" at `at`, also run together ("is not", "isnot
// medically", "notmedically", "ismedically"): where the verb starts, or nullopt without a verb.
std::optional<std::size_t> verb_before(std::string_view p, std::size_t from, std::size_t at, bool& negated) {
    auto word_start = [&](std::size_t end) {
        while (end > from && is_alpha(p[end - 1])) --end;
        return end;
    };
    auto before_spaces = [&](std::size_t end) {
        while (end > from && p[end - 1] == ' ') --end;
        return end;
    };
    std::size_t end = at;
    std::size_t begin = word_start(end);
    if (begin == end) {
        end = before_spaces(end);
        begin = word_start(end);
    }
    std::string word = to_lower(p.substr(begin, end - begin));
    negated = false;
    if (word.ends_with("not")) {
        negated = true;
        word.resize(word.size() - 3);
        if (word.empty()) {
            end = before_spaces(begin);
            begin = word_start(end);
            word = to_lower(p.substr(begin, end - begin));
        }
    }
    if (word != "is" && word != "are" && word != "was" && word != "were") return std::nullopt;
    return begin;
}

// Whether every word of the item only refers to a request ("the request", "this medication",
// "continued use"): the subject of a rationale's conclusion, not an item.
bool names_no_item(std::string_view item) {
    static constexpr std::array kGeneric = {
        "the", "this", "that", "these", "those", "a", "an", "it", "such", "same", "above", "request", "requests",
        "requested", "treatment", "treatments", "service", "services", "medication", "medications", "procedure",
        "procedures", "item", "items", "continued", "ongoing", "further", "use", "of", "for", "patient", "claimant",
        "current", "proposed", "therapy", "at", "time"};
    for (std::size_t i = 0; i < item.size();) {
        while (i < item.size() && !is_alpha(item[i])) ++i;
        std::size_t start = i;
        while (i < item.size() && is_alpha(item[i])) ++i;
        if (i == start) break;
        std::string word = to_lower(item.substr(start, i - start));
        if (std::none_of(kGeneric.begin(), kGeneric.end(), [&](const char* g) { return word == g; })) return false;
    }
    return true;
}

// The item of a decision statement, without the lead-ins "the request for" and "the requested".
std::string decided_item(std::string_view raw) {
    std::string_view item = trim(raw);
    for (std::string_view lead : {"the request for ", "the requests for ", "the requested ", "the request of "}) {
        if (istarts_with(item, lead) && item.size() > lead.size()) {
            item.remove_prefix(lead.size());
            break;
        }
    }
    std::string out = clean_item(item);
    if (names_no_item(out)) return {};
    return out;
}

bool is_preamble(std::string_view p) {
    return ifind(p, "final determination") != std::string_view::npos ||
           ifind(p, "set forth below") != std::string_view::npos;
}

struct Block {
    Determination det;
    std::string claims;    // guideline texts by who relied on them
    std::string reviewer;
    std::size_t begin = std::string_view::npos;  // where its item statement (or first part) starts
    std::size_t item_end = 0;                     // where its item statement ends
    std::size_t guideline_begin = std::string_view::npos;
    std::size_t guideline_end = 0;
    std::size_t rationale_begin = std::string_view::npos;
    std::size_t rationale_end = std::string_view::npos;
    Part last = Part::Plain;
    bool last_guideline_closed = false;  // the last guideline paragraph ended its clause
};

// A guideline paragraph that ends with "." or ";" is complete; one that does not continues in the
// next paragraph (a page break fell inside it).
bool ends_clause(std::string_view text) {
    text = trim(text);
    return !text.empty() && (text.back() == '.' || text.back() == ';');
}

void append(std::string& to, std::string_view text) {
    text = trim(text);
    if (text.empty()) return;
    if (!to.empty()) to += ' ';
    to += text;
}

// Drug and category of the requested item. A drug requested as a cream, ointment, lotion or
// compound is a topical analgesic whatever its oral class (MTUS treats "Ketoprofen cream" under
// Topical Analgesics, not NSAIDs); gels and patches keep the class of their product.
void describe_item(Determination& det, const Lexicon& lexicon) {
    det.drug = lexicon.find_drug(det.item);
    if (det.drug) {
        for (std::string_view form : {"cream", "creams", "ointment", "lotion", "compound", "compounded"}) {
            if (ifind_word(det.item, form) != std::string_view::npos) {
                det.drug->drug_class = "topical analgesic";
                break;
            }
        }
    }
    det.category = lexicon.category_for(det.item, det.drug);
}

void finish(Block& b, std::string_view text, std::size_t section_offset, std::size_t block_end, const Lexicon& lexicon,
            const CitationReader& reader, std::vector<Determination>& out) {
    std::size_t printed_end = b.item_end;  // the block runs on to the last of its parts
    if (b.rationale_begin != std::string_view::npos) {
        std::size_t end = std::min(b.rationale_end, block_end);
        if (end > b.rationale_begin) {
            std::string_view rationale = trim(text.substr(b.rationale_begin, end - b.rationale_begin));
            b.det.rationale = std::string(rationale);
            b.det.rationale_offset = section_offset + offset_in(text, rationale);
            if (!rationale.empty()) printed_end = std::max(printed_end, offset_in(text, rationale) + rationale.size());
        }
    }
    if (b.guideline_begin != std::string_view::npos && b.guideline_end > b.guideline_begin) {
        std::string_view guidelines = trim(text.substr(b.guideline_begin, b.guideline_end - b.guideline_begin));
        b.det.guidelines = std::string(guidelines);
        b.det.guidelines_offset = section_offset + offset_in(text, guidelines);
        if (!guidelines.empty()) printed_end = std::max(printed_end, offset_in(text, guidelines) + guidelines.size());
    }
    if (b.begin < printed_end) {
        std::string_view block = trim(text.substr(b.begin, printed_end - b.begin));
        if (!block.empty())
            b.det.printed = {{section_offset + offset_in(text, block), section_offset + offset_in(text, block) + block.size()}};
    }
    GuidelineParagraph reviewer = reader.read(b.reviewer);
    GuidelineParagraph claims = reader.read(b.claims);
    // A block with only one guideline paragraph (older letters) cites it as the reviewer's.
    if (b.reviewer.empty()) reviewer = claims;
    b.det.citations = std::move(reviewer.citations);
    b.det.basis = reviewer.basis;
    b.det.claims_citations = std::move(claims.citations);
    b.det.claims_basis = claims.basis;
    describe_item(b.det, lexicon);
    out.push_back(std::move(b.det));
}

// Standard and 2013 layouts.
std::vector<Determination> read_blocks(std::string_view text, std::size_t section_offset, const Lexicon& lexicon,
                                       const CitationReader& reader) {
    std::vector<Determination> out;
    auto segments = segments_of(text);
    std::optional<Block> cur;

    auto next_is_guideline = [&](std::size_t n) {
        return n + 1 < segments.size() && (segments[n + 1].part == Part::ClaimsGuideline ||
                                           segments[n + 1].part == Part::ReviewerGuideline);
    };
    auto start_block = [&](std::size_t at) {
        if (cur) finish(*cur, text, section_offset, at, lexicon, reader, out);
        cur.emplace();
        cur->begin = at;
    };
    auto segment_body = [&](std::size_t m) {
        return trim(text.substr(segments[m].body, segments[m].end - segments[m].body));
    };
    // A 2013 decision statement that starts at segment n ("1. Omeprazole 20mg #60 is not medically
    // necessary and appropriate.", "MAXIMUS Federal Services, Inc. has determined the request for X
    // is medically necessary and appropriate."), joined with the lines it was wrapped over; sets
    // `last` to its last segment. Only a numbered statement or the formula is one: a rationale that
    // concludes "the request is not medically necessary" is not. A numbered one must be followed by
    // a guideline or rationale label, or be the next number and say "and appropriate", so that the
    // numbered points of a rationale ("2. The requested MRI is not medically necessary.") stay prose.
    auto decision_statement = [&](std::size_t n, std::size_t& last) -> std::optional<OutcomeLine> {
        std::string_view first = segment_body(n);
        if (!opens_decision_statement(first)) return std::nullopt;
        std::string joined(first);
        for (last = n;; ++last) {
            if (auto line = outcome_sentence(joined)) {
                std::size_t number = numbering_length(joined);
                if (determined_formula_length(joined.substr(number)) > 0) return line;
                if (last + 1 < segments.size() && segments[last + 1].part != Part::Plain) return line;
                if (number == 0) return std::nullopt;
                std::size_t expected = out.size() + (cur ? 1 : 0) + 1;
                if (std::stoul(joined.substr(0, number)) == expected && ifind(joined, "appropriate") != std::string::npos)
                    return line;
                return std::nullopt;
            }
            if (last + 1 >= segments.size() || last + 1 - n >= 4 || segments[last + 1].part != Part::Plain)
                return std::nullopt;
            // A finished sentence is not wrapped, except the company's name ("... Services, Inc.").
            if (joined.ends_with('.') && !iends_with(joined, " inc.")) return std::nullopt;
            std::string_view next = segment_body(last + 1);
            if (opens_decision_statement(next) || outcome_line(next)) return std::nullopt;
            joined += ' ';
            joined += next;
        }
    };

    for (std::size_t n = 0; n < segments.size(); ++n) {
        const Segment& seg = segments[n];
        std::string_view body = text.substr(seg.body, seg.end - seg.body);
        if (seg.part == Part::Plain) {
            // A new item is due before the first block and after a block's rationale; elsewhere a
            // stray paragraph before a guideline label is the continuation of the block.
            bool expecting_item = !cur || cur->rationale_begin != std::string_view::npos;
            std::optional<OutcomeLine> line = outcome_line(body);
            std::size_t statement_last = n;  // the last segment of a decision statement wrapped over lines
            bool sentence = false;
            if (!line) {
                line = decision_statement(n, statement_last);
                sentence = line.has_value();
            }
            std::optional<PartlyAuthorized> partly = line ? partly_authorized(line->item) : std::nullopt;
            if (line && !line->item.empty() &&
                (partly || (!has_sentence_break(line->item) && line->item.size() <= 300))) {
                start_block(seg.begin);
                if (sentence) {
                    // The statement ends its last line: what follows is the guidelines or the rationale.
                    n = statement_last;
                    cur->item_end = segments[statement_last].end;
                    cur->det.item = line->item;
                    cur->det.outcome = line->outcome;
                    cur->last = Part::Plain;
                    continue;
                }
                cur->det.item = line->item;
                if (partly) {
                    cur->det.item = std::move(partly->item);
                    cur->det.original_request = std::move(partly->original_request);
                    cur->det.authorized = std::move(partly->authorized);
                }
                cur->det.outcome = line->outcome;
                cur->item_end = seg.body + line->end;
                std::size_t rest = skip_spaces(text, seg.body + line->end);
                if (rest < seg.end) cur->rationale_begin = rest;  // the rationale follows on the same line
                cur->last = Part::Plain;
                continue;
            }
            // A sentence that concludes "... is not medically necessary" is prose, never an item line.
            if (next_is_guideline(n) && expecting_item && body.size() <= 300 && !is_preamble(body) &&
                !has_sentence_break(body) && verdict_in_words(body) == Outcome::Unknown) {
                // The item line is there but its outcome cannot be read.
                start_block(seg.begin);
                std::string_view item = body;
                std::string after;
                std::size_t colon = body.rfind(':');
                if (colon != std::string_view::npos && colon > 0) {
                    after = squeeze_spaces(body.substr(colon + 1));
                    item = body.substr(0, colon);
                }
                cur->det.item = clean_item(item);
                cur->item_end = seg.end;
                cur->det.outcome = Outcome::Unknown;
                cur->det.unknown_reason = after.empty()
                                              ? "no Upheld or Overturned after the item"
                                              : "outcome \"" + after + "\" is neither Upheld nor Overturned";
                cur->last = Part::Plain;
                continue;
            }
            if (!cur) continue;  // preamble
            // A guideline paragraph runs on after a page break, also with its next clause.
            if ((cur->last == Part::ClaimsGuideline || cur->last == Part::ReviewerGuideline) &&
                (!cur->last_guideline_closed || istarts_with(trim(body), "Decision based on"))) {
                append(cur->last == Part::ClaimsGuideline ? cur->claims : cur->reviewer, body);
                cur->guideline_end = seg.end;
                cur->last_guideline_closed = ends_clause(body);
                continue;
            }
            // Prose after the guidelines without a "Decision rationale:" label is the rationale.
            if (cur->rationale_begin == std::string_view::npos) cur->rationale_begin = seg.begin;
            cur->rationale_end = std::string_view::npos;
            cur->last = Part::Rationale;
            continue;
        }
        if (!cur) {
            cur.emplace();
            cur->begin = seg.begin;
            cur->det.outcome = Outcome::Unknown;
            cur->det.unknown_reason = "no item line before the guidelines";
        }
        if (seg.part == Part::Rationale) {
            // A second rationale label in the same block extends the first one.
            if (cur->rationale_begin == std::string_view::npos) cur->rationale_begin = seg.body;
            cur->rationale_end = std::string_view::npos;
            cur->last = Part::Rationale;
            continue;
        }
        // A guideline part closes any rationale read so far.
        if (cur->rationale_begin != std::string_view::npos && cur->rationale_end == std::string_view::npos)
            cur->rationale_end = seg.begin;
        append(seg.part == Part::ClaimsGuideline ? cur->claims : cur->reviewer, body);
        if (cur->guideline_begin == std::string_view::npos) cur->guideline_begin = seg.begin;
        cur->guideline_end = seg.end;
        cur->last = seg.part;
        cur->last_guideline_closed = ends_clause(body);
    }
    if (cur) finish(*cur, text, section_offset, text.size(), lexicon, reader, out);
    return out;
}

// The items listed under ISSUE AT DISPUTE: one per line, numbering dropped.
std::vector<std::string> issue_items(const std::vector<Section>& sections) {
    std::vector<std::string> items;
    for (const auto& s : sections) {
        if (s.name != section::header || ifind(s.heading, "dispute") == std::string_view::npos) continue;
        std::string_view body = s.text;
        for (std::size_t start = 0; start < body.size();) {
            std::size_t end = body.find('\n', start);
            if (end == std::string_view::npos) end = body.size();
            std::string item = clean_item(body.substr(start, end - start));
            if (!item.empty()) items.push_back(std::move(item));
            start = end + 1;
        }
    }
    return items;
}

// Where an item is named in the text at or after `from`; tries the whole item, then its start.
std::size_t find_item(std::string_view text, std::string_view item, std::size_t from = 0) {
    std::size_t at = ifind(text, item, from);
    if (at != std::string_view::npos || item.size() <= 24) return at;
    return ifind(text, item.substr(0, 24), from);
}

struct Statement {
    std::size_t begin;  // the outcome line's paragraph
    std::size_t rest;   // after the outcome
    OutcomeLine line;
};

std::vector<Determination> read_professional(const std::vector<Section>& sections,
                                             const Lexicon& lexicon, const CitationReader& reader) {
    std::vector<Determination> out;
    const Section* decisions = find_section(sections, section::decisions);
    const Section* guidelines = find_section(sections, section::guidelines);
    std::string_view text = decisions ? std::string_view(decisions->text) : std::string_view();

    std::vector<Statement> statements;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (auto line = outcome_line(text.substr(start, end - start));
            line && line->item.size() <= 300 && !has_sentence_break(line->item))
            statements.push_back({start, skip_spaces(text, start + line->end), *line});
        start = end + 1;
    }

    std::vector<std::string> items = issue_items(sections);
    if (items.empty())
        for (const auto& st : statements) items.push_back(st.line.item);

    // Each item's stretch of the rationale section: from its outcome line or first mention to the next.
    struct Span {
        std::size_t begin = std::string_view::npos;
        std::size_t body = std::string_view::npos;
        const Statement* statement = nullptr;
    };
    std::vector<Span> spans(items.size());
    if (statements.size() == items.size()) {
        for (std::size_t n = 0; n < items.size(); ++n)
            spans[n] = {statements[n].begin, statements[n].rest, &statements[n]};
    } else {
        std::size_t from = 0;
        for (std::size_t n = 0; n < items.size(); ++n) {
            for (const auto& st : statements) {
                if (st.begin >= from && iequals(squeeze_spaces(st.line.item), items[n])) {
                    spans[n] = {st.begin, st.rest, &st};
                    break;
                }
            }
            if (!spans[n].statement) {
                std::size_t at = find_item(text, items[n], from);
                if (at != std::string_view::npos) spans[n] = {at, at, nullptr};
            }
            if (spans[n].begin != std::string_view::npos) from = spans[n].begin + 1;
        }
        // One item and a rationale section that never names it: the whole section is its rationale.
        if (decisions && items.size() == 1 && spans.front().begin == std::string_view::npos)
            spans.front() = {0, 0, nullptr};
    }

    // Each item's guidelines: from where it is named in the guidelines section to the next item.
    // Items are looked for in order, so an item requested twice finds its own paragraph.
    std::vector<std::size_t> guideline_at(items.size(), std::string_view::npos);
    bool whole_guidelines = false;  // one item, not named: the whole section is its
    if (guidelines) {
        std::string_view g = guidelines->text;
        std::size_t from = 0;
        for (std::size_t n = 0; n < items.size(); ++n) {
            guideline_at[n] = find_item(g, items[n], from);
            if (guideline_at[n] != std::string_view::npos) from = guideline_at[n] + 1;
        }
        if (guideline_at.size() == 1 && guideline_at.front() == std::string_view::npos) {
            guideline_at.front() = 0;
            whole_guidelines = true;
        }
    }

    for (std::size_t n = 0; n < items.size(); ++n) {
        Determination det;
        det.item = items[n];
        const Span& span = spans[n];
        TextRange rationale_run, guideline_run;
        if (decisions && span.begin != std::string_view::npos) {
            std::size_t end = text.size();
            for (std::size_t m = 0; m < spans.size(); ++m)
                if (spans[m].begin != std::string_view::npos && spans[m].begin > span.begin)
                    end = std::min(end, spans[m].begin);
            std::string_view rationale = trim(text.substr(span.body, end - span.body));
            det.rationale = std::string(rationale);
            det.rationale_offset = decisions->offset + offset_in(text, rationale);
            // Its outcome line and rationale, printed together.
            if (!rationale.empty())
                rationale_run = {decisions->offset + span.begin, det.rationale_offset + rationale.size()};
            if (span.statement) {
                det.outcome = span.statement->line.outcome;
            } else {
                det.outcome = verdict_in_words(det.rationale);
                if (det.outcome == Outcome::Unknown)
                    det.unknown_reason =
                        "the rationale states neither Upheld/Overturned nor whether it is medically necessary";
            }
        } else {
            det.outcome = Outcome::Unknown;
            det.unknown_reason = decisions ? "the item is not named in the rationale section"
                                           : "the letter has no rationale section";
        }
        if (guidelines && guideline_at[n] != std::string_view::npos) {
            std::string_view g = guidelines->text;
            std::size_t begin = whole_guidelines ? 0 : std::min(g.size(), guideline_at[n] + det.item.size());
            std::size_t end = g.size();
            for (std::size_t at : guideline_at)
                if (at != std::string_view::npos && at > guideline_at[n]) end = std::min(end, at);
            std::string_view part = trim_punct(g.substr(begin, end - begin), ":");
            det.guidelines = std::string(part);
            det.guidelines_offset = guidelines->offset + offset_in(g, part);
            // The item named, then its guideline paragraph.
            if (!part.empty())
                guideline_run = {guidelines->offset + (whole_guidelines ? offset_in(g, part) : guideline_at[n]),
                                 det.guidelines_offset + part.size()};
            GuidelineParagraph cited = reader.read(part);
            det.citations = std::move(cited.citations);
            det.basis = cited.basis;
        }
        for (TextRange run : {guideline_run, rationale_run})
            if (run.end > run.begin) det.printed.push_back(run);
        std::sort(det.printed.begin(), det.printed.end(),
                  [](const TextRange& a, const TextRange& b) { return a.begin < b.begin; });
        describe_item(det, lexicon);
        out.push_back(std::move(det));
    }
    return out;
}

// "Treatment(s) in Dispute Listed on IMR Application: Soma 350mg #60; Norco 10/325 #60".
std::vector<std::string> treatments_in_dispute(const std::vector<Section>& sections) {
    std::vector<std::string> items;
    const Section* header = find_section(sections, section::header);
    if (!header) return items;
    std::string_view h = header->text;
    std::size_t at = ifind(h, "Treatment(s) in Dispute");
    if (at == std::string_view::npos) return items;
    std::size_t colon = h.find(':', at);
    if (colon == std::string_view::npos) return items;
    std::string_view list = h.substr(colon + 1);
    for (std::size_t start = 0; start < list.size();) {
        std::size_t end = list.find_first_of(";\n", start);
        if (end == std::string_view::npos) end = list.size();
        std::string item = clean_item(list.substr(start, end - start));
        if (item.find(':') != std::string::npos) break;  // the next header field
        if (!item.empty()) items.push_back(std::move(item));
        start = end + 1;
    }
    return items;
}

bool overlaps(const TextRange& range, std::size_t begin, std::size_t end) {
    return range.begin < end && begin < range.end;
}

// Whether [begin, end) lies inside one of the ranges.
bool inside(const std::vector<TextRange>& ranges, std::size_t begin, std::size_t end) {
    return std::any_of(ranges.begin(), ranges.end(), [&](const TextRange& r) { return r.begin <= begin && end <= r.end; });
}

// Whether an item's printed ranges are in order, hold its own guideline paragraphs and rationale,
// and hold nothing of another item's.
bool printed_is_own(const std::vector<Determination>& all, std::size_t i) {
    const Determination& d = all[i];
    for (std::size_t k = 0; k < d.printed.size(); ++k)
        if (d.printed[k].begin >= d.printed[k].end || (k > 0 && d.printed[k - 1].end > d.printed[k].begin)) return false;
    if (!d.rationale.empty() && !inside(d.printed, d.rationale_offset, d.rationale_offset + d.rationale.size()))
        return false;
    if (!d.guidelines.empty() && !inside(d.printed, d.guidelines_offset, d.guidelines_offset + d.guidelines.size()))
        return false;
    for (std::size_t j = 0; j < all.size(); ++j) {
        if (j == i) continue;
        const Determination& other = all[j];
        for (const TextRange& range : d.printed) {
            if (!other.rationale.empty() &&
                overlaps(range, other.rationale_offset, other.rationale_offset + other.rationale.size()))
                return false;
            for (const TextRange& theirs : other.printed)
                if (overlaps(range, theirs.begin, theirs.end)) return false;
        }
    }
    return true;
}

// An item whose printed ranges are not its own is indexed from its parts instead (document_builder.h).
void keep_own_printed(std::vector<Determination>& all) {
    std::vector<char> own(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) own[i] = printed_is_own(all, i);
    for (std::size_t i = 0; i < all.size(); ++i)
        if (!own[i]) all[i].printed.clear();
}

}  // namespace

namespace {

// The outcome word at w ("Upheld", "UPHELD", "Overturned"; also "Uphold" and "Overturn").
std::optional<Outcome> outcome_word_at(std::string_view p, std::size_t w, std::size_t& word_end) {
    static constexpr std::pair<const char*, Outcome> kWords[] = {
        {"upheld", Outcome::Upheld}, {"uphold", Outcome::Upheld},
        {"overturned", Outcome::Overturned}, {"overturn", Outcome::Overturned}};
    for (auto [word, outcome] : kWords) {
        std::string_view wv(word);
        if (word_at(p, w, wv)) {
            word_end = w + wv.size();
            return outcome;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<PartlyAuthorized> partly_authorized(std::string_view statement) {
    std::string_view s = trim(statement);
    std::size_t original_end = ifind(s, " was the original request");
    if (original_end == std::string_view::npos) return std::nullopt;
    PartlyAuthorized out;
    out.original_request = squeeze_spaces(trim_punct(s.substr(0, original_end), ".,"));
    std::string_view rest = trim(trim_punct(s.substr(original_end + 25), "."));
    // "Y was authorized by the Claims Administrator." or "The Claims Administrator authorized Y,
    // leaving the original request IMR eligible."
    std::size_t by = ifind(rest, " was authorized by the claims administrator");
    std::size_t item_from = std::string_view::npos;
    if (by != std::string_view::npos) {
        out.authorized = squeeze_spaces(trim(rest.substr(0, by)));
        item_from = by + 43;
    } else if (istarts_with(rest, "the claims administrator authorized ")) {
        std::size_t leaving = ifind(rest, ", leaving the original request");
        if (leaving == std::string_view::npos) leaving = ifind(rest, " leaving the original request");
        if (leaving == std::string_view::npos) return std::nullopt;
        out.authorized = squeeze_spaces(trim(rest.substr(36, leaving - 36)));
        std::size_t eligible = ifind(rest, "eligible", leaving);
        item_from = eligible == std::string_view::npos ? leaving + 30 : eligible + 8;
    } else {
        return std::nullopt;
    }
    std::string_view tail = trim(trim_punct(rest.substr(std::min(item_from, rest.size())), ". "));
    // "The remaining IMR eligible portion of the original request, Z is" / "The original request, X is".
    std::size_t comma = tail.find(',');
    if (comma == std::string_view::npos || !istarts_with(tail, "the ")) return std::nullopt;
    std::string_view item = trim(tail.substr(comma + 1));
    if (iends_with(item, " is")) item = trim(item.substr(0, item.size() - 3));
    out.item = clean_item(item);
    if (out.item.empty() || out.authorized.empty() || out.original_request.empty()) return std::nullopt;
    return out;
}

std::optional<OutcomeLine> outcome_line(std::string_view p) {
    // "<item>: Upheld", or with a dash: "<item> - Upheld".
    for (std::size_t sep = p.find_first_of(":-"); sep != std::string_view::npos; sep = p.find_first_of(":-", sep + 1)) {
        if (p[sep] == '-' && (sep == 0 || p[sep - 1] != ' ' || sep + 1 >= p.size() || p[sep + 1] != ' ')) continue;
        const std::size_t colon = sep;
        std::size_t w = skip_spaces(p, colon + 1);
        std::size_t word_end = 0;
        auto found = outcome_word_at(p, w, word_end);
        if (!found) continue;
        Outcome outcome = *found;
        if (word_end < p.size() && p[word_end] == '.') ++word_end;
        std::string item = clean_item(p.substr(0, colon));
        if (item.empty()) return std::nullopt;
        return OutcomeLine{std::move(item), outcome, word_end};
    }
    return std::nullopt;
}

std::optional<OutcomeLine> outcome_sentence(std::string_view p) {
    std::size_t from = numbering_length(p);
    from += determined_formula_length(p.substr(from));
    for (std::size_t at = ifind(p, "medically", from); at != std::string_view::npos;
         at = ifind(p, "medically", at + 1)) {
        std::optional<std::size_t> end = verdict_tail_end(p, at + 9);
        if (!end) continue;
        bool negated = false;
        std::optional<std::size_t> item_end = verb_before(p, from, at, negated);
        if (!item_end) continue;
        std::string item = decided_item(p.substr(from, *item_end - from));
        if (item.empty()) return std::nullopt;
        return OutcomeLine{std::move(item), negated ? Outcome::Upheld : Outcome::Overturned, *end};
    }
    return std::nullopt;
}

Outcome verdict_in_words(std::string_view rationale) {
    Outcome verdict = Outcome::Unknown;
    for (std::size_t at = ifind(rationale, "medically"); at != std::string_view::npos;
         at = ifind(rationale, "medically", at + 1)) {
        std::size_t after = skip_spaces(rationale, at + 9);
        bool verdict_word = false;
        for (std::string_view w : {"necessary", "appropriate", "indicated", "reasonable"})
            verdict_word = verdict_word || word_at(rationale, after, w);
        if (!verdict_word) continue;
        // The word before: "is", "was", "not", "be", "deemed", "considered" make it a verdict;
        // ", medically appropriate" continues a list and keeps the verdict already read.
        std::size_t e = at;
        while (e > 0 && rationale[e - 1] == ' ') --e;
        std::size_t b = e;
        while (b > 0 && is_alpha(rationale[b - 1])) --b;
        std::string prev = to_lower(rationale.substr(b, e - b));
        if (prev == "not") {
            verdict = Outcome::Upheld;
        } else if (prev == "is" || prev == "was" || prev == "are" || prev == "were" || prev == "be" ||
                   prev == "deemed" || prev == "considered" || prev == "as") {
            verdict = Outcome::Overturned;
        }
    }
    return verdict;
}

DeterminationsFound read_determinations(Layout layout, const std::vector<Section>& sections, const Lexicon& lexicon,
                                        const CitationReader& reader) {
    DeterminationsFound found;
    if (layout == Layout::ProfessionalReview) {
        found.determinations = read_professional(sections, lexicon, reader);
    } else if (const Section* decisions = find_section(sections, section::decisions)) {
        found.determinations = read_blocks(decisions->text, decisions->offset, lexicon, reader);
    }
    keep_own_printed(found.determinations);
    if (found.determinations.empty()) {
        // The header still says what was disputed: keep the items, outcome unknown.
        for (auto& item : treatments_in_dispute(sections)) {
            Determination det;
            det.item = std::move(item);
            det.outcome = Outcome::Unknown;
            det.unknown_reason = "no decision for the item was found in the letter";
            describe_item(det, lexicon);
            found.determinations.push_back(std::move(det));
        }
    }
    if (found.determinations.empty()) found.flags.push_back("no-determinations");
    else if (std::any_of(found.determinations.begin(), found.determinations.end(),
                         [](const Determination& d) { return d.outcome == Outcome::Unknown; }))
        found.flags.push_back("outcome-unreadable");
    return found;
}

}  // namespace imr
