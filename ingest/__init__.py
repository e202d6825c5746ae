"""Readers for the export files marketers download from the platforms' back offices, and the
loader that puts them into the warehouse's raw layer."""

from ingest.loader import FileResult, ingest_paths

__all__ = ["FileResult", "ingest_paths"]
