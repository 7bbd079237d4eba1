// The parser pipeline: bytes -> text (PDF or decoded) -> clean text -> layout and sections -> facts.
#include "parser.h"

#include "citations.h"
#include "cleanup.h"
#include "dates.h"
#include "determinations.h"
#include "encoding.h"
#include "guideline_paragraph.h"
#include "header.h"
#include "layout.h"
#include "patient.h"
#include "pdf_text.h"
#include "reviewer.h"
#include "text_scan.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace imr {

struct ParserTables {
    explicit ParserTables(const Lexicon& lexicon) : topics(lexicon), citations(lexicon, topics) {}
    TopicIndex topics;
    CitationReader citations;
};

std::shared_ptr<const ParserTables> make_parser_tables(const Lexicon& lexicon) {
    return std::make_shared<const ParserTables>(lexicon);
}

namespace {

// Text of every section with the given name, one after the other.
std::string sections_text(const std::vector<Section>& sections, std::string_view name) {
    std::string out;
    for (const auto& s : sections) {
        if (s.name != name) continue;
        if (!out.empty()) out += '\n';
        out += s.text;
    }
    return out;
}

bool has_utf16_bom(std::string_view bytes) { return bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"); }

}  // namespace

Letter Parser::parse(std::string_view bytes, const std::string& source) const {
    if (bytes.empty()) throw RejectedLetter("empty file");

    Letter letter;
    letter.source = source;
    std::string raw_text;
    if (is_pdf(bytes)) {
        raw_text = pdf_to_text(bytes);
        letter.encoding = "UTF-8";
        if (scan::trim(raw_text).empty()) throw RejectedLetter("PDF has no text layer");
    } else {
        if (!has_utf16_bom(bytes) && looks_binary(bytes)) throw RejectedLetter("binary data, not text");
        DecodedText decoded = decode_text(bytes);
        if (looks_binary(decoded.utf8)) throw RejectedLetter("binary data, not text");
        if (scan::trim(decoded.utf8).empty()) throw RejectedLetter("only whitespace");
        raw_text = std::move(decoded.utf8);
        letter.encoding = std::move(decoded.encoding);
    }

    CleanedText cleaned = clean_letter_text(raw_text);
    LayoutScan scan = scan_layout(cleaned.text);
    letter.text = std::move(cleaned.text);
    letter.case_number = std::move(cleaned.case_number);
    letter.layout = scan.layout;
    letter.sections = std::move(scan.sections);
    std::string_view text = letter.text;

    const std::string summary = sections_text(letter.sections, section::summary);

    // The first-page table, read from the text before the first section heading.
    const Section* first = letter.sections.empty() ? nullptr : &letter.sections.front();
    std::string_view before_sections =
        first && first->name == section::header ? std::string_view(first->text) : std::string_view();
    HeaderFields header = read_header(before_sections.empty() ? text.substr(0, std::min<std::size_t>(text.size(), 2000))
                                                              : before_sections);
    if (letter.case_number.empty()) letter.case_number = header.case_number;
    letter.priority = header.priority;
    letter.application_received = header.application_received;

    letter.injury_date = header.injury_date;
    if (!letter.injury_date) letter.injury_date = labelled_date(text, "Date of Injury");
    if (!letter.injury_date) letter.injury_date = injury_date_in_prose(summary);
    if (!letter.injury_date) letter.injury_date = injury_date_in_prose(text);
    letter.ur_denial_date = header.ur_denial_date;
    if (!letter.ur_denial_date) letter.ur_denial_date = labelled_date(text, "UR Denial Date");
    if (!letter.ur_denial_date) letter.ur_denial_date = ur_denial_date_in_prose(summary);
    letter.assigned_date = header.assigned_date;
    if (!letter.assigned_date) letter.assigned_date = labelled_date(text, "Date Assigned");
    letter.decision_date = header.decision_date;
    if (!letter.decision_date) letter.decision_date = labelled_date(text, "Decision Date");
    if (!letter.decision_date && letter.layout == Layout::Maximus2013) {
        // The 2013 notices are dated in their header ("Dated: 12/17/2013") instead.
        letter.decision_date = labelled_date(sections_text(letter.sections, section::header), "Dated");
    }

    Patient patient = find_patient(summary);
    if (!patient.age && patient.sex.empty()) patient = find_patient(text);
    letter.age = patient.age;
    letter.sex = patient.sex;

    ReviewerCredentials reviewer = find_reviewer(sections_text(letter.sections, section::reviewer), lexicon_);
    if (reviewer.specialties.empty() && reviewer.states.empty()) reviewer = find_reviewer(text, lexicon_);
    letter.specialties = std::move(reviewer.specialties);
    letter.states = std::move(reviewer.states);

    DeterminationsFound found = read_determinations(letter.layout, letter.sections, lexicon_, tables_->citations);
    letter.determinations = std::move(found.determinations);
    letter.flags = std::move(found.flags);

    if (!letter.age) {
        // Only birthdates: the age on the decision date, which is what a stated age means (the age
        // when the letter was written), or on the date of injury when no decision date is printed.
        BirthdateAge born = age_from_birthdates(text, letter.decision_date ? letter.decision_date : letter.injury_date);
        letter.age = born.age;
        if (born.conflicting) letter.flags.push_back("age-conflicting-birthdates");
    }
    return letter;
}

Letter Parser::parse_file(const std::filesystem::path& path) const {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RejectedLetter(std::string("cannot open the file (") + std::strerror(errno) + ")");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) throw RejectedLetter("cannot read the file");
    return parse(bytes.str(), path.string());
}

}  // namespace imr
