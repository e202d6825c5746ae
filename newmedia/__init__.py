"""newmedia-warehouse's application layer: the settings, the `newmedia` command line, the DAGs'
defaults and the task bodies that hand the settings to the stages."""

__version__ = "0.1.0"
