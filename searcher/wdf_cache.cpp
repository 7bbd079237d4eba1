// Choosing and reading the wdf columns a long-running searcher makes before its first search.
#include "wdf_cache.h"

#include <utility>

namespace imr {

std::vector<std::string> words_wanting_columns(const Xapian::Database& db, std::size_t limit) {
    std::vector<std::pair<Xapian::doccount, std::string>> found;
    const auto end = db.allterms_end();
    auto t = db.allterms_begin();
    t.skip_to("a");
    for (; t != end; ++t) {
        if (static_cast<double>(t.get_termfreq()) * kWdfColumnFrom >= static_cast<double>(db.get_doccount()))
            found.emplace_back(t.get_termfreq(), *t);
    }
    // Most documents first; ties in term order, so that the choice does not depend on the sort.
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (found.size() > limit) found.resize(limit);
    std::vector<std::string> words;
    words.reserve(found.size());
    for (auto& [frequency, word] : found) words.push_back(std::move(word));
    return words;
}

WdfCache::Column read_wdf_column(const Xapian::Database& db, const std::string& term) {
    WdfCache::Column column(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
    for (auto p = db.postlist_begin(term), end = db.postlist_end(term); p != end; ++p) column[*p] = column_wdf(p.get_wdf());
    return column;
}

}  // namespace imr
