// End-to-end tests of imr-index's command line: bad inputs, usage errors, a locked database, exit codes.
#include "schema.h"
#include "index_e2e_support.h"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

using namespace imr::test;

namespace {

// One real letter, written by hand in the common layout, so these tests need nothing from outside.
const char* kLetter =
    "Case Number: CM15-0198233 Date Assigned: 10/01/2015\n"
    "Date of Injury: 04/28/2011 Decision Date: 11/05/2015\n"
    "UR Denial Date: 09/02/2015\n"
    "Treatment(s) in Dispute Listed on IMR Application: Soma 350mg #60\n"
    "HOW THE IMR FINAL DETERMINATION WAS MADE\n"
    "MAXIMUS Federal Services sent the case files to a board certified physician reviewer.\n"
    "State(s) of Licensure: California\n"
    "Certification(s)/Specialty: Anesthesiology, Pain Management\n"
    "CLINICAL CASE SUMMARY\n"
    "The injured worker is a 53 year old female who reported an injury on 04/28/2011. She has chronic low back pain.\n"
    "IMR ISSUES, DECISIONS AND RATIONALES\n"
    "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
    "Soma 350mg #60: Upheld\n"
    "Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\n"
    "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Carisoprodol (Soma), page 29.\n"
    "Decision rationale: Carisoprodol is not recommended for long-term use. The request is not medically necessary.\n";

struct BadInputs {
    TempDir dir;
    BadInputs() {
        write_file(dir / "in" / "letter.txt", kLetter);
        write_file(dir / "in" / "recipe.txt",
                   "Chocolate chip cookies\n\nIngredients:\n2 cups flour\n1 cup sugar\nBake at 350 degrees for 12 minutes.\n");
        write_file(dir / "in" / "empty.txt", "");
        std::string junk;
        for (int i = 0; i < 3000; ++i) junk += static_cast<char>((i * 7919 + 13) % 256);
        write_file(dir / "in" / "junk.txt", junk);
        write_file(dir / "in" / "fake.pdf", "%PDF-1.4\nthis is not really a pdf\n");
        write_file(dir / "in" / "notes.md", "not a letter, and not a .txt or .pdf file\n");
    }
    std::string in(const std::string& name) const { return (std::filesystem::canonical(dir.path() / "in") / name).string(); }
};

}  // namespace

TEST_CASE("imr-index: rejected files are named on stderr, the rest is committed, exit 1") {
    BadInputs inputs;
    auto r = index(inputs.dir / "db", quote(inputs.dir / "in"));
    CHECK(r.exit_code == 1);
    CHECK(r.err == inputs.in("empty.txt") + ": empty file\n" +      //
                       inputs.in("fake.pdf") + ": not a readable PDF\n" +  //
                       inputs.in("junk.txt") + ": binary data, not text\n" +
                       inputs.in("recipe.txt") + ": no IMR section headings found\n");
    CHECK(r.out.rfind("indexed 1, unchanged 0, removed 0, rejected 4, determinations 1, ", 0) == 0);
    Xapian::Database db((inputs.dir / "db").string());
    CHECK(db.get_doccount() == 2);  // the letter document and its one determination
    CHECK(db.get_termfreq("XDRUGcarisoprodol") == 1);
}

TEST_CASE("imr-index: each bad input alone") {
    BadInputs inputs;
    struct Case {
        const char* name;
        std::string args;  // after --db
        int exit_code;
        std::string err;
    };
    const Case cases[] = {
        {"recipe", quote(inputs.in("recipe.txt")), 1, inputs.in("recipe.txt") + ": no IMR section headings found\n"},
        {"empty", quote(inputs.in("empty.txt")), 1, inputs.in("empty.txt") + ": empty file\n"},
        {"junk", quote(inputs.in("junk.txt")), 1, inputs.in("junk.txt") + ": binary data, not text\n"},
        {"fake pdf", quote(inputs.in("fake.pdf")), 1, inputs.in("fake.pdf") + ": not a readable PDF\n"},
        {"too large", "--max-size 100 " + quote(inputs.in("letter.txt")), 1,
         inputs.in("letter.txt") + ": too large (" + std::to_string(std::strlen(kLetter)) + " bytes, limit 100)\n"},
        {"size exactly at the limit is too large", "--max-size " + std::to_string(std::strlen(kLetter)) + " " + quote(inputs.in("letter.txt")), 1,
         inputs.in("letter.txt") + ": too large (" + std::to_string(std::strlen(kLetter)) + " bytes, limit " +
             std::to_string(std::strlen(kLetter)) + ")\n"},
        {"size with a unit", "--max-size 1KB " + quote(inputs.in("letter.txt")), 1,
         inputs.in("letter.txt") + ": too large (" + std::to_string(std::strlen(kLetter)) + " bytes, limit 1000)\n"},
        {"other file types are skipped quietly", quote(inputs.in("notes.md")), 0, ""},
        {"non-existent input", quote(inputs.dir / "missing"), 2,
         "imr-index: input '" + (inputs.dir / "missing").string() + "': No such file or directory\n"},
        {"bad flag", "--frobnicate " + quote(inputs.in("letter.txt")), 2,
         "imr-index: The following argument was not expected: --frobnicate\nRun with --help for more information.\n"},
        {"no input", "", 2, "imr-index: INPUT is required\nRun with --help for more information.\n"},
        {"bad batch", "--batch 0 " + quote(inputs.in("letter.txt")), 2,
         "imr-index: --batch: Value 0 not in range 1 to 10000000\nRun with --help for more information.\n"},
        {"bad max size", "--max-size lots " + quote(inputs.in("letter.txt")), 2,
         "imr-index: --max-size: lots unit not recognized. Allowed values: "
         "{b,e,eb,ei,eib,g,gb,gi,gib,k,kb,ki,kib,m,mb,mi,mib,p,pb,pi,pib,t,tb,ti,tib}\n"
         "Run with --help for more information.\n"},
    };
    for (const auto& c : cases) {
        SUBCASE(c.name) {
            TempDir db;
            auto r = index(db / "db", c.args);
            CHECK(r.exit_code == c.exit_code);
            CHECK(r.err == c.err);
            if (c.exit_code == 2) CHECK_FALSE(std::filesystem::exists(db / "db"));  // usage errors create nothing
        }
    }
    SUBCASE("no --db") {
        auto r = run(quote(index_bin()) + " " + quote(inputs.in("letter.txt")));
        CHECK(r.exit_code == 2);
        CHECK(r.err == "imr-index: --db is required\nRun with --help for more information.\n");
    }
    SUBCASE("--help") {
        auto r = run(quote(index_bin()) + " --help");
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("--prune") != std::string::npos);
        CHECK(r.err.empty());
    }
}

TEST_CASE("imr-index: a database that cannot be opened is a usage error, exit 2") {
    BadInputs inputs;
    SUBCASE("locked by another writer") {
        Xapian::WritableDatabase holder((inputs.dir / "db").string(), Xapian::DB_CREATE_OR_OPEN);
        auto r = index(inputs.dir / "db", quote(inputs.in("letter.txt")));
        CHECK(r.exit_code == 2);
        CHECK(r.err == "imr-index: cannot open database '" + (inputs.dir / "db").string() +
                           "': it is locked by another writer\n");
        CHECK(r.out.empty());
    }
    SUBCASE("a database of an older schema is left as it is") {
        {
            Xapian::WritableDatabase old((inputs.dir / "db").string(), Xapian::DB_CREATE_OR_OPEN);
            Xapian::Document doc;
            doc.add_boolean_term("Q0123456789abcdef/0");
            old.add_document(doc);
            old.commit();
        }
        auto r = index(inputs.dir / "db", quote(inputs.in("letter.txt")));
        CHECK(r.exit_code == 2);
        CHECK(r.err == "imr-index: cannot open database '" + (inputs.dir / "db").string() +
                           "': it was written by an older imr-index (schema 1, this one reads schema " +
                           std::string(imr::schema::kVersion) + "); index the letters again into a new database\n");
        CHECK(Xapian::Database((inputs.dir / "db").string()).get_doccount() == 1);
    }
    SUBCASE("a database whose term ids are out of sequence is left as it is") {
        auto first = index(inputs.dir / "db", quote(inputs.in("letter.txt")));
        REQUIRE(first.exit_code == 0);
        {
            Xapian::WritableDatabase db((inputs.dir / "db").string(), Xapian::DB_OPEN | imr::schema::kDatabaseFlags);
            db.set_metadata("t:zzzzqx", "999999");
            db.commit();
        }
        const auto revision = Xapian::Database((inputs.dir / "db").string()).get_revision();
        auto r = index(inputs.dir / "db", quote(inputs.in("letter.txt")));
        CHECK(r.exit_code == 2);
        CHECK(r.err == "imr-index: cannot use the database '" + (inputs.dir / "db").string() +
                           "': term id 999999 of 'zzzzqx' is out of sequence\n");
        CHECK(Xapian::Database((inputs.dir / "db").string()).get_revision() == revision);
    }
    SUBCASE("a new database records its schema, has no termlist table and 64 KB blocks") {
        auto r = index(inputs.dir / "db", quote(inputs.in("letter.txt")));
        CHECK(r.exit_code == 0);
        CHECK(Xapian::Database((inputs.dir / "db").string()).get_metadata("imr-schema") == std::string(imr::schema::kVersion));
        CHECK(std::filesystem::exists(inputs.dir / "db" / "postlist.glass"));
        CHECK_FALSE(std::filesystem::exists(inputs.dir / "db" / "termlist.glass"));
        const auto check = run("xapian-check " + quote(inputs.dir / "db"));
        CHECK(check.exit_code == 0);
        CHECK(check.out.find("termlist:\nNot present.") != std::string::npos);
        CHECK(check.out.find("postlist:\nblocksize=64K ") != std::string::npos);
    }
    SUBCASE("a file where the database should be") {
        write_file(inputs.dir / "db", "not a database");
        auto r = index(inputs.dir / "db", quote(inputs.in("letter.txt")));
        CHECK(r.exit_code == 2);
        CHECK(r.err.rfind("imr-index: cannot open database '" + (inputs.dir / "db").string() + "': ", 0) == 0);
    }
}

TEST_CASE("imr-index --writers 3 over one file: the writers without files write no shard") {
    BadInputs inputs;
    auto r = index(inputs.dir / "db", "--writers 3 " + quote(inputs.in("letter.txt")));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("indexed 1, unchanged 0, removed 0, rejected 0, determinations 1, ", 0) == 0);
    CHECK(Xapian::Database((inputs.dir / "db").string()).get_doccount() == 2);  // the letter document and its determination
    CHECK_FALSE(std::filesystem::exists(inputs.dir / "db.shards-tmp"));
}

TEST_CASE("imr-index: --quiet prints no summary; a pipe gets no progress bar") {
    BadInputs inputs;
    auto r = index(inputs.dir / "db", "--quiet " + quote(inputs.in("letter.txt")));
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
}

TEST_CASE("imr-index: folders are walked recursively and symlink cycles end") {
    TempDir dir;
    write_file(dir / "in" / "a" / "b" / "letter.txt", kLetter);
    std::filesystem::create_directory_symlink(dir / "in", dir / "in" / "a" / "b" / "loop");   // a cycle
    std::filesystem::create_directory_symlink(dir / "in" / "a", dir / "in" / "alias");         // the same folder again
    std::filesystem::create_symlink(dir / "nowhere.txt", dir / "in" / "dangling.txt");       // leads nowhere
    auto r = index(dir / "db", quote(dir / "in"));
    // The letter behind the cycle is indexed once; the dangling link is named (issue 19, item 10).
    CHECK(r.exit_code == 1);
    CHECK(r.err == (std::filesystem::canonical(dir / "in") / "dangling.txt").string() +
                       ": dangling symbolic link (its target does not exist)\n");
    CHECK(r.out.rfind("indexed 1, unchanged 0, removed 0, rejected 1, determinations 1, ", 0) == 0);
}

// Issue 19, item 10: inputs skipped with no message and exit 0.
TEST_CASE("imr-index: nothing is skipped silently: links, fifos, sockets and closed folders are named") {
    TempDir dir;
    write_file(dir / "in" / "letter.txt", kLetter);
    std::filesystem::create_symlink(dir / "in" / "loop.txt", dir / "in" / "loop.txt");
    std::filesystem::create_symlink(dir / "in" / "gone.txt", dir / "in" / "dangling.txt");
    REQUIRE(::mkfifo((dir / "in" / "fifo.txt").c_str(), 0644) == 0);
    const auto socket_made = run("python3 -c \"import socket; socket.socket(socket.AF_UNIX).bind('" +
                                 (dir / "in" / "sock.txt").string() + "')\"");
    REQUIRE(socket_made.exit_code == 0);
    const std::string in = std::filesystem::canonical(dir / "in").string();
    auto r = index(dir / "db", quote(dir / "in"));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(in + "/loop.txt: symbolic link loop (Too many levels of symbolic links)\n") != std::string::npos);
    CHECK(r.err.find(in + "/dangling.txt: dangling symbolic link (its target does not exist)\n") != std::string::npos);
    CHECK(r.err.find(in + "/fifo.txt: a fifo, not a letter file\n") != std::string::npos);
    CHECK(r.err.find(in + "/sock.txt: a socket, not a letter file\n") != std::string::npos);
    CHECK(r.out.rfind("indexed 1, unchanged 0, removed 0, rejected 4, determinations 1, ", 0) == 0);

    SUBCASE("a folder that can be listed but not entered") {
        // Root enters any folder, so the walk runs as nobody (skipped where setpriv cannot).
        write_file(dir / "out" / ".keep", "");
        write_file(dir / "in" / "closed" / "other.txt", kLetter);
        std::filesystem::permissions(dir / "in" / "closed", std::filesystem::perms::owner_all |
                                                              std::filesystem::perms::others_read);
        const bool root = ::geteuid() == 0;
        std::string as = root ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
        if (root) {
            run("chown -R 65534 " + quote(dir / "out") + " && chmod -R o+rX " + quote(dir / "in") + " && chmod 0704 " +
                quote(dir / "in" / "closed") + " && chmod o+x " + quote(dir.path()));
            std::filesystem::permissions(dir / "in" / "closed", std::filesystem::perms::owner_all |
                                                                  std::filesystem::perms::others_read);
            if (run(as + "true").exit_code != 0) {
                MESSAGE("skipped: cannot run as nobody here");
                return;
            }
        }
        const auto closed = run(as + quote(index_bin()) + " --quiet --db " + quote(dir / "out" / "db") + " " + quote(dir / "in"));
        CHECK(closed.exit_code == 1);
        CHECK(closed.err.find(in + "/closed: cannot enter folder (Permission denied)\n") != std::string::npos);
    }
}

// Issue 19, items 9 and 11: a name that is not UTF-8 rejected the letter (type_error.316), and
// names went to stderr raw, so a newline forged a line and escape codes reached the terminal.
TEST_CASE("imr-index: any file name is indexed, and printed escaped") {
    TempDir dir;
    write_file(dir / "in" / "caf\xE9.txt", kLetter);
    write_file(dir / "in" / "evil\nrejected\x1B[31m.txt", "Chocolate chip cookies\n\nBake at 350 degrees.\n");
    const std::string in = std::filesystem::canonical(dir / "in").string();
    auto r = index(dir / "db", quote(dir / "in"));
    CHECK(r.exit_code == 1);
    CHECK(r.err == in + "/evil\\x0Arejected\\x1B[31m.txt: no IMR section headings found\n");
    CHECK(r.out.rfind("indexed 1, unchanged 0, removed 0, rejected 1, determinations 1, ", 0) == 0);
    const auto shown = run(quote(search_bin()) + " --db " + quote(dir / "db") + " --format json soma");
    CHECK(shown.exit_code == 0);
    CHECK(shown.out.find("\"file\": \"" + in + "/caf\\\\xE9.txt\"") != std::string::npos);
    // Run again: the letter is found unchanged by its real name, not indexed a second time.
    auto again = index(dir / "db", quote(dir / "in"));
    CHECK(again.out.rfind("indexed 0, unchanged 1, removed 0, rejected 1, determinations 0, ", 0) == 0);
}

TEST_CASE("imr-index --audit: coverage per field, and the letters whose facts could not be read") {
    TempDir dir;
    write_file(dir / "in" / "good.txt", kLetter);
    // No injury date anywhere, an item name cut to its last line, an unknown specialty and state,
    // and a dose of a drug no lexicon lists.
    std::string odd = kLetter;
    auto replace = [&](const std::string& from, const std::string& to) {
        auto at = odd.find(from);
        REQUIRE(at != std::string::npos);
        odd.replace(at, from.size(), to);
    };
    replace("CM15-0198233", "CM15-0000777");
    replace("Date of Injury: 04/28/2011 ", "");
    replace(" who reported an injury on 04/28/2011", "");
    replace("State(s) of Licensure: California", "State(s) of Licensure: Atlantis");
    replace("Anesthesiology, Pain Management", "Anesthesiology, Underwater Basket Weaving");
    replace("Soma 350mg #60: Upheld", "the lumbar: Upheld");
    replace("Soma 350mg #60\n", "Zyxoprofen 20mg #30\n");
    odd += "Zyxoprofen 20mg #30: Overturned\nClaims Administrator guideline: The Claims Administrator did not cite any "
           "medical evidence for its decision.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical "
           "Treatment 2016, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs).\nDecision rationale: The request "
           "is medically necessary.\n";
    write_file(dir / "in" / "odd.txt", odd);
    const std::string db = (dir / "db").string();
    REQUIRE(run(index_bin().string() + " --quiet --db " + db + " " + (dir / "in").string()).exit_code == 0);

    const auto audit = run(index_bin().string() + " --audit --db " + db);
    CHECK(audit.exit_code == 0);
    CHECK(audit.out.find("2 letters, 3 determinations") != std::string::npos);
    CHECK(audit.out.find("injury date                     1    50.0%") != std::string::npos);
    CHECK(audit.out.find("decision date                   2   100.0%") != std::string::npos);
    CHECK(audit.out.find("Item names that look cut: 1\n  \"the lumbar\" (starts with \"the\") in 1 letter: CM15-0000777") !=
          std::string::npos);
    CHECK(audit.out.find("\"Underwater Basket Weaving\" in 1 letter: CM15-0000777") != std::string::npos);
    CHECK(audit.out.find("States not in the lexicon (kept as written): 1\n  \"Atlantis\"") != std::string::npos);
    CHECK(audit.out.find("Items with a dose but no drug the lexicon knows: 1\n  \"Zyxoprofen 20mg #30\"") != std::string::npos);
    // The worst letter first, named with what is wrong with it; the good letter is not listed.
    const auto worst = audit.out.find("Letters with the most problems:\n  CM15-0000777: no injury date;");
    CHECK(worst != std::string::npos);
    CHECK(audit.out.find("CM15-0198233:") == std::string::npos);

    // The audit reads a database only: inputs with it, or a missing database, are usage errors.
    CHECK(run(index_bin().string() + " --audit --db " + db + " " + (dir / "in").string()).exit_code == 2);
    const auto missing = run(index_bin().string() + " --audit --db " + (dir / "nothing").string());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("imr-index: cannot open database") != std::string::npos);
}
