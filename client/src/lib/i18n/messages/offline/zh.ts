import type offlineEn from './en.ts';

/** zh strings of working offline; the type requires every key of the English ones. */
export default {
  'offline.offlineNothing': "您已离线。您可以继续阅读和编写；更改保存在此设备上。",
  'offline.waiting': "{count, plural, other {# 项更改等待发送}}",
  'offline.whenBack': "连接恢复后将发送。",
  'offline.sending': "正在发送…",
  'offline.queuedTitle': "等待发送",
  'offline.queuedComment': "评论：{text}",
  'offline.queuedReply': "回复：{text}",
  'offline.queuedPosition': "立场：{stance}",
  'offline.queuedPositionCleared': "已撤回立场",
  'offline.queuedNotice': "已保存在此设备上；连接恢复后将发送。",
  'offline.refusedNotice': "离线时写的内容无法发送：{reason}",
  'offline.notSavedLocally': "部分更改未保存在此设备上：请保持此页面打开，直到发送完成。",
} satisfies Record<keyof typeof offlineEn, string>;
