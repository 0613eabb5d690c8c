import { z } from 'zod';
import type { ApiRegistry } from '../http/route.ts';
import { PageQuery } from '../../shared/schemas.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { MarkReadInput, NotificationPage, NotificationSettings, NotificationSettingsInput, UnreadCount, UnsubscribeInput } from '../../shared/notifications.ts';
import { labelsFor } from '../plan/labels.ts';
import type { NotificationsService } from './notifications.service.ts';
import type { Mailer } from './mailer.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';

const tag = 'Notifications';

export function notificationsRoutes(api: ApiRegistry, notifications: NotificationsService, mailer: Mailer): void {
  api.add(
    { method: 'get', path: '/notifications', tag, summary: 'Your notifications, newest first, as you may see them now', query: PageQuery, response: NotificationPage },
    ({ auth, query }) => notifications.list(auth.user._id, query),
  );
  api.add({ method: 'get', path: '/notifications/unread', tag, summary: 'How many of your notifications are unread', response: UnreadCount }, async ({ auth }) => ({
    unread: await notifications.unread(auth.user._id),
  }));
  api.add(
    { method: 'post', path: '/notifications/read', tag, summary: 'Mark some of your notifications read', body: MarkReadInput, response: UnreadCount },
    async ({ auth, body }) => ({ unread: await notifications.markRead(auth.user._id, body.ids) }),
  );
  api.add({ method: 'post', path: '/notifications/read-all', tag, summary: 'Mark all your notifications read', response: UnreadCount }, async ({ auth }) => ({
    unread: await notifications.markAllRead(auth.user._id),
  }));
  api.add(
    { method: 'get', path: '/notifications/settings', tag, summary: 'Whether you get e-mail about notifications (off by default)', response: NotificationSettings },
    async ({ auth }) => ({ email: await notifications.emailMode(auth.user._id), mailAvailable: mailer.available }),
  );
  api.add(
    {
      method: 'put',
      path: '/notifications/settings',
      tag,
      summary: 'Choose e-mail about notifications: off, immediate or a daily digest',
      body: NotificationSettingsInput,
      response: NotificationSettings,
    },
    async ({ auth, body }) => {
      await notifications.setEmailMode(auth.user._id, body.email);
      return { email: body.email, mailAvailable: mailer.available };
    },
  );
  // The link in every mail: opens a page that asks to confirm (link checkers fetch links; only the POST acts).
  api.add(
    {
      method: 'get',
      path: '/notifications/unsubscribe',
      tag,
      auth: false,
      summary: 'The page behind the unsubscribe link in a notification mail: a button that turns mail off, no sign-in needed',
      query: UnsubscribeInput,
      response: z.string(),
      contentType: 'text/html; charset=utf-8',
      errors: [ErrorCode.notFound],
    },
    async ({ query }) => {
      const language = await mailer.check(query.u, query.t);
      if (!language) throw AppError.notFound('Subscription');
      const t = labelsFor(language);
      const action = `/api/notifications/unsubscribe?u=${encodeURIComponent(query.u)}&t=${encodeURIComponent(query.t)}`;
      return page(language, t('notifications.unsubscribe.title'), `<form method="post" action="${escape(action)}"><button type="submit">${escape(t('notifications.unsubscribe.confirm'))}</button></form>`);
    },
  );
  // The form's POST, and mail clients' one-click unsubscribe (RFC 8058).
  api.add(
    {
      method: 'post',
      path: '/notifications/unsubscribe',
      tag,
      auth: false,
      summary: 'Turn notification mail off from the signed link in a mail (one-click unsubscribe)',
      query: UnsubscribeInput,
      response: z.string(),
      contentType: 'text/html; charset=utf-8',
      errors: [ErrorCode.notFound],
    },
    async ({ query }) => {
      const language = await mailer.unsubscribe(query.u, query.t);
      if (!language) throw AppError.notFound('Subscription');
      const t = labelsFor(language);
      return page(language, t('notifications.unsubscribe.title'), `<p>${escape(t('notifications.unsubscribe.done'))}</p>`);
    },
  );
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (language: Locale, title: string, body: string) =>
  `<!doctype html><html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
