// Signs that a fact was not read right, shared by the parser's tests and `imr-index --audit`.
#pragma once

#include <string>
#include <string_view>

namespace imr {

// Why an item name looks cut or merged, or "" when it looks whole: a name that starts with a
// word no request starts with ("the lumbar", "for 3 weeks"), a lone lower-case word
// ("extremities"), one that ends in a function word ("... is", "... for the"), a bare date or
// number, or one that still holds the partly-authorized or preamble wording.
std::string item_name_problem(std::string_view item);

}  // namespace imr
