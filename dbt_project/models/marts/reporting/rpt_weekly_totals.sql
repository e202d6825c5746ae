{#- 《数据复盘报告》summary: per ISO week with a scorecard, contents or conversion, the KPIs of all
    platforms that met, missed or have a target; the GMV attributed to the week's contents (NULL
    when none of them can be linked to orders, which is not 0) and the GMV of all platforms (0
    when none is known). -#}

with

scorecard as (

    select * from {{ ref('mart_kpi_scorecard_weekly') }}
    where platform = 'all'

),

contents as (

    select * from {{ ref('rpt_weekly_contents') }}

),

conversion as (

    select * from {{ ref('mart_conversion_roi_weekly') }}

),

kpis as (

    select
        week_start,
        sum(case when status = 'met' then 1 else 0 end) as kpi_met,
        sum(case when status = 'missed' then 1 else 0 end) as kpi_missed,
        sum(case when status in ('met', 'missed') then 1 else 0 end) as kpi_with_target
    from scorecard
    group by week_start

),

attributed as (

    select
        week_start,
        sum(attributed_gmv) as attributed_gmv
    from contents
    group by week_start

),

sold as (

    select
        week_start,
        sum(gmv) as total_gmv
    from conversion
    group by week_start

),

grid as (

    select week_start from kpis
    union
    select week_start from attributed
    union
    select week_start from sold

),

final as (

    select
        {{ iso_week('grid.week_start') }} as week_label,
        grid.week_start,
        cast(coalesce(kpis.kpi_met, 0) as bigint) as kpi_met,
        cast(coalesce(kpis.kpi_missed, 0) as bigint) as kpi_missed,
        cast(coalesce(kpis.kpi_with_target, 0) as bigint) as kpi_with_target,
        cast(attributed.attributed_gmv as double precision) as attributed_gmv,
        cast(coalesce(sold.total_gmv, 0) as double precision) as total_gmv
    from grid
    left join kpis on grid.week_start = kpis.week_start
    left join attributed on grid.week_start = attributed.week_start
    left join sold on grid.week_start = sold.week_start

)

select * from final
