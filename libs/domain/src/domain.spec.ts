import JSZip from 'jszip';
import { chineseDate, addToDate } from './dates';
import { reviewClue, type ReviewInput } from './clue-review';
import { clueRates, percentage } from './clue-metrics';
import { draftLetter, letterDocx } from './letters';

describe('dates', () => {
  it('writes dates in Chinese numerals as official documents do', () => {
    expect(chineseDate('2026-10-16')).toBe('二〇二六年十月十六日');
    expect(chineseDate('2027-01-01')).toBe('二〇二七年一月一日');
    expect(chineseDate('2030-12-31')).toBe('二〇三〇年十二月三十一日');
    expect(chineseDate('2026-11-20')).toBe('二〇二六年十一月二十日');
  });

  it('moves dates by months with the end of month clamped', () => {
    expect(addToDate('2026-08-31', 'P6M')).toBe('2027-02-28');
    expect(addToDate('2026-03-02', 'P3M')).toBe('2026-06-02');
  });
});

describe('the monthly review', () => {
  const base: ReviewInput = { today: '2026-10-10', feedbackDue: '2026-10-08', lastChange: '2026-09-01', staleMonths: 3, reminderPeriod: 'P1M', letters: [] };

  it('drafts a reminder for an overdue feedback, then a supervision letter once the reminder period has passed', () => {
    expect(reviewClue(base)).toEqual({ kind: 'reminder', cause: 'feedback:2026-10-08', reason: 'feedback-overdue' });
    const reminder = { kind: 'reminder' as const, cause: 'feedback:2026-10-08', status: 'issued' as const, issuedOn: '2026-10-12' };
    expect(reviewClue({ ...base, today: '2026-11-11', letters: [reminder] })).toBeNull();
    expect(reviewClue({ ...base, today: '2026-11-12', letters: [reminder] })).toEqual({ kind: 'supervision', cause: 'feedback:2026-10-08', reason: 'feedback-overdue' });
    const supervision = { kind: 'supervision' as const, cause: 'feedback:2026-10-08', status: 'issued' as const, issuedOn: '2026-11-13' };
    expect(reviewClue({ ...base, today: '2027-01-01', letters: [reminder, supervision] })).toBeNull();
  });

  it('waits while a draft is with the leader, and drafts again after a withdrawal', () => {
    const draft = { kind: 'reminder' as const, cause: 'feedback:2026-10-08', status: 'draft' as const, issuedOn: null };
    expect(reviewClue({ ...base, letters: [draft] })).toBeNull();
    expect(reviewClue({ ...base, letters: [{ ...draft, status: 'withdrawn' }] })?.kind).toBe('reminder');
  });

  it('counts three months without change or feedback as stalled, and nothing before', () => {
    const onTime = { ...base, feedbackDue: '2027-03-01' };
    expect(reviewClue({ ...onTime, today: '2026-11-30' })).toBeNull();
    expect(reviewClue({ ...onTime, today: '2026-12-01' })).toEqual({ kind: 'reminder', cause: 'stall:2026-09-01', reason: 'stalled' });
    expect(reviewClue({ ...onTime, today: '2026-12-01', staleMonths: 4 })).toBeNull();
  });
});

describe('metrics', () => {
  it('reproduces the seeds: 38 of 69 closed is 55.1 %, 37 filed of 152 closed is 24.3 %', () => {
    expect(clueRates({ received: 69, closed: 38, filed: 0 }).completionRate).toBe(55.1);
    expect(clueRates({ received: 200, closed: 152, filed: 37 }).filingRate).toBe(24.3);
    expect(percentage(1, 0)).toBeNull();
  });
});

describe('letters', () => {
  it('drafts a supervision letter that names the clue by number only and lays it out as an official document', async () => {
    const text = draftLetter({
      kind: 'supervision',
      reason: 'feedback-overdue',
      clueNumber: '巡移〔2026〕12号',
      roundName: '十五届区委第五轮巡察',
      receivedOn: '2026-04-04',
      officeName: '第一纪检监察室',
      since: '2026-10-08',
      reminderNumber: '案管提〔2026〕3号',
      answerWithin: 10,
    });
    expect(text.title).toBe('关于巡移〔2026〕12号问题线索办理情况的督办函');
    expect(text.body.join('')).toContain('《提醒函》（案管提〔2026〕3号）');
    const docx = await letterDocx({ ...text, kind: 'supervision', authority: '区纪委监委案件监督管理室', number: '案管督〔2026〕1号', issuedOn: '2026-11-12' });
    const zip = await JSZip.loadAsync(docx);
    const xml = await zip.file('word/document.xml')!.async('string');
    const words = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).filter((word) => word !== '').join('|');
    expect(words).toBe(
      ['区纪委监委案件监督管理室', '案管督〔2026〕1号', text.title, '第一纪检监察室：', ...text.body, '区纪委监委案件监督管理室', '二〇二六年十一月十二日'].join('|'),
    );
    expect(xml).toContain('w:color w:val="C00000"');
  });
});
