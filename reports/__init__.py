"""Build the reports from the marts and publish them under $NEWMEDIA_HOME/reports/<kind>/<period>/."""

from reports.publish import publish_weekly

__all__ = ["publish_weekly"]
