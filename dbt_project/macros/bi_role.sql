{#- The read-only role for BI tools (PostgreSQL): the NOLOGIN group role newmedia_bi with USAGE on
    schema marts and SELECT on its tables, now and for tables created later by this user, and
    nothing else. Run by the project's on-run-end hook: dbt rebuilds a mart as a new table, so the
    grants are made again after every run. Its LOGIN members are made by `ingest.pg_mirror`
    (NEWMEDIA_PG_BI_USER / NEWMEDIA_PG_BI_PASSWORD), so that no password reaches dbt's logs.
    Nothing to do on DuckDB (a file, read through its own permissions). -#}
{% macro grant_bi_read_access() -%}
    {{ return(adapter.dispatch('grant_bi_read_access', 'newmedia')()) }}
{%- endmacro %}

{% macro default__grant_bi_read_access() -%}
{%- endmacro %}

{% macro postgres__grant_bi_read_access() -%}
    do $$
    begin
        if not exists (select from pg_catalog.pg_roles where rolname = 'newmedia_bi') then
            create role newmedia_bi nologin;
        end if;
    end
    $$;
    create schema if not exists marts;
    grant usage on schema marts to newmedia_bi;
    grant select on all tables in schema marts to newmedia_bi;
    alter default privileges in schema marts grant select on tables to newmedia_bi
{%- endmacro %}
