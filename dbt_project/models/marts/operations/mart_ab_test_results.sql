{#- A/B tests of titles and covers, one row per test and variant. The control is the test's first
    variant by name (A); every other variant is compared with it by a two-sided two-proportion
    z-test with pooled variance: z = (rate − control rate) / sqrt(p (1 − p) (1/n + 1/n_control)),
    p = (clicks + control clicks) / (impressions + control impressions), p_value = 2 (1 − Φ(|z|))
    with Φ from the normal_cdf macro (Abramowitz & Stegun 7.1.26, error < 1.5e-7, rounded to 6
    decimals). Below the minimum sample (vars ab_test_min_impressions and ab_test_min_clicks for
    both variants) there is no p-value and the verdict says the data are too few. -#}

{%- set too_few_text = '样本不足：每个版本至少需要 ' ~ var('ab_test_min_impressions') ~ ' 次曝光和 '
    ~ var('ab_test_min_clicks') ~ ' 次点击，暂无结论' %}

with

variants as (

    select * from {{ ref('int_ab_test_variants') }}

),

ranked as (

    select
        *,
        row_number() over (partition by test_id order by variant asc) as variant_rank
    from variants

),

controls as (

    select
        test_id,
        variant as control_variant,
        impressions as control_impressions,
        clicks as control_clicks
    from ranked
    where variant_rank = 1

),

compared as (

    select
        ranked.test_id,
        ranked.variant,
        ranked.hypothesis,
        ranked.platform,
        ranked.content_key,
        ranked.metric_basis,
        ranked.variant_rank = 1 as is_control,
        controls.control_variant,
        ranked.impressions,
        ranked.clicks,
        controls.control_impressions,
        controls.control_clicks,
        {{ safe_ratio('ranked.clicks', 'ranked.impressions') }} as rate,
        {{ safe_ratio('controls.control_clicks', 'controls.control_impressions') }}
            as control_rate,
        coalesce(
            ranked.impressions >= {{ var('ab_test_min_impressions') }}
            and controls.control_impressions >= {{ var('ab_test_min_impressions') }}
            and ranked.clicks >= {{ var('ab_test_min_clicks') }}
            and controls.control_clicks >= {{ var('ab_test_min_clicks') }}
            and ranked.clicks <= ranked.impressions
            and controls.control_clicks <= controls.control_impressions,
            false
        ) as has_min_sample,
        {{ safe_ratio(
            'ranked.clicks + controls.control_clicks',
            'ranked.impressions + controls.control_impressions'
        ) }} as pooled_rate
    from ranked
    inner join controls on ranked.test_id = controls.test_id

),

tested as (

    select
        *,
        case
            when not is_control and has_min_sample and pooled_rate > 0 and pooled_rate < 1
                then (rate - control_rate) / sqrt(
                    pooled_rate * (1 - pooled_rate)
                    * (1.0 / impressions + 1.0 / control_impressions)
                )
        end as z_score
    from compared

),

scored as (

    select
        *,
        {{ round_to('2.0 * (1.0 - ' ~ normal_cdf('abs(z_score)') ~ ')', 6) }} as p_value
    from tested

),

final as (

    select
        test_id,
        variant,
        hypothesis,
        platform,
        content_key,
        metric_basis,
        is_control,
        control_variant,
        impressions,
        clicks,
        rate,
        case when not is_control then rate / nullif(control_rate, 0) - 1 end as lift,
        z_score,
        p_value,
        case
            when is_control or not has_min_sample then null
            else p_value < {{ var('ab_test_alpha') }}
        end as is_significant,
        case
            when is_control then 'control'
            when metric_basis = 'unmatched' or control_rate is null then 'no_data'
            when not has_min_sample then 'insufficient_data'
            when p_value < {{ var('ab_test_alpha') }} and rate > control_rate then 'better'
            when p_value < {{ var('ab_test_alpha') }} and rate < control_rate then 'worse'
            else 'no_difference'
        end as verdict_code,
        case
            when is_control then '对照组（' || variant || '）'
            when metric_basis = 'unmatched' or control_rate is null
                then '找不到该版本或对照组的内容数据，无法比较'
            when not has_min_sample then '{{ too_few_text }}'
            when p_value < {{ var('ab_test_alpha') }} and rate > control_rate
                then variant || ' 显著优于 ' || control_variant
            when p_value < {{ var('ab_test_alpha') }} and rate < control_rate
                then variant || ' 显著差于 ' || control_variant
            else variant || ' 与 ' || control_variant || ' 无显著差异'
        end as verdict
    from scored

)

select * from final
