"""Great Expectations gates: code-first suites over the raw layer and the marts.

Suites live in `expectations/suites/` (mart modules with TABLE, SEVERITY, KEY and build(); raw
suites generated from the readers' specs; platform-coverage suites), each blocking or warning
(a `__warning` suffix). On DuckDB the data are read as pandas DataFrames over a read-only
connection (GX's SQL source cannot read DuckDB); on PostgreSQL GX's SQL data source reads them.
`run_gates` renders Data Docs under `$NEWMEDIA_HOME/data_docs/<run_id>/` and records each suite's
status for the holds (`expectations.holds`).
"""

from expectations.gates import (
    FailedCheck,
    GateFailedError,
    GateResult,
    run_gates,
    validate_frame,
)

__all__ = ["FailedCheck", "GateFailedError", "GateResult", "run_gates", "validate_frame"]
