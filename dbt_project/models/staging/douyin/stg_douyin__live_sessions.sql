{#- 抖音 live sessions (抖音电商罗盘 直播列表 or the creator centre's 直播数据), one row per session
    and export file. -#}
{{ stage_live_sessions('douyin', 'douyin') }}
