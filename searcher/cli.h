// The imr-search command line as library code: argument parsing, output formats, exit codes.
#pragma once

#include "engine.h"

#include <functional>
#include <iosfwd>
#include <string>

namespace imr {

// Starts the HTTP server on an open engine; provided by main() so that imr_searcher never depends on imr_web.
using ServeFunction = std::function<int(Engine& engine, const std::string& host, int port)>;

// Exit codes: 0 success, 1 an id or case number that names no letter (show, similar), 2 usage
// errors, query syntax errors and bad parameters, 3 a database that cannot be opened or read, 4 a
// case number that several letters hold (show, similar): they are listed, to pick one by its id.
inline constexpr int kExitOk = 0;
inline constexpr int kExitNotFound = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDatabase = 3;
inline constexpr int kExitAmbiguous = 4;

// Runs imr-search with the given arguments, writing to `out` and `err`; returns the exit code.
int run_search_cli(int argc, char** argv, const ServeFunction& serve, std::ostream& out, std::ostream& err);
// The same on std::cout and std::cerr, as the whole process: the engine is not freed, and is
// left to the process's exit (cli.cpp says why). Call it once, from main().
int run_search_cli(int argc, char** argv, const ServeFunction& serve);

}  // namespace imr
