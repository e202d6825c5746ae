"""Running the pipeline's Airflow on a machine, beside the application layer (`newmedia/`):

- `runner`, `progress`: one pass of the DAGs in this process through `dag.test()`, with a live
  view of their tasks (`newmedia run`);
- `cluster`: the team deployment without Docker (`make cluster`, `make cluster-stop`) and a
  local Airflow on the embedded warehouse (`make airflow`);
- `pgserver`: a PostgreSQL server in a folder of ours (the cluster's, the tests' throwaway ones);
- `airflow_api`: a small client of Airflow's REST API for the scripts and tests that drive a
  running Airflow.

It builds on `newmedia` (settings, dbt) and the DAG files; nothing in `newmedia` or a stage
imports it, except the CLI's `run` command, lazily."""
