// libFuzzer target: the HTTP parameter reader (web/params.h) over any query string.
#include "params.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "a=1&b=%41+x" -> {a: 1, b: "A x"}, as a server decodes a query string.
std::string decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') out += ' ';
        else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else out += s[i];
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    imr::web::QueryParams params;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('&', start);
        if (end == std::string::npos) end = text.size();
        const std::string pair = text.substr(start, end - start);
        const std::size_t eq = pair.find('=');
        params.emplace(decode(pair.substr(0, eq)), eq == std::string::npos ? "" : decode(pair.substr(eq + 1)));
        start = end + 1;
    }
    auto each = [&](auto&& f) {
        try {
            f();
        } catch (const imr::BadRequest&) {
        } catch (const imr::NotFound&) {
        }
    };
    each([&] { imr::web::search_request_from(params); });
    each([&] { imr::web::csv_request_from(params); });
    each([&] { imr::web::stats_request_from(params); });
    each([&] { imr::web::suggest_request_from(params); });
    each([&] { imr::web::similar_limit_from(params); });
    each([&] { imr::web::letter_highlight_from(params); });
    each([&] { imr::web::check_no_params(params, "/api/health"); });
    each([&] { imr::web::check_id(text); });
    return 0;
}
