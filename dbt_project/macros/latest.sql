{#- Which row of a key is the latest — the one rule every "latest snapshot" in the project uses:
    the newest snapshot date, then the file ingested last, then (a tie inside one file) the last
    row of the file. `relation` qualifies the columns when the query joins. Used as
    `row_number() over (partition by <key> order by {{ latest_first() }})`, keeping rank 1. -#}
{% macro latest_first(relation=none) -%}
    {%- set p = (relation ~ '.') if relation else '' -%}
    {{ p }}snapshot_date desc, {{ p }}ingested_at desc, {{ p }}file_sha256 desc, {{ p }}file_row_number desc
{%- endmacro %}
