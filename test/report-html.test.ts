import { describe, expect, it } from 'vitest';
import { reportHtml, minutesHtml } from '../server/report/report.html.ts';
import type { ReportData } from '../server/report/report.data.ts';
import type { Minutes } from '../shared/minutes.ts';
import { stakeholderGroups } from '../shared/groups.ts';

const attack = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&';

const minutes: Minutes = {
  meetingId: '11111111-1111-4111-8111-111111111111',
  consultationId: '22222222-2222-4222-8222-222222222222',
  title: attack,
  startsAt: '2027-01-01T09:00:00.000Z',
  startedAt: '2027-01-01T09:05:00.000Z',
  endedAt: '2027-01-01T10:00:00.000Z',
  agenda: ['Opening', attack],
  speeches: [{ id: 'speech-1', speaker: { memberId: '33333333-3333-4333-8333-333333333333', alias: 7, group: 'nhri', role: 'contributor' }, agendaItem: 1, startedAt: '2027-01-01T09:10:00.000Z', seconds: 125 }],
  decisions: [{ id: '44444444-4444-4444-8444-444444444444', agendaItem: 0, text: attack, notedAt: '2027-01-01T09:20:00.000Z' }],
  polls: [],
  notes: { general: attack, items: ['', attack] },
  editedAt: null,
  seq: 1,
};

const data = (locale: ReportData['locale']): ReportData => ({
  locale,
  title: attack,
  country: 'KE',
  phase: 'adopted',
  generatedAt: '2027-02-01T00:00:00.000Z',
  documents: [{ title: attack, blocks: [{ kind: 'paragraph', text: attack }], sections: [{ title: attack, threads: [] }] }],
  participation: stakeholderGroups.map((group) => ({ group, invited: 1, joined: 1, active: 1, comments: 2, positions: 3, proposals: 0, accepted: 0, speakingSeconds: 120 })),
  minutes: [minutes],
  moderation: { reported: { pending: 0, hidden: 1, restored: 0, dismissed: 0 }, hiddenByReason: [{ reason: attack, count: 1 }] },
});

describe('the report as HTML for printing', () => {
  it('escapes everything people typed', () => {
    for (const html of [reportHtml(data('en')), minutesHtml(minutes, 'en')]) {
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;&#39;&amp;');
    }
  });

  it('sets lang and dir per language, mirrors its charts for Arabic, and draws one per participation view', () => {
    const ar = reportHtml(data('ar'));
    expect(ar).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar).toContain('تقرير المشاورة');
    expect(ar.match(/<svg /g)).toHaveLength(3);
    // Mirrored: the first group's label sits right of the plot, anchored at its start.
    expect(ar).toContain('text-anchor="start">الحكومة</text>');
    const zh = reportHtml(data('zh'));
    expect(zh).toMatch(/<html lang="zh" dir="ltr">/);
    expect(zh).toContain('磋商报告');
    // The country as the reader's language names it.
    expect(zh).toContain('肯尼亚');
    expect(reportHtml(data('en'))).toContain('Kenya · Adopted');
  });

  it('writes a speaker by alias and group with the time they spoke', () => {
    expect(minutesHtml(minutes, 'en')).toContain('NHRI participant 7 (National human rights institution): 2 min 5 s');
  });

  it('writes a speaker who was erased as a former participant of their group, never by the alias they had', () => {
    const erased: Minutes = { ...minutes, speeches: [{ ...minutes.speeches[0]!, speaker: { ...minutes.speeches[0]!.speaker, former: true } }] };
    const html = minutesHtml(erased, 'en');
    expect(html).toContain('Former participant (National human rights institution): 2 min 5 s');
    expect(html).not.toContain('participant 7');
  });
});
