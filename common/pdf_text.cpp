// PDF text extraction with poppler-cpp; poppler's own error chatter is silenced (the caller reports rejects).
#include "pdf_text.h"

#include "parser.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <memory>
#include <mutex>

namespace imr {
namespace {

void ignore_poppler_message(const std::string&, void*) {}

}  // namespace

bool is_pdf(std::string_view bytes) {
    std::size_t at = bytes.substr(0, 1024).find("%PDF-");
    return at != std::string_view::npos;
}

std::string pdf_to_text(std::string_view bytes) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { poppler::set_debug_error_function(ignore_poppler_message, nullptr); });
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw RejectedLetter("not a readable PDF (too large)");

    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) throw RejectedLetter("not a readable PDF");
    // poppler-cpp's unlock() returns true when the document is *still* locked; reading the pages
    // of a locked document dereferences a null catalog and kills the process (issue 19, item 1).
    if (doc->is_locked() && (doc->unlock("", "") || doc->is_locked()))
        throw RejectedLetter("PDF is password-protected");

    std::string text;
    for (int n = 0; n < doc->pages(); ++n) {
        std::unique_ptr<poppler::page> page(doc->create_page(n));
        if (!page) continue;
        // Reading order (as pdftotext prints by default): neither the raw content-stream order
        // nor the column-preserving physical layout that pads lines with spaces.
        poppler::byte_array utf8 = page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
        if (!text.empty()) text += '\n';
        text.append(utf8.begin(), utf8.end());
    }
    return text;
}

}  // namespace imr
