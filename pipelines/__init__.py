"""Item pipelines, one concern each, in the order they run.

=====  ==================  =======================================================
prio   pipeline            what it does; the Scrapy stats it counts
=====  ==================  =======================================================
100    NormalizePipeline   NFC, no zero-width characters or nbsp, whitespace
                           collapsed; ``normalize/records_changed``
200    ValidatePipeline    drops (and logs with its URL) a record that breaks the
                           record schema; ``validate/invalid``
300    DedupePipeline      one record per digest key within a run;
                           ``dedupe/duplicates``
800    ArchivePipeline     merges the run's records into the dated archive when
                           the crawl ends; ``archive/new``, ``archive/updated``,
                           ``archive/unchanged``, ``archive/error``
=====  ==================  =======================================================
"""
