"""Item pipelines, one concern each, in the order they run.

The crawl yields :class:`scraper.records.prepare.PreparedRecord` items: its parser worker
has already normalized, hashed and checked the record (CPU work kept out of the crawl's
process), and each pipeline counts and acts on what that found. A plain record dict (another
spider, a test) gets the step run here.

=====  ==================  =======================================================
prio   pipeline            what it does; the Scrapy stats it counts
=====  ==================  =======================================================
100    NormalizePipeline   NFC, no zero-width characters or nbsp, whitespace
                           collapsed; ``normalize/records_changed``
200    ValidatePipeline    drops (and logs with its URL) a record that breaks the
                           record schema; ``validate/invalid``
300    DedupePipeline      one record per digest key within a run;
                           ``dedupe/duplicates``
800    ArchivePipeline     merges the records into the dated archive every
                           ``ARCHIVE_BATCH`` records and when the crawl ends;
                           ``archive/new``, ``archive/updated``,
                           ``archive/unchanged``, ``archive/error``
=====  ==================  =======================================================
"""
