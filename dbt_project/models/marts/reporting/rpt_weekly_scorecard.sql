{#- 《数据复盘报告》KPI 达成: mart_kpi_scorecard_weekly of each week beside the same KPI of the week
    before (环比 wow = value / previous_value − 1, NULL when the week before is unknown or 0). -#}

with

scorecard as (

    select * from {{ ref('mart_kpi_scorecard_weekly') }}

),

final as (

    select
        this_week.week as week_label,
        this_week.week_start,
        this_week.dimension,
        this_week.kpi,
        this_week.platform,
        this_week.value,
        this_week.target,
        this_week.attainment,
        this_week.status,
        previous_week.value as previous_value,
        {{ relative_change('this_week.value', 'previous_week.value') }} as wow
    from scorecard as this_week
    left join scorecard as previous_week
        on
            previous_week.week_start = {{ add_days('this_week.week_start', -7) }}
            and this_week.dimension = previous_week.dimension
            and this_week.kpi = previous_week.kpi
            and this_week.platform = previous_week.platform

)

select * from final
