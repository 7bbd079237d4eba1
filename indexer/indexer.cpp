// The indexing pass: parse and build documents on worker threads, write them in file order from one thread.
//
// Why this shape: Xapian allows one writer, and its add_document/commit is most of the cost, so
// the writer does nothing else. Workers take files in order from an atomic counter and hand the
// results through a bounded window, so memory stays flat and the database's document order (and
// the order of the messages on stderr) does not depend on thread timing.
//
// A first build of many letters writes shards side by side instead (write_shards): each writer
// takes the next file, parses it itself and writes it into its shard, so there the document order
// depends on timing (a letter's documents stay together, in order), and the shards are merged
// by Xapian's compaction, which is also what makes the index small.
//
// Crash safety: every document of a letter is written between two commits, and Xapian's commit is
// atomic, so after a kill a letter is either wholly present (with its content hash) or absent.
// The next run skips what is present and unchanged, and writes the rest.
#include "indexer.h"

#include "input_names.h"

#include "document_builder.h"
#include "file_walker.h"
#include "lexicon.h"
#include "parser.h"
#include "progress.h"
#include "readahead.h"
#include "letter_codec.h"
#include "letter_json.h"
#include "schema.h"
#include "term_ids.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <fcntl.h>   // AT_FDCWD, open
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <stdio.h>   // renameat2, RENAME_EXCHANGE

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace imr {
namespace {

namespace schema = imr::schema;

// Letter ids and content hashes are 16 hex digits; as integers the map of a 2-million-letter
// database stays small.
std::uint64_t hex_value(const std::string& hex) { return std::strtoull(hex.c_str(), nullptr, 16); }

std::string letter_term(const std::string& letter_id) { return std::string(schema::kLetterId) + letter_id; }

// What a worker made of one file.
struct FileResult {
    enum class Kind { Indexed, Unchanged, Rejected } kind = Kind::Rejected;
    std::string letter_id;
    LetterDocuments documents;
    std::string problem;                // "<path>: <reason>" when rejected
    std::uintmax_t bytes = 0;           // the letter file's size, for the free-space check
};

// One open, fstat and read: std::ifstream's seeks to learn the size were three more system calls
// a letter, which a million letters notice.
bool read_file(const std::string& path, std::string& bytes, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = std::strerror(errno);
        return false;
    }
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0;
    if (ok) {
        bytes.resize(st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0);
        std::size_t done = 0;
        while (ok && done < bytes.size()) {
            const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) ok = false;
            if (n <= 0) break;  // at 0 the file shrank: keep what was read
            done += static_cast<std::size_t>(n);
        }
        bytes.resize(done);
    }
    if (!ok) error = std::strerror(errno);
    ::close(fd);
    return ok;
}

// A letter's documents go in together, the letter document first, so that its determinations
// follow it in docid order.
void add_documents(Xapian::WritableDatabase& db, const LetterDocuments& documents) {
    db.add_document(documents.letter);
    for (const auto& doc : documents.determinations) db.add_document(doc);
}

// Results handed from the workers to a writer in file order, at most `capacity` ahead.
class ResultWindow {
public:
    explicit ResultWindow(std::size_t capacity) : slots_(capacity) {}

    void put(std::size_t index, FileResult&& result) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return stopped_ || index < next_ + slots_.size(); });
        if (stopped_) return;
        slots_[index % slots_.size()] = std::move(result);
        if (index == next_) ready_.notify_one();
    }
    // Throws WindowStopped when the window was stopped before the result arrived.
    FileResult take() {
        std::unique_lock lock(mutex_);
        auto& slot = slots_[next_ % slots_.size()];
        ready_.wait(lock, [&] { return slot.has_value() || stopped_; });
        if (!slot.has_value()) throw WindowStopped();
        FileResult result = std::move(*slot);
        slot.reset();
        ++next_;
        space_.notify_all();
        return result;
    }
    bool stopped() {
        std::lock_guard lock(mutex_);
        return stopped_;
    }
    void stop() {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        space_.notify_all();
        ready_.notify_all();
    }
    struct WindowStopped {};

private:
    std::mutex mutex_;
    std::condition_variable space_, ready_;
    std::vector<std::optional<FileResult>> slots_;
    std::size_t next_ = 0;
    bool stopped_ = false;
};

// B-tree blocks of 64 KB rather than Xapian's 8 KB, for shards, merged and new databases. Every
// block is one pread: a phrase's first check reads the token streams of most documents in docid
// order, and at 1M letters the first run of the query mix measured p50 56 -> 46 ms and p99
// 471 -> 370 ms (phrases p50 243 -> 123 ms); shards are written with a quarter of the block reads
// (100k: build 51-60 s -> 47-50 s). The cost: the first update of a compacted database splits
// full blocks, and bigger ones leave more room empty (2,000 letters added to 100k grew it by 127
// MB against 54 MB with 8 KB blocks). Searching is what users do every day.
constexpr unsigned kBlockSize = 65536;

// The cause a Xapian error carries (the errno text of a failed write, such as "No space left on
// device"), after its message: "Error writing block 2" alone did not say why.
std::string message_of(const Xapian::Error& e) {
    const char* cause = e.get_error_string();
    return cause && *cause ? e.get_msg() + " (" + cause + ")" : e.get_msg();
}

// Why the database cannot be written, when that is so: a read-only file system or a folder this
// user may not write. Xapian reports both as a lock it could not take.
std::string read_only_cause(const std::filesystem::path& path) {
    std::filesystem::path probe = path;
    std::error_code ec;
    if (!std::filesystem::exists(probe, ec)) probe = probe.parent_path().empty() ? "." : probe.parent_path();
    struct statvfs fs {};
    if (::statvfs(probe.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY)) return std::strerror(EROFS);
    if (::access(probe.c_str(), W_OK) != 0) return std::strerror(errno);
    return {};
}

// A commit that meets a full disk inside Xapian's commit can end the process (Xapian 1.4 throws
// through a noexcept frame: exit 134, measured on a 300 KB tmpfs), so the space is looked at
// first: at least a megabyte and four times the letters' bytes written since the last commit.
void ensure_space(const std::filesystem::path& path, std::uintmax_t batch_bytes, const std::string& what) {
    std::filesystem::path probe = path;
    std::error_code ec;
    while (!probe.empty() && !std::filesystem::exists(probe, ec)) probe = probe.parent_path();
    if (probe.empty()) probe = ".";
    struct statvfs fs {};
    if (::statvfs(probe.c_str(), &fs) != 0) return;
    const std::uintmax_t free_bytes = static_cast<std::uintmax_t>(fs.f_bavail) * fs.f_frsize;
    const std::uintmax_t needed = (1u << 20) + 4 * batch_bytes;
    if (free_bytes < needed)
        throw IndexError("cannot write " + what + ": " + std::strerror(ENOSPC) + " (" + std::to_string(free_bytes) +
                         " bytes free, a commit needs about " + std::to_string(needed) + ")");
}

Xapian::WritableDatabase open_database(const std::filesystem::path& path) {
    try {
        Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OPEN | schema::kDatabaseFlags, kBlockSize);
        if (const std::string problem = schema::version_problem(db); !problem.empty())
            throw IndexError("cannot open database '" + path.string() + "': " + problem);
        return db;
    } catch (const Xapian::DatabaseLockError& e) {
        // A read-only database was reported as "locked by another writer" (issue 19, item 13).
        if (const std::string cause = read_only_cause(path); !cause.empty())
            throw IndexError("cannot open database '" + path.string() + "' for writing: it is read-only (" + cause + ")");
        throw IndexError("cannot open database '" + path.string() + "': it is locked by another writer");
    } catch (const Xapian::Error& e) {
        if (const std::string cause = read_only_cause(path); !cause.empty())
            throw IndexError("cannot open database '" + path.string() + "' for writing: it is read-only (" + cause + ")");
        throw IndexError("cannot open database '" + path.string() + "': " + message_of(e));
    }
}

// letter id -> content hash of every letter in the database that is not dead (schema.h).
std::unordered_map<std::uint64_t, std::uint64_t> load_letter_hashes(const Xapian::Database& db, const std::vector<char>& dead) {
    std::unordered_map<std::uint64_t, std::uint64_t> hashes;
    hashes.reserve(db.get_doccount());
    auto hash_it = db.valuestream_begin(schema::kSlotContentHash);
    const auto hash_end = db.valuestream_end(schema::kSlotContentHash);
    for (auto it = db.valuestream_begin(schema::kSlotLetterId); it != db.valuestream_end(schema::kSlotLetterId); ++it) {
        if (hash_it == hash_end) break;
        hash_it.skip_to(it.get_docid());
        if (hash_it == hash_end) break;
        const Xapian::docid did = it.get_docid();
        if (hash_it.get_docid() == did && !schema::is_dead(dead, did)) hashes[hex_value(*it)] = hex_value(*hash_it);
    }
    return hashes;
}

// The lexicon's brand, generic and alias names of each drug are synonyms of each other, keyed by
// their analyzed form ("hydrocodone/APAP" -> "hydrocodone apap"). Returns whether any was added.
bool add_drug_synonyms(Xapian::WritableDatabase& db, const Lexicon& lexicon, const Analyzer& analyzer) {
    bool added = false;
    for (const auto& drug : lexicon.drugs()) {
        std::vector<std::string> names;
        auto add_name = [&](const std::string& name) {
            std::string key;
            for (const auto& token : analyzer.tokenize(name)) {
                if (!key.empty()) key += ' ';
                key += token.term;
            }
            if (!key.empty() && std::find(names.begin(), names.end(), key) == names.end()) names.push_back(key);
        };
        add_name(drug.generic);
        for (const auto& brand : drug.brands) add_name(brand);
        for (const auto& alias : drug.aliases) add_name(alias);
        for (const auto& key : names) {
            std::set<std::string> present(db.synonyms_begin(key), db.synonyms_end(key));
            for (const auto& other : names) {
                if (other == key || present.count(other)) continue;
                db.add_synonym(key, other);
                added = true;
            }
        }
    }
    return added;
}

class IndexRun {
public:
    // The inputs are walked before the database is opened, so that a usage error (a missing
    // input) leaves no database behind.
    IndexRun(const IndexOptions& options, std::ostream& problems)
        : options_(options),
          problems_(problems),
          start_(std::chrono::steady_clock::now()),
          walk_(collect_inputs(options.inputs)),
          lexicon_(load_lexicon(options)),
          db_(open_database(options.db)) {}

    IndexStats run() {
        // Shards of a build killed before its merge was renamed into place: this run holds the
        // database's lock, so no other run is using them, and left alone they fill the disk.
        {
            std::filesystem::path base = options_.db;
            if (!base.has_filename()) base = base.parent_path();
            std::error_code ignored;
            std::filesystem::remove_all(base.string() + ".shards-tmp", ignored);
        }
        WalkResult walk = std::move(walk_);
        for (const auto& problem : walk.problems) {
            problems_ << problem << '\n';
            ++stats_.rejected;
        }
        files_ = std::move(walk.files);
        guarded([&] { dead_ = schema::dead_docids(db_); });
        existing_ = load_letter_hashes(db_, dead_);
        try {
            guarded([&] { term_ids_.load(db_); });
        } catch (const TermIdError& e) {
            throw IndexError("cannot use the database '" + options_.db.string() + "': " + e.what());
        }
        choose_letter_codec();

        const unsigned writers = writer_count();
        if (writers > 1) write_shards(writers);
        {
            Analyzer analyzer;
            guarded([&] {
                begin_batch();
                db_has_uncommitted_metadata_ = add_drug_synonyms(db_, lexicon_, analyzer);
                if (db_.get_metadata(std::string(schema::kVersionKey)) != schema::kVersion) {
                    db_.set_metadata(std::string(schema::kVersionKey), std::string(schema::kVersion));
                    db_has_uncommitted_metadata_ = true;
                }
                // In the batch of the first letters that use it.
                const std::string key(schema::kLetterDictionaryKey);
                if (!codec_.dictionary().empty() && db_.get_metadata(key) != codec_.dictionary()) {
                    db_.set_metadata(key, codec_.dictionary());
                    db_has_uncommitted_metadata_ = true;
                }
            });
        }
        if (writers <= 1) write_all();
        if (options_.prune) prune();
        commit();
        stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        return stats_;
    }

private:
    static Lexicon load_lexicon(const IndexOptions& options) {
        auto dir = options.lexicon_dir.empty() ? default_data_dir() / "lexicon" : options.lexicon_dir;
        try {
            return Lexicon::load(dir);
        } catch (const LexiconError& e) {
            throw IndexError(std::string("cannot load the lexicons: ") + e.what());
        }
    }

    // The database's dictionary for stored letters. A first build of enough letters trains one on
    // its first letters; a database started with fewer stores its letters with plain zstd. Only a
    // first build trains, so that a run over unchanged letters never writes.
    void choose_letter_codec() {
        std::string dictionary;
        Xapian::doccount documents = 0;
        guarded([&] {
            dictionary = db_.get_metadata(std::string(schema::kLetterDictionaryKey));
            documents = db_.get_doccount();
        });
        if (dictionary.empty() && documents == 0 && files_.size() >= kTrainDictionaryFrom) {
            Parser parser(lexicon_);
            std::vector<std::string> samples;
            std::size_t letters = 0;
            for (std::size_t i = 0; i < files_.size() && letters < kDictionarySamples; ++i) {
                std::string bytes, error;
                if (files_[i].size >= options_.max_size || !read_file(files_[i].path, bytes, error)) continue;
                try {
                    Letter letter = parser.parse(bytes, files_[i].path);
                    letter.source = stored_file_name(letter.source);
                    for (auto& sample : codec_samples(letter, files_[i].path))
                        samples.push_back(std::move(sample));
                    ++letters;
                } catch (const std::exception&) {
                    // The run names it when it comes to index it.
                }
            }
            dictionary = LetterCodec::train(samples);
        }
        try {
            codec_ = LetterCodec(std::move(dictionary));
        } catch (const LetterCodecError& e) {
            throw IndexError("cannot use the database '" + options_.db.string() + "': " + e.what());
        }
    }

    FileResult process(const InputFile& file, const Parser& parser, const Analyzer& analyzer, TermIds::Cache& ids) const {
        FileResult result;
        auto reject = [&](const std::string& reason) {
            result.kind = FileResult::Kind::Rejected;
            result.problem = printable_file_name(file.path) + ": " + reason;
            return std::move(result);
        };
        auto too_large = [&](std::uintmax_t size) {
            return reject("too large (" + std::to_string(size) + " bytes, limit " + std::to_string(options_.max_size) + ")");
        };
        result.letter_id = schema::letter_id_for_path(file.path);
        if (file.size >= options_.max_size) return too_large(file.size);
        std::string bytes, error;
        if (!read_file(file.path, bytes, error)) return reject("cannot read file (" + error + ")");
        if (bytes.size() >= options_.max_size) return too_large(bytes.size());
        const std::string hash = schema::hash_hex(bytes);
        if (auto found = existing_.find(hex_value(result.letter_id)); found != existing_.end() && found->second == hex_value(hash)) {
            result.kind = FileResult::Kind::Unchanged;
            return result;
        }
        try {
            Letter letter = parser.parse(bytes, file.path);
            letter.source = stored_file_name(letter.source);  // the index holds UTF-8 only
            result.documents = build_documents(letter, file.path, hash, analyzer, ids, codec_);
            result.bytes = bytes.size();
        } catch (const RejectedLetter& e) {
            return reject(e.what());
        } catch (const std::exception& e) {
            return reject(std::string("cannot be parsed: ") + e.what());
        }
        result.kind = FileResult::Kind::Indexed;
        return result;
    }

    void write_all() {
        const unsigned threads = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
        ResultWindow window(std::max<std::size_t>(64, 16 * static_cast<std::size_t>(threads)));
        Readahead readahead(files_);
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t) {
            workers.emplace_back([&] {
                Parser parser(lexicon_);
                Analyzer analyzer;
                TermIds::Cache ids(term_ids_);
                for (std::size_t i = next++; i < files_.size() && !window.stopped(); i = next++) {
                    readahead.reached(i);
                    window.put(i, process(files_[i], parser, analyzer, ids));
                }
            });
        }
        ProgressBar progress(problems_, files_.size(), options_.progress);
        try {
            for (std::size_t i = 0; i < files_.size(); ++i) {
                write(window.take(), progress);
                progress.update(i + 1);
            }
        } catch (...) {
            window.stop();
            for (auto& worker : workers) worker.join();
            progress.clear();
            throw;
        }
        for (auto& worker : workers) worker.join();
        progress.clear();
    }

    // Shards pay off only on a first build: an update must find and replace letters in one database.
    unsigned writer_count() const {
        if (db_.get_doccount() > 0 || !existing_.empty()) return 1;
        if (options_.writers > 0) return options_.writers;
        return files_.size() >= kBulkShardsFrom ? 2 : 1;
    }

    // A first build with N writers: each writer thread takes the next file, parses it and writes
    // it into its current shard (one database takes one writer), and the shards are
    // compacted into one database that replaces the empty one in a single rename. A writer parses
    // its own files because handing each letter from a parsing thread to a writing thread cost
    // more than it overlapped: at 100k, system time 8 -> 4.4 s (the wall time moved within the noise).
    // A kill before that rename leaves the empty database; the next run starts the build again.
    void write_shards(unsigned writers) {
        std::filesystem::path base = options_.db;
        if (!base.has_filename()) base = base.parent_path();  // "--db index/"
        const std::filesystem::path work = base.string() + ".shards-tmp";
        std::error_code ec;
        std::filesystem::remove_all(work, ec);  // left by a killed run
        std::filesystem::create_directories(work, ec);
        if (ec) throw IndexError("cannot create '" + work.string() + "': " + ec.message());
        // A build that fails (a full disk above all) takes its shards with it: left behind, they
        // kept the disk full until the next run (issue 19, item 14).
        struct RemoveOnFailure {
            std::filesystem::path path;
            bool done = false;
            ~RemoveOnFailure() {
                std::error_code ignored;
                if (!done) std::filesystem::remove_all(path, ignored);
            }
        } scratch{work};

        // Shard k of writer w holds that writer's files from number k * shard_files on; the merge
        // takes them in that order, after a shard holding only the metadata.
        auto shard_path = [&](std::size_t k, unsigned w) { return work / ("shard-" + std::to_string(k) + "-" + std::to_string(w)); };
        const std::filesystem::path metadata_shard = work / "metadata";
        auto create_shard = [&](const std::filesystem::path& path) {
            // No fsync, and blocks changed in place rather than copied at each commit
            // (DB_DANGEROUS): a shard is scratch space until the merged database is renamed into
            // place, and a killed build starts again from the empty database. In place, 100k
            // letters took 6% less CPU (4 runs of each, every one lower).
            Xapian::WritableDatabase shard;
            guarded([&] {
                shard = Xapian::WritableDatabase(path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS | schema::kDatabaseFlags,
                                                 kBlockSize);
            });
            return shard;
        };

        std::atomic<bool> cancelled{false};
        std::atomic<std::size_t> next_file{0};
        Readahead readahead(files_);
        ProgressBar progress(problems_, files_.size(), options_.progress);
        std::mutex report;
        std::size_t done = 0;
        std::vector<IndexStats> shard_stats(writers);
        std::vector<std::exception_ptr> errors(writers);
        std::vector<std::thread> writer_threads;
        for (unsigned w = 0; w < writers; ++w) {
            writer_threads.emplace_back([&, w] {
                try {
                    Parser parser(lexicon_);
                    Analyzer analyzer;
                    TermIds::Cache ids(term_ids_);
                    auto next_result = [&](std::size_t i) {
                        readahead.reached(i);
                        return process(files_[i], parser, analyzer, ids);
                    };
                    write_shard([&, w](std::size_t k) { return create_shard(shard_path(k, w)); }, next_result, next_file,
                                cancelled, shard_stats[w], [&](const std::string& problem) {
                        std::lock_guard lock(report);
                        if (!problem.empty()) {
                            progress.clear();
                            problems_ << problem << '\n';
                        }
                        progress.update(++done);
                    });
                } catch (...) {
                    errors[w] = std::current_exception();
                    cancelled = true;
                }
            });
        }
        for (auto& thread : writer_threads) thread.join();
        progress.clear();
        for (auto& error : errors)
            if (error) std::rethrow_exception(error);
        for (const auto& st : shard_stats) {
            stats_.indexed += st.indexed;
            stats_.rejected += st.rejected;
            stats_.determinations += st.determinations;
        }

        guarded([&] {
            // Compaction carries user metadata over: the schema, the dictionary and every id any
            // shard's documents use.
            Xapian::WritableDatabase metadata = create_shard(metadata_shard);
            metadata.set_metadata(std::string(schema::kVersionKey), std::string(schema::kVersion));
            if (!codec_.dictionary().empty()) metadata.set_metadata(std::string(schema::kLetterDictionaryKey), codec_.dictionary());
            term_ids_.write_new(metadata);
            metadata.commit();
            metadata.close();
            Xapian::Database sources;
            sources.add_database(Xapian::Database(metadata_shard.string()));
            for (std::size_t k = 0;; ++k) {
                bool any = false;
                for (unsigned w = 0; w < writers; ++w) {
                    if (!std::filesystem::exists(shard_path(k, w))) continue;
                    sources.add_database(Xapian::Database(shard_path(k, w).string()));
                    any = true;
                }
                if (!any) break;
            }
            // FULL splits items wherever that saves space, as xapian-compact does by default.
            std::uintmax_t shard_bytes = 0;
            for (const auto& entry : std::filesystem::recursive_directory_iterator(work, ec))
                if (entry.is_regular_file(ec)) shard_bytes += entry.file_size(ec);
            ensure_space(work, shard_bytes / 4, "the merged database '" + options_.db.string() + "'");
            sources.compact((work / "merged").string(), Xapian::Compactor::FULL, kBlockSize);
        });
        replace_database_with(work / "merged");
        scratch.done = true;
        std::filesystem::remove_all(work, ec);
    }

    // Writes the files it takes from `next_file` into a new shard (made by new_shard(k)) every
    // shard_files files. Writers take files as they go rather than every Nth: with a fixed share,
    // one of two writers fell 50,000 files behind over a 1M build and finished a minute alone.
    void write_shard(const std::function<Xapian::WritableDatabase(std::size_t)>& new_shard,
                     const std::function<FileResult(std::size_t)>& result_of, std::atomic<std::size_t>& next_file,
                     const std::atomic<bool>& cancelled, IndexStats& st, const std::function<void(const std::string&)>& report) {
        std::unordered_map<std::string, Xapian::termcount> spelling;
        std::size_t pending = 0;
        std::uintmax_t pending_bytes = 0;
        Xapian::WritableDatabase shard;
        auto commit_shard = [&] {
            ensure_space(options_.db, pending_bytes, "database '" + options_.db.string() + "'");
            pending_bytes = 0;
            for (const auto& [word, letters] : spelling) shard.add_spelling(word, letters);
            spelling.clear();
            shard.commit();
            pending = 0;
        };
        try {
            std::size_t taken = 0;
            for (std::size_t i = next_file++; i < files_.size() && !cancelled; i = next_file++, ++taken) {
                if (taken % options_.shard_files == 0) {
                    if (taken > 0) {
                        commit_shard();
                        shard.close();
                    }
                    shard = new_shard(taken / options_.shard_files);
                }
                FileResult result = result_of(i);
                if (result.kind == FileResult::Kind::Rejected) {
                    ++st.rejected;
                    report(result.problem);
                    continue;
                }
                if (result.kind == FileResult::Kind::Indexed) {
                    add_documents(shard, result.documents);
                    pending_bytes += result.bytes;
                    for (auto& word : result.documents.spelling) ++spelling[std::move(word)];
                    ++st.indexed;
                    st.determinations += result.documents.determinations.size();
                    if (++pending >= options_.batch) commit_shard();
                }
                report({});
            }
            if (taken > 0) commit_shard();  // a writer with no files opened no shard
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot write database '" + options_.db.string() + "': " + message_of(e));
        }
    }

    // Puts the database at `replacement` where the (empty) database of this run is, atomically.
    void replace_database_with(const std::filesystem::path& replacement) {
        db_.close();
        if (::renameat2(AT_FDCWD, replacement.c_str(), AT_FDCWD, options_.db.c_str(), RENAME_EXCHANGE) != 0)
            throw IndexError("cannot put the merged shards at '" + options_.db.string() + "': " + std::strerror(errno));
        db_ = open_database(options_.db);
    }

    void write(FileResult result, ProgressBar& progress) {
        const std::uint64_t id = hex_value(result.letter_id);
        seen_.insert(id);
        switch (result.kind) {
            case FileResult::Kind::Unchanged:
                ++stats_.unchanged;
                return;
            case FileResult::Kind::Rejected:
                progress.clear();
                problems_ << result.problem << '\n';
                ++stats_.rejected;
                // The file no longer reads as a letter: its old version must not stay searchable.
                if (existing_.count(id)) {
                    guarded([&] {
                        begin_batch();
                        delete_letter(result.letter_id);
                    });
                    ++stats_.removed;
                    count_change();
                }
                return;
            case FileResult::Kind::Indexed:
                break;
        }
        guarded([&] {
            begin_batch();
            if (existing_.count(id)) delete_letter(result.letter_id);
            add_documents(db_, result.documents);
            for (auto& word : result.documents.spelling) ++spelling_pending_[std::move(word)];
        });
        ++stats_.indexed;
        batch_bytes_ += result.bytes;
        stats_.determinations += result.documents.determinations.size();
        count_change();
    }

    // A database without termlists cannot delete documents (schema.h): the letter's documents
    // become dead, in the batch that is open, and its words leave the spelling dictionary.
    void delete_letter(const std::string& letter_id) {
        const auto [first, last] = schema::live_range(db_, letter_term(letter_id), dead_);
        if (first == 0) return;
        for (const auto& word : spelling_words_of(db_.get_document(first))) db_.remove_spelling(word);
        db_.set_metadata(schema::dead_key(first), std::to_string(last));
        if (dead_.size() <= last) dead_.resize(static_cast<std::size_t>(last) + 1, 0);
        std::fill(dead_.begin() + first, dead_.begin() + last + 1, 1);
    }

    // The spelling words a letter added, from its stored letter built into documents again: the
    // database keeps no list of a document's terms.
    std::vector<std::string> spelling_words_of(const Xapian::Document& letter_doc) {
        const std::string frame = letter_doc.get_value(schema::kSlotLetter);
        if (frame.empty()) return {};
        try {
            Letter letter;
            from_json(nlohmann::json::parse(codec_.decompress(frame)), letter);
            if (!removal_analyzer_) removal_analyzer_ = std::make_unique<Analyzer>();
            TermIds::Cache ids(term_ids_);
            return build_documents(letter, letter.source, {}, *removal_analyzer_, ids, codec_).spelling;
        } catch (const LetterCodecError&) {
            return {};
        } catch (const nlohmann::json::exception&) {
            return {};
        }
    }

    void prune() {
        for (const auto& [id, hash] : existing_) {
            if (seen_.count(id)) continue;
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(id));
            const std::string file = stored_file(hex);
            std::error_code ec;
            if (file.empty() || !std::filesystem::exists(file, ec)) {
                guarded([&] {
                    begin_batch();
                    delete_letter(hex);
                });
                ++stats_.removed;
                count_change();
            }
        }
    }

    // The path a letter was indexed from, read from its live letter document's data.
    std::string stored_file(const std::string& letter_id) {
        const Xapian::docid live = schema::live_range(db_, schema::letter_doc_term(letter_id), dead_).last;
        if (live == 0) return {};
        nlohmann::json data;
        try {
            data = nlohmann::json::parse(schema::document_data(db_.get_document(live), codec_), nullptr, false);
        } catch (const LetterCodecError&) {
            return {};
        }
        if (!data.is_object() || !data.contains("file") || !data["file"].is_string()) return {};
        return data["file"].get<std::string>();
    }

    // A batch is a Xapian transaction: nothing of it is visible or durable before commit(), so
    // Xapian's automatic flushes can never commit half of a letter's documents.
    void begin_batch() {
        if (in_batch_) return;
        db_.begin_transaction();
        in_batch_ = true;
    }

    void count_change() {
        if (++pending_ >= options_.batch) commit();
    }

    // Commits the batch; a batch without changes (synonyms already present) commits nothing, so
    // a run over an unchanged corpus leaves the database revision where it was.
    void commit() {
        if (!in_batch_) return;
        if (pending_ > 0 || db_has_uncommitted_metadata_)
            ensure_space(options_.db, batch_bytes_, "database '" + options_.db.string() + "'");
        batch_bytes_ = 0;
        guarded([&] {
            if (pending_ == 0 && !db_has_uncommitted_metadata_) {
                db_.cancel_transaction();
            } else {
                for (const auto& [word, letters] : spelling_pending_) db_.add_spelling(word, letters);
                term_ids_.write_new(db_);
                db_.commit_transaction();
            }
        });
        spelling_pending_.clear();
        in_batch_ = false;
        pending_ = 0;
        db_has_uncommitted_metadata_ = false;
    }

    template <typename F>
    void guarded(F&& f) {
        try {
            f();
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot write database '" + options_.db.string() + "': " + message_of(e));
        }
    }

    const IndexOptions& options_;
    std::ostream& problems_;
    std::chrono::steady_clock::time_point start_;
    WalkResult walk_;
    Lexicon lexicon_;
    Xapian::WritableDatabase db_;
    std::vector<InputFile> files_;
    // letter id -> content hash of the letters in the database when the run started; read by the
    // workers, so never changed during the run.
    std::unordered_map<std::uint64_t, std::uint64_t> existing_;
    std::unordered_set<std::uint64_t> seen_;
    // Dead docids (schema.h) at the start of the run, and those this run made dead.
    std::vector<char> dead_;
    std::unique_ptr<Analyzer> removal_analyzer_;  // made for the first removed letter
    // Token stream ids: assigned by the workers, written by the writer before each commit.
    mutable TermIds term_ids_;
    LetterCodec codec_;
    std::size_t pending_ = 0;  // letters changed in the open batch
    std::uintmax_t batch_bytes_ = 0;  // their files' bytes
    // Words of the batch's letters and in how many letters each occurs: one add_spelling call per
    // word and batch costs far less than one per word and letter.
    std::unordered_map<std::string, Xapian::termcount> spelling_pending_;
    bool in_batch_ = false;
    bool db_has_uncommitted_metadata_ = false;
    IndexStats stats_;
};

}  // namespace

IndexStats run_index(const IndexOptions& options, std::ostream& problems) {
    IndexRun run(options, problems);
    return run.run();
}

std::string summary_line(const IndexStats& s) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", s.seconds);
    return "indexed " + std::to_string(s.indexed) + ", unchanged " + std::to_string(s.unchanged) + ", removed " +
           std::to_string(s.removed) + ", rejected " + std::to_string(s.rejected) + ", determinations " +
           std::to_string(s.determinations) + ", " + seconds + " seconds";
}

}  // namespace imr
