import { describe, expect, it } from 'vitest';
import mammoth from 'mammoth';
import { minutesDocx } from '../server/report/report.docx.ts';
import type { Minutes } from '../shared/minutes.ts';

/** Minutes with every field filled, as the live minutes will hold them (the baseline source leaves speeches, decisions and notes empty). */
const minutes: Minutes = {
  meetingId: '11111111-1111-4111-8111-111111111111',
  consultationId: '22222222-2222-4222-8222-222222222222',
  title: 'Validation workshop',
  startsAt: '2027-01-01T09:00:00.000Z',
  startedAt: '2027-01-01T09:05:00.000Z',
  endedAt: '2027-01-01T11:00:00.000Z',
  agenda: ['Opening', 'Chapter 1: civic space'],
  speeches: [
    { id: 'speech-1', speaker: { memberId: '33333333-3333-4333-8333-333333333333', alias: 7, group: 'nhri', role: 'contributor' }, agendaItem: 1, startedAt: '2027-01-01T09:10:00.000Z', seconds: 125 },
    { id: 'speech-2', speaker: { memberId: '44444444-4444-4444-8444-444444444444', alias: 2, group: 'government', role: 'drafter' }, agendaItem: null, startedAt: '2027-01-01T09:20:00.000Z', seconds: 61 },
  ],
  decisions: [{ id: '55555555-5555-4555-8555-555555555555', agendaItem: 1, text: 'Keep the right of peaceful assembly unconditional', notedAt: '2027-01-01T09:30:00.000Z' }],
  polls: [
    {
      pollId: '66666666-6666-4666-8666-666666666666',
      agendaItem: 1,
      question: 'Adopt chapter 1?',
      options: ['Yes', 'No'],
      status: 'closed',
      results: { total: 3, byOption: [2, 1], byGroup: { government: [0, 0], nhri: [1, 0], civil_society: [1, 1], international: [0, 0], other: [0, 0] } },
    },
    { pollId: '77777777-7777-4777-8777-777777777777', agendaItem: null, question: 'Meet again in March?', options: ['Yes', 'No'], status: 'open', results: null },
  ],
  notes: { general: 'Quorum reached.\nNext session in March.', items: ['Welcomed by the chair', ''] },
  editedAt: '2027-01-02T08:00:00.000Z',
  seq: 3,
};

describe('minutes as a Word document', () => {
  it('renders every field of the minutes, people by alias and group', async () => {
    const text = (await mammoth.extractRawText({ buffer: await minutesDocx(minutes, 'en') })).value.replace(/\s+/g, ' ');
    for (const expected of [
      'Minutes: Validation workshop',
      'Scheduled for January 1, 2027 at 9:00 AM UTC',
      'Held from January 1, 2027 at 9:05 AM UTC to January 1, 2027 at 11:00 AM UTC',
      'Minutes last edited on January 2, 2027 at 8:00 AM UTC',
      'Item 1: Opening',
      'Welcomed by the chair',
      'NHRI participant 7 (National human rights institution): 2 min 5 s · Item 2: Chapter 1: civic space',
      'Government participant 2 (Government): 1 min 1 s · Outside the agenda',
      'Keep the right of peaceful assembly unconditional · Item 2: Chapter 1: civic space',
      'Adopt chapter 1? · Item 2: Chapter 1: civic space',
      'closed · 3 votes',
      'Option Total National human rights institution Civil society Yes 2 1 1 No 1 0 1',
      'Meet again in March? · Outside the agenda',
      'still open · Results not published.',
      'General notes Quorum reached. Next session in March.',
    ])
      expect(text).toContain(expected);
  });

  it('in Russian, with Russian plurals', async () => {
    const text = (await mammoth.extractRawText({ buffer: await minutesDocx(minutes, 'ru') })).value.replace(/\s+/g, ' ');
    expect(text).toContain('Протокол: Validation workshop');
    expect(text).toContain('3 голоса');
  });
});
