// Parses imr-index's options with CLI11 and maps outcomes to messages and exit codes.
#include "cli.h"

#include "audit.h"
#include "file_walker.h"
#include "indexer.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

namespace imr {

int run_index_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
    IndexOptions options;
    bool quiet = false;
    CLI::App app{"Indexes IMR final determination letters (.txt and .pdf files, folders walked recursively)\n"
                 "into a Xapian database, one document per determination. Unchanged files are skipped."};
    app.name("imr-index");
    app.add_option("--db", options.db, "Database folder (created when missing)")->required();
    app.add_flag("--prune", options.prune, "Remove letters whose files are gone");
    app.add_option("--max-size", options.max_size, "Refuse files of this many bytes or more (e.g. 20000000 or 20MB)")
        ->transform(CLI::AsSizeValue(true))
        ->default_str("20MB");
    app.add_option("--batch", options.batch, "Letters written between two commits")
        ->check(CLI::Range(1u, 10'000'000u))
        ->default_val(kDefaultBatchLetters);
    app.add_option("--threads", options.threads, "Parsing threads of an update (default: one per core; a first build parses on its shard writers)")->check(CLI::Range(1u, 1024u));
    app.add_option("--writers", options.writers,
                   "Shard writers of a first build, each parsing its own files, merged at the end (default: 2 from " +
                       std::to_string(kBulkShardsFrom) + " letters)")
        ->check(CLI::Range(1u, 64u));
    app.add_option("--shard-files", options.shard_files, "Files per shard of a shard writer (a new shard after each so many)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}))
        ->default_val(kDefaultShardFiles);
    app.add_flag("--quiet", quiet, "No progress bar and no summary line");
    bool audit = false;
    std::string lexicon_dir;
    app.add_flag("--audit", audit,
                 "Index nothing: report what the letters in --db could not be read for (fields missing, item "
                 "names that look cut, unknown specialties, states and drugs) and the letters to look at");
    app.add_option("--lexicon", lexicon_dir, "Folder of the lexicon files, for --audit (default: the data folder's lexicon/)");
    auto* inputs = app.add_option("INPUT", options.inputs, "Letter files or folders");
    app.callback([&] {
        if (!audit && inputs->count() == 0) throw CLI::RequiredError("INPUT");
        if (audit && inputs->count() > 0) throw CLI::ValidationError("INPUT", "--audit reads the database only");
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        err << "imr-index: " << e.what() << "\nRun with --help for more information.\n";
        return 2;
    }
    if (options.max_size == 0) {
        err << "imr-index: --max-size: must be at least 1 byte\n";
        return 2;
    }
    options.progress = !quiet && ::isatty(STDERR_FILENO);
    if (audit) {
        try {
            const Lexicon lexicon = Lexicon::load(lexicon_dir.empty() ? default_data_dir() / "lexicon" : std::filesystem::path(lexicon_dir));
            print_audit(audit_index(options.db, lexicon), out);
            return 0;
        } catch (const IndexError& e) {
            err << "imr-index: " << e.what() << '\n';
            return 2;
        } catch (const LexiconError& e) {
            err << "imr-index: " << e.what() << '\n';
            return 2;
        }
    }

    try {
        const IndexStats stats = run_index(options, err);
        if (!quiet) out << summary_line(stats) << '\n';
        return stats.rejected > 0 ? 1 : 0;
    } catch (const InputError& e) {
        err << "imr-index: " << e.what() << '\n';
        return 2;
    } catch (const IndexError& e) {
        err << "imr-index: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace imr
