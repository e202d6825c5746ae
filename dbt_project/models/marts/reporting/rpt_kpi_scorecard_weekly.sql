{#- The KPI scorecard with the week before beside each row, the one source of the KPI scorecard of
    数据看板 总览 and of 《数据复盘报告》KPI 达成 / KPI 分平台明细: every row of
    mart_kpi_scorecard_weekly, the same KPI and platform of the previous ISO week
    (previous_value, previous_status), the statuses' Chinese names (达成 / 未达成 / 无目标 /
    无数据, macro kpi_status_name), the change week over week (value / previous_value − 1, NULL
    when either is unknown or the previous value is 0), the KPI's unit and direction from seed
    kpi_definitions, and how many weeks the row's week lies before the latest week of the
    scorecard (0 for the latest). -#}

with

scorecard as (

    select * from {{ ref('mart_kpi_scorecard_weekly') }}

),

definitions as (

    select * from {{ ref('kpi_definitions') }}

),

latest as (

    select max(week_start) as week_start from scorecard

),

final as (

    select
        scorecard.week,
        scorecard.week_start,
        scorecard.dimension,
        scorecard.kpi,
        scorecard.platform,
        definitions.unit,
        definitions.direction,
        scorecard.value,
        scorecard.target,
        scorecard.attainment,
        scorecard.status,
        {{ kpi_status_name('scorecard.status') }} as status_name,
        previous_week.value as previous_value,
        previous_week.status as previous_status,
        {{ kpi_status_name('previous_week.status') }} as previous_status_name,
        {{ relative_change('scorecard.value', 'previous_week.value') }} as wow_change,
        {#- date − date is days on DuckDB and PostgreSQL; Mondays, so a multiple of 7 -#}
        cast((latest.week_start - scorecard.week_start) / 7 as bigint) as weeks_before_latest
    from scorecard
    cross join latest
    left join scorecard as previous_week
        on
            {{ add_days('scorecard.week_start', -7) }} = previous_week.week_start
            and scorecard.dimension = previous_week.dimension
            and scorecard.kpi = previous_week.kpi
            and scorecard.platform = previous_week.platform
    left join definitions on scorecard.kpi = definitions.kpi

)

select * from final
