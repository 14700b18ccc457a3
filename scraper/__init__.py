"""langson-archive: archive the Lạng Sơn People's Committee weekly digests."""

__version__ = "0.1.0"
