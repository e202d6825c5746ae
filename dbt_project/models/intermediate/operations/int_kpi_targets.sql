{#- KPI targets per kpi, platform ('all' for the total) and ISO week; the snapshot ingested last
    wins. -#}

with

targets as (

    select
        *,
        row_number() over (
            partition by kpi, platform, period
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__kpi_targets') }}

),

final as (

    select
        kpi_id,
        dimension,
        kpi,
        platform,
        period as week,
        {{ iso_week_start('period') }} as week_start,
        target
    from targets
    where recency = 1

)

select * from final
