import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Store } from '../store/types.ts';
import type { Logger } from '../logger.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import { usersCollection } from '../accounts/accounts.repository.ts';
import { labelsFor } from '../plan/labels.ts';
import { KeyedLock } from '../lock.ts';
import { notificationsCollection, notificationSettingsCollection, secretsCollection } from './notifications.repository.ts';
import type { NotificationsService } from './notifications.service.ts';

export interface MailConfig {
  /** nodemailer's SMTP URL (smtp://user:pass@host:587, smtps://…); unset means no mail at all. */
  smtpUrl: string | undefined;
  from: string;
  /** Where the instance is reached from outside, for the links in mails. */
  publicUrl: string;
  /** How often the daily digest runs. */
  digestEveryMs: number;
}

/**
 * E-mail about notifications, for those who asked for it. A mail says only
 * how many notifications wait and links to the app: no names, titles, quotes
 * or comment text, since a mail is read on shared devices and forwarded, and
 * some readers risk reprisals for taking part. Each mail goes to one person,
 * in their language, with a signed link that turns mail off without signing in.
 */
export class Mailer {
  readonly #transport: Transporter | null;
  readonly #users;
  readonly #records;
  readonly #settings;
  readonly #secrets;
  readonly #lock = new KeyedLock();
  #key: Buffer | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    store: Store,
    private readonly notifications: NotificationsService,
    private readonly config: MailConfig,
    private readonly logger: Logger,
  ) {
    this.#transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
    this.#users = usersCollection(store);
    this.#records = notificationsCollection(store);
    this.#settings = notificationSettingsCollection(store);
    this.#secrets = secretsCollection(store);
  }

  get available(): boolean {
    return this.#transport !== null;
  }

  async start(): Promise<void> {
    const stored = await this.#secrets.findOne({ _id: 'unsubscribe' });
    if (stored) this.#key = Buffer.from(stored.key, 'base64');
    else {
      const key = randomBytes(32).toString('base64');
      await this.#secrets.updateOne({ _id: 'unsubscribe' }, { $set: { key } }, { upsert: true });
      this.#key = Buffer.from((await this.#secrets.findOne({ _id: 'unsubscribe' }))!.key, 'base64');
    }
    this.notifications.created = (userId) => void this.immediate(userId).catch((err: unknown) => this.logger.error({ err }, 'a notification mail failed'));
    if (this.#transport) {
      this.#timer = setInterval(() => void this.runDigest().catch((err: unknown) => this.logger.error({ err }, 'the notification digest failed')), this.config.digestEveryMs);
      this.#timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#transport?.close();
  }

  /** The token in a person's unsubscribe link: proof the link was made here for them. */
  token(userId: string): string {
    if (!this.#key) throw new Error('the mailer has not started');
    return createHmac('sha256', this.#key).update(`unsubscribe:${userId}`).digest('base64url');
  }

  /** The language of the person an unsubscribe link was made for, or null when the link is not genuine (or they are gone). */
  async check(userId: string, token: string): Promise<Locale | null> {
    const expected = Buffer.from(this.token(userId));
    const given = Buffer.from(token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return (await this.#users.findOne({ _id: userId }))?.language ?? null;
  }

  /** Turns a person's mail off from their unsubscribe link; their language, or null when the link is not genuine. */
  async unsubscribe(userId: string, token: string): Promise<Locale | null> {
    const language = await this.check(userId, token);
    if (language) await this.notifications.setEmailMode(userId, 'off');
    return language;
  }

  unsubscribeUrl(userId: string): string {
    return `${this.config.publicUrl}/api/notifications/unsubscribe?u=${encodeURIComponent(userId)}&t=${this.token(userId)}`;
  }

  /** Mails a person who chose immediate mail what has not been mailed to them yet. */
  async immediate(userId: string): Promise<void> {
    if (!this.#transport) return;
    if ((await this.notifications.emailMode(userId)) !== 'immediate') return;
    await this.#send(userId, false);
  }

  /** One mail to each person who chose the digest, with what arrived since their last one. Runs on a timer; tests call it directly. */
  async runDigest(): Promise<void> {
    if (!this.#transport) return;
    for (const s of await this.#settings.find({ email: 'digest' })) await this.#send(s._id, true);
  }

  /** Sends one mail about this person's notifications not yet mailed (those made after they turned mail on), then marks them mailed. */
  #send(userId: string, digest: boolean): Promise<void> {
    return this.#lock.run(userId, async () => {
      const settings = await this.#settings.findOne({ _id: userId });
      const user = await this.#users.findOne({ _id: userId });
      // An erased account's choice goes with it.
      if (settings && !user) await this.#settings.deleteOne({ _id: userId });
      if (!settings || settings.email === 'off' || !user) return;
      const pending = await this.#records.find({ userId, mailedAt: null, read: false, createdAt: { $gte: settings.updatedAt } });
      const shown = (await Promise.all(pending.map((r) => this.notifications.view(r)))).filter((v) => v !== null);
      if (shown.length === 0) return;
      const t = labelsFor(user.language);
      const count = shown.length;
      const open = this.config.publicUrl + '/';
      const unsubscribe = this.unsubscribeUrl(userId);
      const subject = t(digest ? 'notifications.mail.digestSubject' : 'notifications.mail.subject', { count });
      const lines = [t('notifications.mail.body', { count }), t('notifications.mail.open', { url: open }), '', t('notifications.mail.unsubscribe', { url: unsubscribe })];
      const dir = user.language === 'ar' ? 'rtl' : 'ltr';
      const html =
        `<!doctype html><html lang="${user.language}" dir="${dir}"><body>` +
        `<p>${escape(t('notifications.mail.body', { count }))}</p>` +
        `<p><a href="${escape(open)}">${escape(t('notifications.mail.openLink'))}</a></p>` +
        `<p><small><a href="${escape(unsubscribe)}">${escape(t('notifications.mail.unsubscribeLink'))}</a></small></p></body></html>`;
      await this.#transport!.sendMail({
        from: this.config.from,
        to: user.email,
        subject,
        text: lines.join('\n'),
        html,
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      const now = new Date().toISOString();
      for (const r of pending) await this.#records.updateOne({ _id: r._id }, { $set: { mailedAt: now } });
    });
  }
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
