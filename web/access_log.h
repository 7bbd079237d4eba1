// One access-log line per request: what was asked, what was answered, how big and how long.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace imr::web {

// "GET /api/search?q=soma 200 1532B 4.1ms"; control and non-ASCII bytes of the target are written
// as \xNN so a request cannot forge log lines, and very long targets are cut.
std::string access_log_line(std::string_view method, std::string_view target, int status, std::size_t bytes,
                            double milliseconds);

}  // namespace imr::web
