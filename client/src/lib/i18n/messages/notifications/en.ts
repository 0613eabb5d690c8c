/** English strings of notifications (the centre in the header, the e-mail setting, the mails), merged into the English catalogue. */
export default {
  // Header button opening the notification centre (accessible name); {count}: unread notifications.
  'notifications.button': 'Notifications, {count, plural, =0 {none unread} one {# unread} other {# unread}}',
  // Heading of the notification centre panel.
  'notifications.title': 'Notifications',
  // Notification centre, when the person has no notifications.
  'notifications.empty': 'No notifications yet.',
  // Notification centre button marking every notification read.
  'notifications.markAllRead': 'Mark all as read',
  // Notification centre: loads the next page of older notifications.
  'notifications.more': 'Show older notifications',
  // Notification centre: marker before an unread notification (read by screen readers).
  'notifications.unread': 'Unread',
  // Notification centre: close button of the panel.
  'notifications.close': 'Close notifications',
  // Notification centre: shown when loading failed.
  'notifications.failed': 'Notifications could not be loaded.',
  // A reply notification. {who}: the replier as the app may show them (name or alias); {consultation}: consultation title.
  'notifications.kind.reply': '{who} replied in a thread you took part in, in “{consultation}”',
  // A decision notification (accepted). {who}: the drafter who decided; {consultation}: consultation title.
  'notifications.kind.accepted': '{who} accepted your proposal in “{consultation}”',
  // A decision notification (declined). {who}: the drafter who decided; {consultation}: consultation title.
  'notifications.kind.declined': '{who} declined your proposal in “{consultation}”',
  // A phase change notification. {consultation}: consultation title; {phase}: the new phase's name.
  'notifications.kind.phase': '“{consultation}” is now in the phase: {phase}',
  // A meeting scheduled notification. {meeting}: meeting title; {consultation}: consultation title.
  'notifications.kind.meeting_scheduled': 'Meeting scheduled: “{meeting}”, in “{consultation}”',
  // A meeting started notification. {meeting}: meeting title; {consultation}: consultation title.
  'notifications.kind.meeting_started': 'Meeting started now: “{meeting}”, in “{consultation}”',
  // For facilitators: a comment flagged for moderation. {consultation}: consultation title.
  'notifications.kind.flag': 'A flagged comment waits for moderation in “{consultation}”',
  // Stands for a person the notification cannot name (their account was erased).
  'notifications.someone': 'Someone',
  // Account page: heading of the notification e-mail setting.
  'notifications.settings.title': 'E-mail about notifications',
  // Account page: option, no e-mail (the default).
  'notifications.settings.off': 'No e-mail',
  // Account page: option, one e-mail as notifications arrive.
  'notifications.settings.immediate': 'An e-mail as notifications arrive',
  // Account page: option, one e-mail a day.
  'notifications.settings.digest': 'A daily digest',
  // Account page: what the mails contain (privacy).
  'notifications.settings.hint':
    'The e-mails only say how many notifications wait, with a link to Convene: no names, titles or comment text. Your e-mail address is never shown to other members.',
  // Account page: the server has no mail configured.
  'notifications.settings.unavailable': 'This server does not send e-mail at the moment; your choice is kept.',
  // Account page: the setting was saved.
  'notifications.settings.saved': 'Your e-mail choice is saved.',
  // Mail subject, sent immediately. {count}: new notifications.
  'notifications.mail.subject': '{count, plural, one {# new notification} other {# new notifications}} on Convene',
  // Mail subject of the daily digest. {count}: new notifications.
  'notifications.mail.digestSubject': 'Your Convene digest: {count, plural, one {# new notification} other {# new notifications}}',
  // Mail body first line. {count}: new notifications.
  'notifications.mail.body': 'You have {count, plural, one {# new notification} other {# new notifications}} on Convene.',
  // Mail text part: the link to the app. {url}: the address.
  'notifications.mail.open': 'Open Convene to read them: {url}',
  // Mail HTML part: the link text to the app.
  'notifications.mail.openLink': 'Open Convene',
  // Mail text part: the unsubscribe link. {url}: the address.
  'notifications.mail.unsubscribe': 'To stop these e-mails: {url}',
  // Mail HTML part: the unsubscribe link text.
  'notifications.mail.unsubscribeLink': 'Stop these e-mails',
  // Unsubscribe page (opened from a mail, without signing in): title.
  'notifications.unsubscribe.title': 'E-mail about notifications',
  // Unsubscribe page: the confirming button.
  'notifications.unsubscribe.confirm': 'Stop notification e-mails',
  // Unsubscribe page: after confirming.
  'notifications.unsubscribe.done': 'You will get no more notification e-mails. You can turn them on again on your account page.',
} as const;
