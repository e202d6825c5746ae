{#- Incremental models: which source rows an incremental run re-processes.

    `incremental_window_filter()` is a predicate on the rows of the model's input: those whose
    snapshot date is less than `lookback_days` (var, default 7) days before the latest snapshot
    date already in the model (7 days: the last weekly snapshot again, or the last 7 daily ones),
    or which were ingested after the latest row already in the model (a late export
    of an old day, a re-export with corrections). The bounds are read from {{ this }} when the
    model compiles, so the predicate holds literals (filter push-down on DuckDB and PostgreSQL).
    Outside an incremental run it is `1 = 1`. -#}

{% macro incremental_window_filter(date_column='snapshot_date', ingested_column='ingested_at', lookback_days=none) -%}
    {%- set days = (lookback_days if lookback_days is not none else var('lookback_days', 7)) | int -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    {%- set bounds_sql -%}
        select
            cast(max({{ date_column }}) as {{ dbt.type_string() }}) as max_date,
            cast(max({{ ingested_column }}) as {{ dbt.type_string() }}) as max_ingested_at
        from {{ this }}
    {%- endset -%}
    {%- set bounds = run_query(bounds_sql).rows[0] -%}
    {%- if bounds[0] is none -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    {%- set cutoff = modules.datetime.date.fromisoformat(bounds[0][:10]) - modules.datetime.timedelta(days=days) -%}
    ({{ date_column }} > cast('{{ cutoff.isoformat() }}' as date)
    {%- if bounds[1] is not none %}
        or {{ ingested_column }} > cast('{{ bounds[1] }}' as timestamp with time zone)
    {%- endif %})
{%- endmacro %}
