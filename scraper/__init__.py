"""langson-archive: archive the Lạng Sơn People's Committee weekly digests."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.1"  # of the records (scraper/record.schema.json); a change in a field's meaning bumps it
