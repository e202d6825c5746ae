{#- The brand's accounts, one row per platform and account: every account that appears in an
    export (content, followers, comments, live sessions; 抖店 shops and 千川 accounts under the platform douyin
    with their data source; WeCom accounts under wecom) or in the brand_accounts template, named
    as the template names it (else by its id). -#}

with

content_accounts as (

    select
        platform,
        account_id,
        'content' as account_type,
        platform as data_source,
        1 as type_priority,
        snapshot_date
    from {{ ref('int_content_snapshots_unioned') }}

),

follower_accounts as (

    select
        platform,
        account_id,
        'content' as account_type,
        platform as data_source,
        1 as type_priority,
        snapshot_date
    from {{ ref('int_followers_daily') }}

),

comment_accounts as (

    select
        platform,
        account_id,
        'content' as account_type,
        platform as data_source,
        1 as type_priority,
        snapshot_date
    from {{ ref('int_comments') }}

),

live_accounts as (

    select
        platform,
        account_id,
        'content' as account_type,
        platform as data_source,
        1 as type_priority,
        snapshot_date
    from {{ ref('int_live_sessions') }}

),

shop_accounts as (

    select
        platform,
        account_id,
        'shop' as account_type,
        data_source,
        2 as type_priority,
        snapshot_date
    from {{ ref('int_orders') }}

),

ads_accounts as (

    select
        platform,
        account_id,
        'ads' as account_type,
        data_source,
        3 as type_priority,
        snapshot_date
    from {{ ref('stg_qianchuan__product_daily') }}

),

wecom_accounts as (

    select
        platform,
        account_id,
        'private_domain' as account_type,
        platform as data_source,
        4 as type_priority,
        snapshot_date
    from {{ ref('stg_wecom__groupchat_daily') }}
    union all
    select
        platform,
        account_id,
        'private_domain' as account_type,
        platform as data_source,
        4 as type_priority,
        snapshot_date
    from {{ ref('stg_wecom__behavior') }}

),

named as (

    select
        platform,
        account_id,
        account_name,
        row_number() over (
            partition by platform, account_id
            order by {{ latest_first() }}
        ) as recency
    from {{ ref('stg_brand__brand_accounts') }}

),

template_accounts as (

    select
        platform,
        account_id,
        'content' as account_type,
        platform as data_source,
        1 as type_priority,
        cast(null as date) as snapshot_date
    from named
    where recency = 1

),

unioned as (

    select * from content_accounts
    union all
    select * from follower_accounts
    union all
    select * from comment_accounts
    union all
    select * from live_accounts
    union all
    select * from shop_accounts
    union all
    select * from ads_accounts
    union all
    select * from wecom_accounts
    union all
    select * from template_accounts

),

ranked as (

    select
        *,
        row_number() over (
            partition by platform, account_id order by type_priority asc, data_source asc
        ) as type_rank,
        min(snapshot_date) over (partition by platform, account_id) as first_snapshot_date,
        max(snapshot_date) over (partition by platform, account_id) as last_snapshot_date
    from unioned

),

final as (

    select
        {{ dbt.hash("ranked.platform || '|' || ranked.account_id") }} as account_key,
        ranked.platform,
        ranked.account_id,
        coalesce(named.account_name, ranked.account_id) as account_name,
        ranked.data_source,
        ranked.account_type,
        ranked.first_snapshot_date,
        ranked.last_snapshot_date
    from ranked
    left join named
        on
            ranked.platform = named.platform
            and ranked.account_id = named.account_id
            and named.recency = 1
    where ranked.type_rank = 1

)

select * from final
