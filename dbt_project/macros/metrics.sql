{#- Metric definitions of the product spec §3, written once and used by every mart. -#}

{% macro interactions(likes, comments, shares) -%}
    ({{ likes }} + {{ comments }} + {{ shares }})
{%- endmacro %}

{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as double precision) / nullif({{ denominator }}, 0)
{%- endmacro %}

{% macro content_id_from_title(title, published_at) -%}
    {#- exports without an id (小红书, 抖音 creator centre): a stable id from title and publish time -#}
    substr(md5(coalesce({{ title }}, '') || '|' || {{ timestamp_text(published_at) }}), 1, 16)
{%- endmacro %}

{#- 爆款: views at the latest snapshot >= the threshold (a capped "10万+" is stored as its lower
    bound 100000, so it counts); NULL when views are unknown. -#}
{% macro is_viral(views) -%}
    case
        when {{ views }} is null then null
        when {{ views }} >= {{ var('viral_views_threshold') }} then true
        else false
    end
{%- endmacro %}

{#- round a double to n decimals on both warehouses (PostgreSQL rounds numerics only; a bare
    `numeric` is DECIMAL(18,3) on DuckDB, so the scale is explicit) -#}
{% macro round_to(expression, decimals) -%}
    cast(round(cast({{ expression }} as numeric(38, 12)), {{ decimals }}) as double precision)
{%- endmacro %}

{#- The error function for x >= 0, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), built
    from exp() only so that it runs on DuckDB and PostgreSQL alike. The exponent stops at -700:
    PostgreSQL raises "value out of range: underflow" below about -745 where DuckDB gives 0, and
    erf is 1.0 in double precision long before (x > 6). -#}
{% macro erf_nonnegative(x) -%}
    (1.0 - (
        (((((1.061405429 * (1.0 / (1.0 + 0.3275911 * ({{ x }}))) - 1.453152027)
            * (1.0 / (1.0 + 0.3275911 * ({{ x }}))) + 1.421413741)
            * (1.0 / (1.0 + 0.3275911 * ({{ x }}))) - 0.284496736)
            * (1.0 / (1.0 + 0.3275911 * ({{ x }}))) + 0.254829592)
            * (1.0 / (1.0 + 0.3275911 * ({{ x }}))))
        * exp(-least(({{ x }}) * ({{ x }}), 700.0))
    ))
{%- endmacro %}

{#- The standard normal CDF: Φ(z) = (1 + sign(z) · erf(|z| / √2)) / 2 -#}
{% macro normal_cdf(z) -%}
    (0.5 * (1.0 + sign({{ z }}) * {{ erf_nonnegative('abs(' ~ z ~ ') / sqrt(2.0)') }}))
{%- endmacro %}

{#- One KPI of the weekly scorecard as rows (week, week_start, platform, kpi, is_ratio, numerator,
    denominator) of a weekly relation: a ratio KPI keeps numerator and denominator apart, so
    that totals over platforms are ratios of sums. -#}
{% macro kpi_part(relation, kpi, numerator, denominator=none) -%}
    select
        week,
        week_start,
        platform,
        '{{ kpi }}' as kpi,
        {{ 1 if denominator else 0 }} as is_ratio,
        cast({{ numerator }} as double precision) as numerator,
        cast({{ denominator if denominator else 'null' }} as double precision) as denominator
    from {{ relation }}
{%- endmacro %}

{#- The Chinese name of a KPI status of the scorecard (mart_kpi_scorecard_weekly.status): the one
    wording of the weekly data review and the dashboard. NULL for NULL (no row the week before). -#}
{% macro kpi_status_name(status) -%}
    case {{ status }}
        when 'met' then '达成'
        when 'missed' then '未达成'
        when 'no_target' then '无目标'
        when 'no_value' then '无数据'
    end
{%- endmacro %}
