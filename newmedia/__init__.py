"""newmedia-warehouse: the glue package (settings, command line, sample exports, pipeline runner)."""

__version__ = "0.1.0"
