"""The project's one time zone: every date, week and wall-clock time is China time (the dbt
macros of `dbt_project/macros/time.sql` say the same in SQL). A tiny module every stage may
import."""

from __future__ import annotations

from zoneinfo import ZoneInfo

#: the IANA name, for SQL sessions and pandas dtypes
TZ_NAME = "Asia/Shanghai"
#: the zone, for datetimes
SHANGHAI = ZoneInfo(TZ_NAME)
