"""The local run's SQLite metadata database commits without an fsync each (`relax_sqlite_sync`);
a PostgreSQL one (a scheduler's) is left as it is."""

from __future__ import annotations

import pytest


def test_sqlite_metadata_db_syncs_normally(airflow_env):
    from airflow import settings
    from sqlalchemy import event

    from ops.runner import _sqlite_normal_sync, relax_sqlite_sync

    assert settings.engine.dialect.name == "sqlite"
    assert relax_sqlite_sync() is True
    assert relax_sqlite_sync() is True  # a second run of a DAG in the same process
    assert event.contains(settings.engine, "connect", _sqlite_normal_sync)
    with settings.engine.connect() as con:
        # 1 = NORMAL (SQLite's default, 2, is FULL); Airflow's own WAL mode stays
        assert con.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        con.exec_driver_sql("create table if not exists newmedia_probe (x integer)")
        con.exec_driver_sql("insert into newmedia_probe values (1)")
        con.commit()
        assert con.exec_driver_sql("select count(*) from newmedia_probe").scalar() >= 1


def test_postgres_metadata_db_is_left_alone(airflow_env, monkeypatch: pytest.MonkeyPatch):
    from airflow import settings
    from sqlalchemy import create_engine, event

    from ops.runner import _sqlite_normal_sync, relax_sqlite_sync

    engine = create_engine("postgresql+psycopg2://airflow@127.0.0.1:1/airflow")  # never opened
    monkeypatch.setattr(settings, "engine", engine)
    monkeypatch.setattr(settings, "async_engine", None)
    assert relax_sqlite_sync() is False
    assert not event.contains(engine, "connect", _sqlite_normal_sync)
