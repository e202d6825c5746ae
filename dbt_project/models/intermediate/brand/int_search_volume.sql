{#- Search volume per brand keyword, platform, tool and day (the snapshot ingested last wins). -#}

with

search_index as (

    select
        *,
        row_number() over (
            partition by search_date, keyword, platform, coalesce(index_source, '')
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__search_index') }}

),

final as (

    select
        search_date,
        keyword,
        platform,
        coalesce(index_source, 'unknown') as index_source,
        search_volume
    from search_index
    where recency = 1

)

select * from final
