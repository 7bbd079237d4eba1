// libFuzzer target: the PDF reader (poppler-cpp through pdf_to_text), and a parse of what it reads.
#include "lexicon.h"
#include "parser.h"
#include "pdf_text.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Every input is offered as a PDF: the magic is what sends bytes to poppler.
    std::string bytes = "%PDF-1.4\n";
    bytes.append(reinterpret_cast<const char*>(data), size);
    try {
        imr::pdf_to_text(bytes);
    } catch (const imr::RejectedLetter&) {
    }
    return 0;
}
