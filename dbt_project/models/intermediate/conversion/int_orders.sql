{#- 抖店 sub-orders, each at its latest snapshot (a later export's status wins: an order paid in
    one export and cancelled in the next is cancelled). GMV counts a sub-order's 订单应付金额 when
    it was paid and is not cancelled, on its Shanghai payment date, for the platform douyin.
    Incremental (delete+insert on sub_order_id): a run re-ranks every snapshot of the sub-orders
    that appear in a snapshot within `lookback_days` of the latest one already built or in a file
    ingested since the last run. -#}

{{
    config(
        materialized='incremental',
        unique_key='sub_order_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with

snapshots as (

    select * from {{ ref('stg_douyin_shop__orders') }}

),

{% if is_incremental() %}
changed as (

    select distinct sub_order_id
    from snapshots
    where {{ incremental_window_filter() }}

),
{% endif %}

orders as (

    select
        *,
        row_number() over (
            partition by sub_order_id
            order by {{ latest_first() }}
        ) as recency
    from snapshots
    {% if is_incremental() %}
        where sub_order_id in (select changed.sub_order_id from changed)
    {% endif %}

),

final as (

    select
        platform,
        data_source,
        account_id,
        order_id,
        sub_order_id,
        product_id,
        product_name,
        status,
        is_cancelled,
        is_paid,
        is_paid and not is_cancelled as is_net_paid,
        case when is_paid and not is_cancelled then payable_amount else 0 end as net_gmv,
        payable_amount,
        quantity,
        coalesce(channel, 'unknown') as channel,
        linked_content_id,
        buyer_hash,
        submitted_at,
        paid_at,
        paid_date,
        snapshot_date,
        ingested_at
    from orders
    where recency = 1

)

select * from final
