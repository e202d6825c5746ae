{#- 抖店 sub-orders, each at its latest snapshot (a later export's status wins: an order paid in
    one export and cancelled in the next is cancelled). GMV counts a sub-order's 订单应付金额 when
    it was paid and is not cancelled, on its Shanghai payment date, for the platform douyin. -#}

with

orders as (

    select
        *,
        row_number() over (
            partition by sub_order_id
            order by snapshot_date desc, ingested_at desc, file_sha256 desc, file_row_number desc
        ) as recency
    from {{ ref('stg_douyin_shop__orders') }}

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
        snapshot_date
    from orders
    where recency = 1

)

select * from final
