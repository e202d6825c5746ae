{#- 《新媒体趋势洞察报告》A/B 测试: every variant of mart_ab_test_results with the quarter of its
    test, the quarter in which the earliest content of any of the test's variants was published
    (NULL when none of its contents is found in mart_content_performance). -#}

with

results as (

    select * from {{ ref('mart_ab_test_results') }}

),

contents as (

    select * from {{ ref('mart_content_performance') }}

),

dated as (

    select
        results.*,
        min(contents.published_date) over (partition by results.test_id) as test_date
    from results
    left join contents on results.content_key = contents.content_key

),

final as (

    select
        case
            when test_date is not null then {{ quarter_text(quarter_start('test_date')) }}
        end as quarter_label,
        test_date,
        test_id,
        variant,
        hypothesis,
        platform,
        content_key,
        impressions,
        clicks,
        rate,
        lift,
        p_value,
        is_significant,
        verdict
    from dated

)

select * from final
