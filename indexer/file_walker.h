// Finds the letters to index under the command line's inputs: .txt and .pdf files, folders walked recursively.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace imr {

// An input named on the command line that does not exist: a usage error.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct InputFile {
    std::string path;  // absolute and lexically normal; the letter id is derived from it
    std::uintmax_t size = 0;
};

struct WalkResult {
    std::vector<InputFile> files;       // sorted by path, each file once
    std::vector<std::string> problems;  // "<folder>: cannot read folder (Permission denied)"
};

// Whether a file name is one imr-index reads: ".txt" or ".pdf", in any letter case.
bool is_letter_file(const std::filesystem::path& path);

// Walks every input. Folder symlinks are followed, but each folder (by device and inode) is
// entered once, so symlink cycles end; a file reached twice (hard or symbolic links) is taken
// once. Files of other names are skipped; a .txt or .pdf that is a dangling link, a link loop, a
// fifo, a socket or a device, any other dangling link, and a folder that cannot be read or
// entered are problems, named (printable_file_name) with their reason. Throws InputError for a
// missing input.
WalkResult collect_inputs(const std::vector<std::string>& inputs);

}  // namespace imr
