{#- 视频号 live sessions (视频号助手 直播数据, header unconfirmed), one row per session and export
    file; the export may carry no session id (then keyed by account and start time). -#}
{{ stage_live_sessions('wechat_channels', 'wechat_channels') }}
