/** English strings of working offline (the waiting-changes status, the leave-page guard), merged into the English catalogue. */
export default {
  // Document page, status line above the text: shown while offline with nothing waiting. No placeholders.
  'offline.offlineNothing': 'You are offline. You can keep reading and writing; changes are kept on this device.',
  // Document page, status line: {count} = document edits not yet received by the server plus comments, replies and positions queued.
  'offline.waiting': '{count, plural, one {# change waiting to be sent} other {# changes waiting to be sent}}',
  // Document page, status line after the count, while offline. No placeholders.
  'offline.whenBack': 'They will be sent when the connection is back.',
  // Document page, status line after the count, while connected and sending. No placeholders.
  'offline.sending': 'Sending…',
  // Document page, heading of the list of queued comments, replies and positions. No placeholders.
  'offline.queuedTitle': 'Waiting to be sent',
  // Document page, one queued new comment in that list: {text} = the comment's words.
  'offline.queuedComment': 'Comment: {text}',
  // Document page, one queued reply in that list: {text} = the reply's words.
  'offline.queuedReply': 'Reply: {text}',
  // Document page, one queued position in that list: {stance} = the stance's name (Support, Object, Neutral).
  'offline.queuedPosition': 'Position: {stance}',
  // Document page, one queued withdrawal of a position in that list. No placeholders.
  'offline.queuedPositionCleared': 'Position withdrawn',
  // Screen-reader announcement after writing something offline. No placeholders.
  'offline.queuedNotice': 'Saved on this device; it will be sent when the connection is back.',
  // Screen-reader announcement when the server refused a queued item: {reason} = the error's explanation.
  'offline.refusedNotice': 'Something written offline could not be sent: {reason}',
  // Document page, warning when changes exist only in this page (this device could not store them): no placeholders.
  'offline.notSavedLocally': 'Some changes are not stored on this device: keep this page open until they are sent.',
} as const;
