// Helpers shared by the tests: temporary folders, running real binaries, paths to shared material.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace imr::test {

inline std::filesystem::path source_dir() { return IMR_SOURCE_DIR; }
inline std::filesystem::path shared_dir() { return IMR_SHARED_DIR; }
inline bool have_shared() { return std::filesystem::is_directory(shared_dir() / "seeds"); }
// The binaries under test: the build's own, or imr-index and imr-search in IMR_BIN_DIR when that is
// set (tests/tools/hardening_evidence.sh runs today's tests against an older build's binaries).
inline std::filesystem::path binary(const char* name, const char* built) {
    if (const char* dir = std::getenv("IMR_BIN_DIR"); dir && *dir) return std::filesystem::path(dir) / name;
    return built;
}
inline std::filesystem::path index_bin() { return binary("imr-index", IMR_INDEX_BIN); }
inline std::filesystem::path search_bin() { return binary("imr-search", IMR_SEARCH_BIN); }

// A fresh folder under the system temp dir, removed with everything in it when the object dies.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("imr-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::error_code ec; std::filesystem::remove_all(path_, ec); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
private:
    std::filesystem::path path_;
};

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs a shell command line, capturing stdout and stderr separately.
inline RunResult run(const std::string& command_line) {
    TempDir tmp;
    auto err_path = tmp / "stderr";
    std::string full = command_line + " 2>'" + err_path.string() + "'";
    RunResult r;
    FILE* pipe = popen(full.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.err = read_file(err_path);
    return r;
}

inline std::string quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace imr::test
