"""Vietnamese-aware full-text search over the archive: a derived SQLite FTS5 index, never the record.

SQLite's tokenizers cannot serve Vietnamese alone (``remove_diacritics`` either keeps "hoà"
and "hòa" apart or conflates more than it should, and "đ" is never "d"), so the index holds,
beside each text, a folded copy built here: ``folded`` (no diacritics, "đ" → "d", lower case)
for the default search and ``exact`` (diacritics kept, one tone-mark placement, lower case)
for ``--exact``. Cited document numbers are indexed as one token each ("379/QĐ-UBND",
"379 /QD-UBND" → ``379qdubnd``). The index lives in ``index/search.sqlite`` under the archive,
is brought up to date after every crawl and reparse (only records whose content changed are
rewritten), and can be deleted at any time: the next search rebuilds it.
"""

from scraper.search.index import SearchIndex, SearchResult, fold_aligned

__all__ = ["SearchIndex", "SearchResult", "fold_aligned"]
