// nlohmann conversions of the letter model; malformed JSON throws nlohmann::json exceptions naming the field.
#include "letter_json.h"

#include "dates.h"
#include "json_text.h"
#include "text_scan.h"

#include <string>

namespace imr {
namespace {

using nlohmann::json;

json optional_date(const std::optional<Date>& date) { return date ? json(*date) : json(nullptr); }

std::optional<Date> read_optional_date(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return it->get<Date>();
}

template <typename T>
T value_or(const json& j, const char* key, T fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    return it->get<T>();
}

[[noreturn]] void bad_value(const char* what, const json& j) {
    throw json::other_error::create(501, std::string("invalid ") + what + ": " + j.dump(), &j);
}

// Ranges of the letter's text as pairs: [[begin, end], ...].
json printed_json(const std::vector<TextRange>& ranges) {
    json out = json::array();
    for (const auto& r : ranges) out.push_back(json::array({r.begin, r.end}));
    return out;
}

}  // namespace

std::optional<Date> date_from_iso(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (!scan::is_digit(iso[i])) return std::nullopt;
    auto number = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (iso[i] - '0');
        return v;
    };
    Date d{number(0, 4), number(5, 2), number(8, 2)};
    if (!is_valid_date(d.year, d.month, d.day)) return std::nullopt;
    return d;
}

std::optional<Layout> layout_from_string(std::string_view name) {
    for (Layout l : {Layout::Standard, Layout::Maximus2013, Layout::ProfessionalReview})
        if (to_string(l) == name) return l;
    return std::nullopt;
}

std::optional<Basis> basis_from_string(std::string_view name) {
    for (Basis b : {Basis::Mtus, Basis::OutsideMtus, Basis::NoneCited})
        if (scan::iequals(to_string(b), name)) return b;
    return std::nullopt;
}

std::optional<Outcome> outcome_from_string(std::string_view name) {
    for (Outcome o : {Outcome::Upheld, Outcome::Overturned, Outcome::Unknown})
        if (scan::iequals(to_string(o), name)) return o;
    return std::nullopt;
}

void to_json(json& j, const Date& date) { j = date.iso(); }
void from_json(const json& j, Date& date) {
    auto parsed = j.is_string() ? date_from_iso(j.get<std::string>()) : std::nullopt;
    if (!parsed) bad_value("date (expected \"YYYY-MM-DD\")", j);
    date = *parsed;
}

void to_json(json& j, Layout layout) { j = to_string(layout); }
void from_json(const json& j, Layout& layout) {
    auto parsed = j.is_string() ? layout_from_string(j.get<std::string>()) : std::nullopt;
    if (!parsed) bad_value("layout", j);
    layout = *parsed;
}

void to_json(json& j, Outcome outcome) { j = to_string(outcome); }
void from_json(const json& j, Outcome& outcome) {
    auto parsed = j.is_string() ? outcome_from_string(j.get<std::string>()) : std::nullopt;
    if (!parsed) bad_value("outcome", j);
    outcome = *parsed;
}

void to_json(json& j, const Section& s) {
    j = json{{"name", s.name}, {"heading", s.heading}, {"offset", s.offset}, {"text", s.text}};
}
void from_json(const json& j, Section& s) {
    j.at("name").get_to(s.name);
    s.heading = value_or<std::string>(j, "heading", "");
    j.at("offset").get_to(s.offset);
    s.text = value_or<std::string>(j, "text", "");
}

// Parts a citation does not have are left out: every determination stores its citations.
void to_json(json& j, const Citation& c) {
    j = json{{"source", c.source}};
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"document", &c.document},
                                     {"edition", &c.edition}, {"chapter", &c.chapter}, {"section", &c.topic},
                                     {"pages", &c.pages}})
        if (!value->empty()) j[key] = *value;
}
void from_json(const json& j, Citation& c) {
    j.at("source").get_to(c.source);
    c.document = value_or<std::string>(j, "document", "");
    c.edition = value_or<std::string>(j, "edition", "");
    c.chapter = value_or<std::string>(j, "chapter", "");
    c.topic = value_or<std::string>(j, "section", "");
    c.pages = value_or<std::string>(j, "pages", "");
}

void to_json(json& j, Basis basis) { j = to_string(basis); }
void from_json(const json& j, Basis& basis) {
    auto parsed = j.is_string() ? basis_from_string(j.get<std::string>()) : std::nullopt;
    if (!parsed) bad_value("basis", j);
    basis = *parsed;
}

void to_json(json& j, const Drug& d) {
    j = json{{"generic", d.generic}, {"ingredients", d.ingredients}, {"brand", d.brand}, {"drug_class", d.drug_class}};
}
void from_json(const json& j, Drug& d) {
    j.at("generic").get_to(d.generic);
    d.ingredients = value_or<std::vector<std::string>>(j, "ingredients", {});
    d.brand = value_or<std::string>(j, "brand", "");
    d.drug_class = value_or<std::string>(j, "drug_class", "");
}

void to_json(json& j, const Determination& d) {
    j = json{{"item", d.item},
             {"outcome", d.outcome},
             {"unknown_reason", d.unknown_reason},
             {"drug", d.drug ? json(*d.drug) : json(nullptr)},
             {"category", d.category},
             {"citations", d.citations},
             {"basis", d.basis},
             {"claims_citations", d.claims_citations},
             {"claims_basis", d.claims_basis},
             {"guidelines", d.guidelines},
             {"guidelines_offset", d.guidelines_offset},
             {"printed", printed_json(d.printed)},
             {"rationale", d.rationale},
             {"rationale_offset", d.rationale_offset}};
    // Most requests were not partly authorized: the keys are written only when they hold something.
    if (!d.original_request.empty()) j["original_request"] = d.original_request;
    if (!d.authorized.empty()) j["authorized"] = d.authorized;
}
void from_json(const json& j, Determination& d) {
    j.at("item").get_to(d.item);
    d.original_request = value_or<std::string>(j, "original_request", "");
    d.authorized = value_or<std::string>(j, "authorized", "");
    j.at("outcome").get_to(d.outcome);
    d.unknown_reason = value_or<std::string>(j, "unknown_reason", "");
    auto drug = j.find("drug");
    if (drug != j.end() && !drug->is_null()) d.drug = drug->get<Drug>();
    else d.drug.reset();
    d.category = value_or<std::string>(j, "category", "");
    d.citations = value_or<std::vector<Citation>>(j, "citations", {});
    d.basis = value_or<Basis>(j, "basis", Basis::NoneCited);
    d.claims_citations = value_or<std::vector<Citation>>(j, "claims_citations", {});
    d.claims_basis = value_or<Basis>(j, "claims_basis", Basis::NoneCited);
    d.guidelines = value_or<std::string>(j, "guidelines", "");
    d.guidelines_offset = value_or<std::size_t>(j, "guidelines_offset", 0);
    d.printed.clear();
    for (const auto& range : j.value("printed", json::array()))
        d.printed.push_back({range.at(0).get<std::size_t>(), range.at(1).get<std::size_t>()});
    d.rationale = value_or<std::string>(j, "rationale", "");
    d.rationale_offset = value_or<std::size_t>(j, "rationale_offset", 0);
}

void to_json(json& j, const Letter& l) {
    auto is_slice = [&](std::size_t offset, const std::string& part) {
        return offset <= l.text.size() && l.text.compare(offset, part.size(), part) == 0;
    };
    json sections = json::array();
    for (const auto& s : l.sections) {
        json js = s;
        if (is_slice(s.offset, s.text)) {
            js.erase("text");
            js["length"] = s.text.size();
        }
        sections.push_back(std::move(js));
    }
    json determinations = json::array();
    for (const auto& d : l.determinations) {
        json jd = d;
        if (!d.rationale.empty() && is_slice(d.rationale_offset, d.rationale)) {
            jd.erase("rationale");
            jd["rationale_length"] = d.rationale.size();
        }
        determinations.push_back(std::move(jd));
    }
    j = json{{"source", l.source},
             {"layout", l.layout},
             {"encoding", l.encoding},
             {"case_number", l.case_number},
             {"injury_date", optional_date(l.injury_date)},
             {"ur_denial_date", optional_date(l.ur_denial_date)},
             {"assigned_date", optional_date(l.assigned_date)},
             {"decision_date", optional_date(l.decision_date)},
             {"application_received", optional_date(l.application_received)},
             {"priority", l.priority},
             {"age", l.age ? json(*l.age) : json(nullptr)},
             {"sex", l.sex},
             {"specialties", l.specialties},
             {"states", l.states},
             {"text", l.text},
             {"sections", std::move(sections)},
             {"determinations", std::move(determinations)},
             {"flags", l.flags}};
}

void from_json(const json& j, Letter& l) {
    l.source = value_or<std::string>(j, "source", "");
    j.at("layout").get_to(l.layout);
    l.encoding = value_or<std::string>(j, "encoding", "");
    l.case_number = value_or<std::string>(j, "case_number", "");
    l.injury_date = read_optional_date(j, "injury_date");
    l.ur_denial_date = read_optional_date(j, "ur_denial_date");
    l.assigned_date = read_optional_date(j, "assigned_date");
    l.decision_date = read_optional_date(j, "decision_date");
    l.application_received = read_optional_date(j, "application_received");
    l.priority = value_or<std::string>(j, "priority", "");
    auto age = j.find("age");
    l.age = age != j.end() && !age->is_null() ? std::optional<int>(age->get<int>()) : std::nullopt;
    l.sex = value_or<std::string>(j, "sex", "");
    l.specialties = value_or<std::vector<std::string>>(j, "specialties", {});
    l.states = value_or<std::vector<std::string>>(j, "states", {});
    j.at("text").get_to(l.text);
    auto slice = [&](const json& part, std::size_t offset, const char* what) {
        std::size_t length = part.at("length").get<std::size_t>();
        if (offset > l.text.size() || length > l.text.size() - offset)
            throw json::out_of_range::create(401, std::string(what) + " lies outside the letter text", &part);
        return l.text.substr(offset, length);
    };
    l.sections.clear();
    for (const auto& js : j.value("sections", json::array())) {
        Section s = js.get<Section>();
        if (!js.contains("text")) s.text = slice(js, s.offset, "section");
        l.sections.push_back(std::move(s));
    }
    l.determinations.clear();
    for (const auto& jd : j.value("determinations", json::array())) {
        Determination d = jd.get<Determination>();
        if (!jd.contains("rationale") && jd.contains("rationale_length")) {
            json at{{"length", jd.at("rationale_length")}};
            d.rationale = slice(at, d.rationale_offset, "rationale");
        }
        l.determinations.push_back(std::move(d));
    }
    l.flags = value_or<std::vector<std::string>>(j, "flags", {});
}

// ---- The same JSON as text, written directly -----------------------------------------------------
// Keys come in the order nlohmann's std::map writes them (sorted), values as dump() writes them;
// letter_json_test checks the two agree.

namespace {

using json_text::append_key;
using json_text::append_number;
using json_text::append_string;

// `,"key":` (or `"key":` for an object's first key).
void key(std::string& out, std::string_view name, bool& first) {
    if (!first) out += ',';
    first = false;
    append_key(out, name);
}

void append_text(std::string& out, const std::optional<Date>& date) {
    if (date) append_string(out, date->iso());
    else out += "null";
}

void append_text(std::string& out, const std::vector<std::string>& list) {
    out += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out += ',';
        append_string(out, list[i]);
    }
    out += ']';
}

void append_text(std::string& out, const Citation& c) {
    out += '{';
    bool first = true;
    for (const auto& [name, value] : {std::pair<std::string_view, const std::string*>{"chapter", &c.chapter},
                                      {"document", &c.document}, {"edition", &c.edition}, {"pages", &c.pages},
                                      {"section", &c.topic}}) {
        if (value->empty()) continue;
        key(out, name, first);
        append_string(out, *value);
    }
    key(out, "source", first);
    append_string(out, c.source);
    out += '}';
}

void append_text(std::string& out, const Drug& d) {
    out += "{\"brand\":";
    append_string(out, d.brand);
    out += ",\"drug_class\":";
    append_string(out, d.drug_class);
    out += ",\"generic\":";
    append_string(out, d.generic);
    out += ",\"ingredients\":";
    append_text(out, d.ingredients);
    out += '}';
}

// A determination inside a letter: its rationale as an offset and length when it is a slice of
// the letter's text.
void append_text(std::string& out, const Determination& d, bool rationale_is_slice) {
    bool first = true;
    out += '{';
    if (!d.authorized.empty()) {
        key(out, "authorized", first);
        append_string(out, d.authorized);
    }
    key(out, "basis", first);
    append_string(out, to_string(d.basis));
    key(out, "category", first);
    append_string(out, d.category);
    key(out, "citations", first);
    append_json_text(out, d.citations);
    key(out, "claims_basis", first);
    append_string(out, to_string(d.claims_basis));
    key(out, "claims_citations", first);
    append_json_text(out, d.claims_citations);
    key(out, "drug", first);
    if (d.drug) append_text(out, *d.drug);
    else out += "null";
    key(out, "guidelines", first);
    append_string(out, d.guidelines);
    key(out, "guidelines_offset", first);
    append_number(out, std::uint64_t{d.guidelines_offset});
    key(out, "item", first);
    append_string(out, d.item);
    if (!d.original_request.empty()) {
        key(out, "original_request", first);
        append_string(out, d.original_request);
    }
    key(out, "outcome", first);
    append_string(out, to_string(d.outcome));
    key(out, "printed", first);
    out += '[';
    for (std::size_t i = 0; i < d.printed.size(); ++i) {
        out += i ? ",[" : "[";
        append_number(out, std::uint64_t{d.printed[i].begin});
        out += ',';
        append_number(out, std::uint64_t{d.printed[i].end});
        out += ']';
    }
    out += ']';
    if (rationale_is_slice) {
        key(out, "rationale_length", first);
        append_number(out, std::uint64_t{d.rationale.size()});
    } else {
        key(out, "rationale", first);
        append_string(out, d.rationale);
    }
    key(out, "rationale_offset", first);
    append_number(out, std::uint64_t{d.rationale_offset});
    key(out, "unknown_reason", first);
    append_string(out, d.unknown_reason);
    out += '}';
}

}  // namespace

void append_json_text(std::string& out, const std::vector<Citation>& citations) {
    out += '[';
    for (std::size_t i = 0; i < citations.size(); ++i) {
        if (i) out += ',';
        append_text(out, citations[i]);
    }
    out += ']';
}

std::string letter_json_text(const Letter& l) {
    auto is_slice = [&](std::size_t offset, const std::string& part) {
        return offset <= l.text.size() && l.text.compare(offset, part.size(), part) == 0;
    };
    std::string out;
    out.reserve(l.text.size() + 2048 + 1024 * l.determinations.size());
    out += "{\"age\":";
    if (l.age) append_number(out, std::int64_t{*l.age});
    else out += "null";
    out += ",\"application_received\":";
    append_text(out, l.application_received);
    out += ",\"assigned_date\":";
    append_text(out, l.assigned_date);
    out += ",\"case_number\":";
    append_string(out, l.case_number);
    out += ",\"decision_date\":";
    append_text(out, l.decision_date);
    out += ",\"determinations\":[";
    for (std::size_t i = 0; i < l.determinations.size(); ++i) {
        const Determination& d = l.determinations[i];
        if (i) out += ',';
        append_text(out, d, !d.rationale.empty() && is_slice(d.rationale_offset, d.rationale));
    }
    out += "],\"encoding\":";
    append_string(out, l.encoding);
    out += ",\"flags\":";
    append_text(out, l.flags);
    out += ",\"injury_date\":";
    append_text(out, l.injury_date);
    out += ",\"layout\":";
    append_string(out, to_string(l.layout));
    out += ",\"priority\":";
    append_string(out, l.priority);
    out += ",\"sections\":[";
    for (std::size_t i = 0; i < l.sections.size(); ++i) {
        const Section& s = l.sections[i];
        if (i) out += ',';
        out += "{\"heading\":";
        append_string(out, s.heading);
        const bool slice = is_slice(s.offset, s.text);
        if (slice) {
            out += ",\"length\":";
            append_number(out, std::uint64_t{s.text.size()});
        }
        out += ",\"name\":";
        append_string(out, s.name);
        out += ",\"offset\":";
        append_number(out, std::uint64_t{s.offset});
        if (!slice) {
            out += ",\"text\":";
            append_string(out, s.text);
        }
        out += '}';
    }
    out += "],\"sex\":";
    append_string(out, l.sex);
    out += ",\"source\":";
    append_string(out, l.source);
    out += ",\"specialties\":";
    append_text(out, l.specialties);
    out += ",\"states\":";
    append_text(out, l.states);
    out += ",\"text\":";
    append_string(out, l.text);
    out += ",\"ur_denial_date\":";
    append_text(out, l.ur_denial_date);
    out += '}';
    return out;
}

}  // namespace imr
