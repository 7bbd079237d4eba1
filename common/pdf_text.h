// Text of a PDF letter, through poppler-cpp, in reading order.
#pragma once

#include <string>
#include <string_view>

namespace imr {

// The bytes start with the PDF magic "%PDF-" (possibly after a little junk, as PDF readers allow).
bool is_pdf(std::string_view bytes);

// UTF-8 text of every page, pages separated by a line break. Throws RejectedLetter
// "not a readable PDF" when poppler cannot open it, "PDF is password-protected" when it is locked.
std::string pdf_to_text(std::string_view bytes);

}  // namespace imr
