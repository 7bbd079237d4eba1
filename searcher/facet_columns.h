// Compact in-memory columns of one database revision: per-docid facet values, letter and dates.
//
// Exact facet counts over a million matches cannot come from reading documents or value streams
// per query. At open (and after each indexer commit) every facet prefix's postlists are walked
// once into per-docid value ids; a query then counts facets with a few array lookups per match.
#pragma once

#include "letter_codec.h"
#include "schema.h"
#include "stem_index.h"
#include "stream_store.h"
#include "wdf_cache.h"

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace imr {

// The values of one facet for every document.
struct FacetColumn {
    const schema::Field* field = nullptr;  // its entry in schema::kFields
    std::string name;    // schema field name: "decision", "drug", "class", ...
    std::string prefix;  // term prefix: "XDEC", ...
    std::vector<std::string> terms;    // value id -> full term ("XDRUGcarisoprodol")
    std::vector<std::string> display;  // value id -> value as shown ("carisoprodol", "MTUS: Muscle relaxants")
    std::vector<std::uint32_t> doc_count;  // value id -> documents holding it
    // Full term -> value id; with facet_also (schema.h), the other prefix's terms too ("XINGhydrocodone").
    std::unordered_map<std::string, std::uint32_t> id_of_term;
    // Values of docid d: ids[offsets[d] .. offsets[d + 1]). Single-valued facets have at most one.
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> ids;
    // When no document holds two values and the values fit: docid d's value id + 1, 0 for none.
    // Counting a broad search's matches reads the columns from memory as fast as memory goes, and
    // this reads 2 bytes a match instead of the 8 of offsets and ids.
    std::vector<std::uint16_t> narrow;

    static constexpr std::uint32_t kNone = UINT32_MAX;
    // The only value of a document in a facet that has at most one per document, or kNone.
    std::uint32_t single(Xapian::docid did) const {
        return offsets[did] == offsets[did + 1] ? kNone : ids[offsets[did]];
    }
};

struct FacetColumns {
    Xapian::rev revision = 0;
    LetterCodec codec;  // reads the stored letters (schema::kSlotLetter) of this revision
    Xapian::docid last_docid = 0;  // arrays are indexed 0..last_docid
    std::uint64_t documents = 0;   // determination documents
    std::vector<FacetColumn> facets;  // the fields with schema::kFacet, in schema::kFields order

    // Letters. letter_of: determination docid -> letter index (kNoLetter for letter documents,
    // dead docids (schema.h) and absent ones); letter_ids and letter_doc: letter index -> id and letter document (0 when
    // missing); determinations of letter i: determination_docs[determination_offsets[i] ..
    // determination_offsets[i + 1]), ascending.
    static constexpr std::uint32_t kNoLetter = UINT32_MAX;
    std::vector<std::uint32_t> letter_of;
    std::vector<std::string> letter_ids;
    std::vector<Xapian::docid> letter_doc;
    std::unordered_map<std::string, std::uint32_t> letter_index;
    std::vector<std::uint32_t> determination_offsets;
    std::vector<Xapian::docid> determination_docs;
    // Letter documents as bits of 64 docids, in the layout of DocSet, and docid -> letter index
    // for them (kNoLetter for every other docid).
    std::vector<std::uint64_t> letter_doc_bits;
    std::vector<std::uint32_t> letter_of_letter_doc;
    // The live determination documents as bits, in the same layout: what a search starts from
    // when a query matches everything or a NOT has no positive part.
    std::vector<std::uint64_t> live_bits;

    // BM25's length part per docid (ranker.h: bm25_length_parts), for BM25 without a postlist
    // lookup per posting; it is the same for every query of a revision.
    std::vector<float> length_part;

    // YYYYMMDD per docid, 0 when not printed.
    std::vector<std::uint32_t> decision_date;
    std::vector<std::uint32_t> injury_date;

    // Drug values reachable from a brand name (folded), for drug filters: the generics of the
    // determinations naming it. (An ingredient is a drug value itself: schema::Field::facet_also.)
    std::unordered_map<std::string, std::vector<std::uint32_t>> drug_ids_by_brand;

    // Free-text word expansion: stems are not indexed (schema.h).
    StemIndex stems;

    // Every document's token stream, when the engine keeps them in memory (EngineTuning); else
    // null, and phrases read them from the database.
    std::shared_ptr<const StreamStore> streams;

    // The wdf columns of the most common words (words_wanting_columns), when the engine warms up
    // (EngineTuning); most documents first. Part of the revision, so that no word a search needs
    // first pushes them out of the WdfCache, and an indexer commit rebuilds them with the rest.
    std::vector<std::string> common_words;
    std::unordered_map<std::string, std::shared_ptr<const WdfCache::Column>> common_wdf;
    // The wdf column of `term` among them, else in `cache` (of this revision), or null.
    std::shared_ptr<const WdfCache::Column> wdf_column(const std::string& term, WdfCache& cache) const {
        if (auto it = common_wdf.find(term); it != common_wdf.end()) return it->second;
        return cache.find(revision, term);
    }

    const FacetColumn* facet(std::string_view name) const;
    bool live(Xapian::docid did) const { return did <= last_docid && letter_of[did] != kNoLetter; }
    // The letter document of a determination document; 0 for any other docid, or when missing.
    Xapian::docid letter_doc_of(Xapian::docid did) const { return live(did) ? letter_doc[letter_of[did]] : 0; }
    // The live letter document of a letter id, or its determination document of `ordinal`; 0 when
    // there is none. (An id's terms may also name dead documents of an older version.)
    Xapian::docid find_document(const std::string& letter_id, std::optional<int> ordinal) const;
};

// Reads every column from the database at its current revision. `second`, another handle on the
// same database, lets the work be split over two threads; it is used only when it is at the same
// revision as `db` (a commit may come between opening the two), and never touched after return.
FacetColumns build_facet_columns(const Xapian::Database& db, const Xapian::Database* second = nullptr);

}  // namespace imr
