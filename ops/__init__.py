"""Running the pipeline's tools on a machine, beside the application layer (`newmedia/`):

- `dbt`: dbt in a subprocess on the project (`newmedia build`, the manifest the DAGs render
  from; the DAG files get its executable and folder through `newmedia.dag_defaults`);
- `runner`, `progress`: one pass of the DAGs in this process through `dag.test()`, with a live
  view of their tasks (`newmedia run`);
- `cluster`: the team deployment without Docker (`make cluster`, `make cluster-stop`) and a
  local Airflow on the embedded warehouse (`make airflow`);
- `pgserver`: a PostgreSQL server in a folder of ours (the cluster's, the tests' throwaway ones);
- `airflow_api`: a small client of Airflow's REST API for the scripts and tests that drive a
  running Airflow.

It builds on `newmedia.settings` and the DAG files; no stage imports it, and `newmedia` imports
only `ops.dbt` (the DAGs' defaults, the CLI's `build`) and, lazily, the runner (`newmedia run`)."""
