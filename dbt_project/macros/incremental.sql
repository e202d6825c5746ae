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


{#- `incremental_ingested_after()`: a predicate on the rows of an incremental model's input that
    were ingested after every row already in the model (`this_column`, default the same name:
    the model keeps the newest ingest time of what it was built from). Marts and intermediates
    downstream of the incremental models use it to find the keys a run touched, then rebuild
    those keys from all their rows. `1 = 1` outside an incremental run or on an empty model. -#}

{% macro incremental_ingested_after(column='ingested_at', this_column=none) -%}
    {%- set bound = incremental_max(this_column or column) -%}
    {%- if bound is none -%}
        {{ return('1 = 1') }}
    {%- endif -%}
    ({{ column }} > cast('{{ bound }}' as timestamp with time zone))
{%- endmacro %}


{#- The greatest value of `expression` in {{ this }} as text, or none outside an incremental run
    or on an empty model (read when the model compiles, so the caller can write a literal). -#}

{% macro incremental_max(expression) -%}
    {#- a unit test has no {{ this }}: it builds in full -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set bound_sql -%}
        select cast(max({{ expression }}) as {{ dbt.type_string() }}) from {{ this }}
    {%- endset -%}
    {{ return(run_query(bound_sql).rows[0][0]) }}
{%- endmacro %}
