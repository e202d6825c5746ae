"""Great Expectations gates: code-first suites over the raw layer and the marts.

Suites live in `expectations/suites/<table>.py`, each with a `build()` returning a GX
ExpectationSuite and a `SEVERITY` (blocking or warning). On DuckDB the data are read as pandas
DataFrames over a read-only connection (GX's SQL source cannot read DuckDB).
"""

from expectations.gates import GateFailedError, GateResult, run_gates, validate_frame

__all__ = ["GateFailedError", "GateResult", "run_gates", "validate_frame"]
