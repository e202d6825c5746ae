{#- Every content platform's snapshots on one column contract (macros/content_snapshots.sql), one
    row per content, snapshot date and source row. Each platform has its conformed model in
    conformed/ (int_<platform>__content_snapshots); a new content platform adds its model here. -#}

with

unioned as (

    {{ union_content_snapshots([
        ref('int_wechat_oa__content_snapshots'),
        ref('int_wechat_channels__content_snapshots'),
        ref('int_douyin__content_snapshots'),
        ref('int_xiaohongshu__content_snapshots'),
        ref('int_bilibili__content_snapshots'),
        ref('int_kuaishou__content_snapshots'),
    ]) }}

),

final as (

    select
        {{ dbt.hash("platform || '|' || account_id || '|' || content_id") }} as content_key,
        *
    from unioned

)

select * from final
