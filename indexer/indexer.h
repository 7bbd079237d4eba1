// imr-index's engine: walks inputs, parses and analyzes on worker threads, one writer commits in batches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace imr {

// Indexing cannot start or go on: the database cannot be opened, is locked, cannot be written,
// or the lexicons cannot be loaded. what() is the whole message, naming the path and the reason.
struct IndexError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline constexpr std::uintmax_t kDefaultMaxLetterBytes = 20'000'000;  // 20 MB
// Measured: Xapian's in-memory change lists grow deep with big batches (7.5 ms a letter to write
// at 2000 letters a batch, 4.2 ms at 100-300); a few hundred keeps commits rare enough.
inline constexpr unsigned kDefaultBatchLetters = 250;
// A first build of this many letters or more trains a dictionary for the stored letters on the
// first kDictionarySamples of them (about a second).
inline constexpr std::size_t kTrainDictionaryFrom = 200;
inline constexpr std::size_t kDictionarySamples = 1000;
// Below this many letters a first build is quicker with one writer than with shards to merge.
inline constexpr std::size_t kBulkShardsFrom = 4000;
// A shard writer starts a new shard after this many of its files. A commit costs more the bigger
// the database it lands in (each batch's postings touch more distinct blocks): 1M letters in two
// shards took 12 min 15 s where 100k took 42-52 s. Compaction merges any number of shards in
// one pass.
inline constexpr std::size_t kDefaultShardFiles = 25000;

struct IndexOptions {
    std::filesystem::path db;
    std::vector<std::string> inputs;
    bool prune = false;                              // remove letters whose files are gone
    std::uintmax_t max_size = kDefaultMaxLetterBytes;  // files of this size or more are refused
    unsigned batch = kDefaultBatchLetters;           // letters changed between two commits
    unsigned threads = 0;                            // parsing threads of an update; 0 = one per core
    // Writers of a first build: N > 1 writes N series of shards side by side, each writer thread
    // parsing the files it takes, and merges them with Xapian's compaction at the end; 0 = two
    // when the database is empty and there are at least kBulkShardsFrom letters, else one. A
    // database with documents always gets one writer.
    unsigned writers = 0;
    std::size_t shard_files = kDefaultShardFiles;   // files a shard writer puts in one shard
    bool progress = false;                           // draw a progress bar on stderr
    std::filesystem::path lexicon_dir;               // empty = default_data_dir() / "lexicon"
};

struct IndexStats {
    std::size_t indexed = 0;         // letters (re)written
    std::size_t unchanged = 0;       // letters skipped because their content hash matched
    std::size_t removed = 0;         // letters removed by --prune, or whose file no longer parses
    std::size_t rejected = 0;        // files refused, each named on the problems stream
    std::size_t determinations = 0;  // documents written
    double seconds = 0;
};

// Runs one indexing pass. Each refused file is written to `problems` as "<path>: <reason>".
// Throws InputError (file_walker.h) for a missing input and IndexError when it cannot go on;
// batches committed before such an error stay committed.
IndexStats run_index(const IndexOptions& options, std::ostream& problems);

// "indexed N, unchanged N, removed N, rejected N, determinations N, S.s seconds"
std::string summary_line(const IndexStats& stats);

}  // namespace imr
