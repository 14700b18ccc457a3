"""Item pipelines, one concern each, in the order they run.

| priority | pipeline | what it does | Scrapy stats it counts |
|---|---|---|---|
| 100 | NormalizePipeline | NFC, no zero-width characters or nbsp, whitespace collapsed | ``normalize/records_changed`` |
| 200 | ValidatePipeline | drops records that break the record schema, logging why | ``validate/invalid`` |
| 300 | DedupePipeline | one record per digest key within a run | ``dedupe/duplicates`` |
| 800 | ArchivePipeline | merges the run's records into the dated archive at the end | ``archive/new``, ``archive/updated``, ``archive/unchanged`` |
"""
