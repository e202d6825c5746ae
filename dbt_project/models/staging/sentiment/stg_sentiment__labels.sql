{#- The trained classifier's label and P(negative) of each distinct mention and comment text
    (raw._sentiment_labels, written by newmedia.tasks.prepare_warehouse before dbt runs). Until
    that table exists (dbt run straight after ingest, without prepare_warehouse) no text has a
    label. -#}

{%- set labels_relation = load_relation(source('sentiment', 'labels')) %}

with

source as (

    {% if labels_relation is not none %}
        select * from {{ source('sentiment', 'labels') }}
    {% else %}
        select
            cast(null as text) as text_hash,
            cast(null as text) as sentiment,
            cast(null as double precision) as score,
            cast(null as double precision) as p_negative,
            cast(null as text) as model_version,
            cast(null as timestamptz) as classified_at
        where false
    {% endif %}

),

renamed as (

    select
        -- ids
        text_hash,

        -- dimensions
        sentiment as lexicon_label,
        model_version as lexicon_version,

        -- metrics
        score as lexicon_score,
        p_negative as negative_probability,

        -- timestamps
        classified_at

    from source

)

select * from renamed
