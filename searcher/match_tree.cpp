// The compiled query tree the matcher walks, and its canonical description.
#include "match_tree.h"

#include <algorithm>

namespace imr {

MatchNode MatchNode::any_of(std::vector<std::string> terms) {
    if (terms.empty()) return nothing();
    MatchNode node{Kind::Terms};
    for (auto& t : terms)
        if (std::find(node.terms.begin(), node.terms.end(), t) == node.terms.end()) node.terms.push_back(std::move(t));
    return node;
}

MatchNode MatchNode::of_positional(SectionMatch match) {
    MatchNode node{Kind::Positional};
    node.positional = std::make_shared<const SectionMatch>(std::move(match));
    return node;
}

MatchNode MatchNode::combine(Kind kind, std::vector<MatchNode> children) {
    if (kind == Kind::Or) {
        // Terms nodes merge into the first of them; a Nothing adds nothing.
        std::vector<MatchNode> merged;
        std::size_t terms_at = std::string::npos;
        for (auto& child : children) {
            if (child.kind == Kind::Nothing) continue;
            if (child.kind == Kind::Terms && terms_at != std::string::npos) {
                auto& into = merged[terms_at].terms;
                for (auto& t : child.terms)
                    if (std::find(into.begin(), into.end(), t) == into.end()) into.push_back(std::move(t));
                continue;
            }
            if (child.kind == Kind::Terms) terms_at = merged.size();
            merged.push_back(std::move(child));
        }
        if (merged.empty()) return nothing();
        children = std::move(merged);
    }
    if (children.size() == 1 && kind != Kind::AndNot) return std::move(children.front());
    MatchNode node{kind};
    node.children = std::move(children);
    return node;
}

std::string describe(const SectionMatch& match) {
    std::string out = match.kind == SectionMatch::Kind::Phrase ? "phrase" : match.kind == SectionMatch::Kind::Ordered ? "ordered" : "near";
    out += ' ';
    switch (match.unit) {
    case ProximityUnit::Sentence: out += "sentence"; break;
    case ProximityUnit::Paragraph: out += "paragraph"; break;
    case ProximityUnit::Words: out += std::to_string(match.window); break;
    }
    for (const auto& slot : match.slots) {
        out += slot.follows ? '^' : ' ';  // a phrase's next word
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
    return out;
}

std::string describe(const MatchNode& node) {
    auto joined = [&](const char* op) {
        std::string out = "(";
        for (std::size_t i = 0; i < node.children.size(); ++i) out += (i ? op : "") + describe(node.children[i]);
        return out + ")";
    };
    switch (node.kind) {
    case MatchNode::Kind::All: return "<all>";
    case MatchNode::Kind::Nothing: return "<nothing>";
    case MatchNode::Kind::Terms: {
        std::string out;
        for (std::size_t i = 0; i < node.terms.size(); ++i) out += (i ? "|" : "") + node.terms[i];
        return out;
    }
    case MatchNode::Kind::Range: {
        auto bound = [](const std::string& v) {
            if (v.empty()) return std::string();
            const double d = Xapian::sortable_unserialise(v);
            return std::to_string(static_cast<long long>(d));
        };
        return node.field + ":" + bound(node.low) + ".." + bound(node.high);
    }
    case MatchNode::Kind::And: return joined(" AND ");
    case MatchNode::Kind::Or: return joined(" OR ");
    case MatchNode::Kind::AndNot: return joined(" AND_NOT ");
    case MatchNode::Kind::Positional: return "[" + describe(*node.positional) + "]";
    case MatchNode::Kind::AtLeast: {
        std::string out = "atleast" + std::to_string(node.count) + (node.whole_letter ? " letter(" : "(");
        for (std::size_t i = 0; i < node.terms.size(); ++i) out += (i ? "|" : "") + node.terms[i];
        return out + ")";
    }
    }
    return {};
}

bool reads_postlists_only(const MatchNode& node) {
    switch (node.kind) {
    case MatchNode::Kind::All:
    case MatchNode::Kind::Nothing:
    case MatchNode::Kind::Terms: return true;
    case MatchNode::Kind::And:
    case MatchNode::Kind::Or:
    case MatchNode::Kind::AndNot:
        return std::all_of(node.children.begin(), node.children.end(), [](const MatchNode& c) { return reads_postlists_only(c); });
    default: return false;
    }
}

}  // namespace imr
