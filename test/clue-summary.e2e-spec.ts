import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Principal } from '@xuncha/contracts';
import { quarterBefore } from '@xuncha/domain';
import { TEMPORAL_CLIENT } from '@xuncha/runtime';
import ExcelJS from 'exceljs';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestApp, TEST_SYSTEM_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const OPERATOR: Principal = { sub: 'li.na', name: '李娜', groups: ['inspection-office'] };
const CASE_OFFICER: Principal = { sub: 'zhou.min', name: '周敏', groups: ['commission-case-office'] };
const OTHER_CASE_OFFICER: Principal = { sub: 'gao.yan', name: '高岩', groups: ['commission-case-office'] };
const OFFICER: Principal = { sub: 'li.ming', name: '李明', groups: ['commission-room-3'] };
const SUPERVISOR: Principal = { sub: 'sun.li', name: '孙立', groups: ['supervisor'] };
const UNIT_USER: Principal = { sub: 'wu.gang', name: '吴刚', groups: ['district-education-bureau', 'inspected-unit'] };

const SUMMARY = '反映某校长违规收取赞助费问题';
/** A small but real PDF: what a transfer letter's scan is sent as. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface Summary {
  id: string;
  round: { id: string; name: string };
  quarter: string;
  quarterName: string;
  asOf: string;
  figures: Record<string, number | null>;
  sentOn: string | null;
  instanceId: string;
  href: string;
}

/** Today's date where the engine keeps its calendar. */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Every cell's text of a workbook's sheet, row by row. */
function sheetText(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => (value === null || value === undefined ? '' : String(value)))));
  return rows;
}

describe('the clue process beside its ledger: quarterly summaries, attachments, round durations, past assignees', () => {
  let database: TestDatabase;
  let api: TestApp;
  let client: Client;
  let roundA: string;
  let roundB: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true, testClock: true });
    client = api.app.get<Client>(TEMPORAL_CLIENT);
    for (const unit of [
      { id: 'district-education-bureau', name: '区教育局', kind: 'inspected-unit' },
      { id: 'commission-room-3', name: '区纪委监委第三监督检查室', kind: 'commission' },
    ]) {
      expect((await api.post('/units', unit, TEST_SYSTEM_ADMIN)).status).toBe(201);
    }
    const a = await api.post(
      '/rounds',
      { name: '十五届区委第五轮巡察', kind: 'regular', periodStart: '2026-01-01', periodEnd: '2026-12-31', inspectedUnits: ['district-education-bureau'], clueDeadlines: { feedbackMonths: 3, holdPeriod: 'P2M' } },
      OPERATOR,
    );
    expect(a).toMatchObject({ status: 201, body: { clueDeadlines: { feedbackMonths: 3, holdPeriod: 'P2M' } } });
    roundA = (a.body as { id: string }).id;
    const b = await api.post('/rounds', { name: '十五届区委第六轮巡察', kind: 'special', periodStart: '2026-04-01', periodEnd: '2026-08-31', inspectedUnits: ['district-education-bureau'] }, OPERATOR);
    expect(b).toMatchObject({ status: 201, body: { clueDeadlines: {} } });
    roundB = (b.body as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const clueBody = (overrides: Record<string, unknown> = {}) => ({
    round: roundA,
    unit: 'district-education-bureau',
    office: 'commission-room-3',
    category: 'discipline',
    summary: SUMMARY,
    persons: [{ name: '钱某某', position: '某中学校长' }],
    receivedOn: '2026-03-02',
    virtualClock: { now: '2026-03-02T09:00:00+08:00' },
    ...overrides,
  });

  async function variablesOf(instanceId: string, name: string): Promise<Record<string, unknown>> {
    return waitFor(`${name} set in ${instanceId}`, async () => {
      const detail = (await api.get(`/process-instances/${instanceId}`)).body as { variables?: Record<string, unknown> };
      return detail.variables?.[name] !== undefined ? detail.variables : undefined;
    });
  }

  it('runs a clue with its round’s durations unless the clue sets its own', async () => {
    const ofRound = await api.post('/clues', clueBody(), OPERATOR);
    expect(ofRound.status).toBe(201);
    const roundVariables = await variablesOf((ofRound.body as { process: { instanceId: string } }).process.instanceId, 'feedbackPeriod');
    expect(roundVariables).toMatchObject({ feedbackMonths: 3, holdPeriod: 'P2M', reviewPeriod: 'P1M', staleMonths: 3 });

    const own = await api.post('/clues', clueBody({ deadlines: { feedbackMonths: 2 } }), OPERATOR);
    expect(own.status).toBe(201);
    const ownVariables = await variablesOf((own.body as { process: { instanceId: string } }).process.instanceId, 'feedbackPeriod');
    expect(ownVariables).toMatchObject({ feedbackMonths: 2, holdPeriod: 'P2M' });

    // A round's durations are checked like a clue's, the field named.
    const refused = await api.post('/rounds', { name: '某轮', kind: 'regular', periodStart: '2026-01-01', periodEnd: '2026-02-01', inspectedUnits: ['district-education-bureau'], clueDeadlines: { reviewPeriod: 'monthly' } }, OPERATOR);
    expect(refused).toMatchObject({ status: 400, body: { message: expect.stringContaining('clueDeadlines.reviewPeriod must be an ISO-8601 duration') } });
  }, 60_000);

  it('keeps a transfer letter’s scan with the clue’s details: its circle downloads it, the rest are refused, bad files store nothing', async () => {
    const registered = await api.post('/clues', clueBody({ attachments: [{ name: '线索移交函.pdf', contentType: 'application/pdf', content: PDF.toString('base64') }] }), OPERATOR);
    expect(registered.status).toBe(201);
    const clue = registered.body as { id: string; attachments: Array<{ id: string; name: string; size: number; sha256: string; href: string }> };
    expect(clue.attachments).toEqual([expect.objectContaining({ name: '线索移交函.pdf', contentType: 'application/pdf', size: PDF.length, uploadedBy: OPERATOR.sub })]);
    const [attachment] = clue.attachments;

    const download = await fetch(`${api.url}${attachment!.href}`, { headers: api.auth(OPERATOR) });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain(encodeURIComponent('线索移交函.pdf'));
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    const log = (await api.get(`/clues/${clue.id}/access-log`, OPERATOR)).body as Array<{ action: string; route: string }>;
    expect(log).toContainEqual(expect.objectContaining({ action: 'read-attachment', route: 'GET /clues/:id/attachments/:attachmentId' }));

    const supervisor = await fetch(`${api.url}${attachment!.href}`, { headers: api.auth(SUPERVISOR) });
    expect(supervisor.status).toBe(403);
    expect(((await supervisor.json()) as { message: string }).message).toContain('read only by those who handle it');
    expect((await fetch(`${api.url}${attachment!.href}`, { headers: api.auth(UNIT_USER) })).status).toBe(403);
    expect(await api.get(`/clues/${clue.id}/attachments/00000000-0000-4000-8000-000000000000`, OPERATOR)).toMatchObject({ status: 404 });

    const count = async (): Promise<number> =>
      Number((await database.query<{ n: string }>('SELECT (SELECT count(*) FROM clue) + (SELECT count(*) FROM clue_attachment) + (SELECT count(*) FROM clue_detail) AS n'))[0]!.n);
    const before = await count();
    const refusals: Array<[unknown, string, string]> = [
      [{ name: '扫描件.png', contentType: 'image/png', content: PDF.toString('base64') }, 'attachments[0].content', 'is not a PNG file'],
      [{ name: '扫描件.pdf', contentType: 'application/pdf', content: '%%%不是base64' }, 'attachments[0].content', 'must be the file in base64'],
      [{ name: '扫描件.exe', contentType: 'application/x-msdownload', content: PDF.toString('base64') }, 'attachments[0].contentType', 'must be one of'],
      [{ name: '../移交函.pdf', contentType: 'application/pdf', content: PDF.toString('base64') }, 'attachments[0].name', 'without "/"'],
      [{ name: '空.pdf', contentType: 'application/pdf', content: '' }, 'attachments[0].content', 'is empty'],
    ];
    for (const [given, field, message] of refusals) {
      expect(await api.post('/clues', clueBody({ attachments: [given] }), OPERATOR)).toMatchObject({ status: 400, body: { message: expect.stringContaining(message), details: { field } } });
    }
    // Past the 10 MiB of one file: refused with the field named; past the body's limit: 413.
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(10 * 1024 * 1024)]).toString('base64');
    expect(await api.post('/clues', clueBody({ attachments: [{ name: '大.pdf', contentType: 'application/pdf', content: big }] }), OPERATOR)).toMatchObject({
      status: 400,
      body: { details: { field: 'attachments[0].content' }, message: expect.stringContaining('more than 10485760 (10 MiB)') },
    });
    const tooMany = Array.from({ length: 3 }, (_, index) => ({ name: `${index}.pdf`, contentType: 'application/pdf', content: big }));
    expect((await api.post('/clues', clueBody({ attachments: tooMany }), OPERATOR)).status).toBe(413);
    // The larger body is read only for a caller whose token verifies.
    const anonymous = await fetch(`${api.url}/clues`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(clueBody({ attachments: [{ name: '大.pdf', contentType: 'application/pdf', content: big }] })) });
    expect(anonymous.status).toBe(413);
    expect(await count()).toBe(before);
  }, 120_000);

  it('keeps a past assignee in the clue’s circle after the task is handed back, never a mere candidate', async () => {
    const registered = await api.post('/clues', clueBody(), OPERATOR);
    const clue = registered.body as { id: string; process: { instanceId: string } };
    const task = await waitFor('the owner’s choice open', async () => {
      const page = (await api.get(`/tasks?processInstanceId=${encodeURIComponent(clue.process.instanceId)}`, CASE_OFFICER)).body as { items?: Array<{ id: string; elementId: string }> };
      return page.items?.find((item) => item.elementId === 'AssignOwner');
    });
    // A candidate of the case office sees the ledger line, not the details.
    expect(await api.get(`/clues/${clue.id}`, CASE_OFFICER)).toMatchObject({ status: 403 });
    expect((await api.post(`/tasks/${task.id}/claim`, {}, CASE_OFFICER)).status).toBe(200);
    await waitFor('the present assignee reads the details', async () => ((await api.get(`/clues/${clue.id}`, CASE_OFFICER)).status === 200 ? true : undefined));
    expect((await api.post(`/tasks/${task.id}/unclaim`, {}, CASE_OFFICER)).status).toBe(200);
    await waitFor('the task back with the group', async () => {
      const page = (await api.get(`/tasks?processInstanceId=${encodeURIComponent(clue.process.instanceId)}`, CASE_OFFICER)).body as { items?: Array<{ id: string; assignee: string | null }> };
      return page.items?.find((item) => item.id === task.id && item.assignee === null);
    });
    expect(await api.get(`/clues/${clue.id}`, CASE_OFFICER)).toMatchObject({ status: 200, body: { summary: SUMMARY } });
    expect(await api.get(`/clues/${clue.id}`, OTHER_CASE_OFFICER)).toMatchObject({ status: 403 });
  }, 60_000);

  it('summarises a quarter per round as a workbook for the case office to send, counting as the rules say and listing no restricted line', async () => {
    // Round B's clues, as the ledger holds them: two of the third quarter open (one with its
    // feedback overdue), one restricted, one closed with a case filed; one of the second
    // quarter closed in it.
    const seed = async (number: number, received: string, extra: { closedOn?: string; filedOn?: string; restricted?: boolean; feedbackDue?: string; status?: string }) =>
      database.query(
        `INSERT INTO clue (id, number, year, seq, round_id, unit_id, office_id, category, received_on, status, registered_by, closed_on, filed_on, restricted, feedback_due, close_outcome)
         VALUES (gen_random_uuid(), $1, 2099, $2, $3, 'district-education-bureau', 'commission-room-3', 'conduct', $4, $5, 'li.na', $6, $7, $8, $9, $10)`,
        [
          `巡移〔2099〕${number}号`,
          number,
          roundB,
          received,
          extra.status ?? (extra.closedOn ? 'closed' : 'verification'),
          extra.closedOn ?? null,
          extra.filedOn ?? null,
          extra.restricted ?? false,
          extra.feedbackDue ?? null,
          extra.closedOn ? (extra.filedOn ? 'case-concluded' : 'closed-after-study') : null,
        ],
      );
    await seed(1, '2026-05-06', { closedOn: '2026-06-10' });
    await seed(2, '2026-07-10', { feedbackDue: '2026-10-12' });
    await seed(3, '2026-07-10', { feedbackDue: '2099-01-05' });
    await seed(4, '2026-08-03', { restricted: true });
    await seed(5, '2026-08-03', { closedOn: '2026-09-28', filedOn: '2026-08-20' });
    await seed(6, '2026-10-09', {});

    // The case office starts a summary by hand; nobody else does.
    expect(await api.post('/process-instances', { definitionKey: 'clue-summary', variables: { quarter: '2026Q3' } }, OPERATOR)).toMatchObject({
      status: 403,
      body: { details: { reason: 'definition-permission', definitionKey: 'clue-summary', action: 'start' } },
    });
    const started = await api.post('/process-instances', { definitionKey: 'clue-summary', variables: { quarter: '2026Q3' } }, CASE_OFFICER);
    expect(started.status).toBe(201);
    const instanceId = (started.body as { id: string }).id;
    const tasks = await waitFor('a send task per round', async () => {
      const page = (await api.get(`/tasks?processInstanceId=${encodeURIComponent(instanceId)}`, CASE_OFFICER)).body as { items?: Array<{ id: string; elementId: string; name: string; dueDate: string | null }> };
      return page.items && page.items.length === 2 ? page.items : undefined;
    });
    expect(tasks.every((task) => task.elementId === 'Send' && task.name === '报送季度汇总表' && task.dueDate !== null)).toBe(true);

    const page = (await api.get('/clue-summaries?quarter=2026Q3', CASE_OFFICER)).body as { items: Summary[]; total: number };
    expect(page.total).toBe(2);
    const b = page.items.find((item) => item.round.id === roundB)!;
    const today = shanghaiToday();
    expect(b).toMatchObject({
      round: { name: '十五届区委第六轮巡察' },
      quarter: '2026Q3',
      quarterName: '2026年第三季度',
      asOf: today,
      instanceId,
      sentOn: null,
      figures: { received: 5, receivedInQuarter: 4, closed: 2, closedInQuarter: 1, filed: 1, feedbackOverdue: 1, restricted: 1, completionRate: 40, filingRate: 50 },
    });
    // Round A's clues were received in March and are open: the round is in play.
    expect(page.items.find((item) => item.round.id === roundA)!.figures).toMatchObject({ receivedInQuarter: 0, closed: 0 });

    const response = await fetch(`${api.url}${b.href}`, { headers: api.auth(OPERATOR) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('十五届区委第六轮巡察移交问题线索办理情况汇总表（2026年第三季度）.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const figures = sheetText(workbook.getWorksheet('汇总')!);
    expect(figures[0]![0]).toBe('十五届区委第六轮巡察移交问题线索办理情况汇总表（2026年第三季度）');
    expect(figures).toContainEqual(['办结率', '40.0%']);
    expect(figures).toContainEqual(['其中限制知悉范围（件，不列明细）', '1']);
    const lines = sheetText(workbook.getWorksheet('线索明细')!);
    expect(lines[0]).toEqual(['序号', '线索编号', '被巡察单位', '承办部门', '问题类别', '受理日期', '办理状态', '处置方式', '已反馈次数', '下次反馈期限', '立案日期', '销号日期', '办结方式']);
    // Received by the quarter's end, the restricted one left out; the October clue is not yet.
    expect(lines.slice(1).map((line) => line[1])).toEqual(['巡移〔2099〕1号', '巡移〔2099〕2号', '巡移〔2099〕3号', '巡移〔2099〕5号']);
    expect(lines[4]).toEqual(['4', '巡移〔2099〕5号', '区教育局', '区纪委监委第三监督检查室', '作风问题', '2026-08-03', '已销号', '', '0', '', '2026-08-20', '2026-09-28', '立案审查调查后结案']);
    // Round A's workbook lists its clues without what they say.
    const a = page.items.find((item) => item.round.id === roundA)!;
    const aBook = Buffer.from(await (await fetch(`${api.url}${a.href}`, { headers: api.auth(CASE_OFFICER) })).arrayBuffer());
    const aWorkbook = new ExcelJS.Workbook();
    await aWorkbook.xlsx.load(aBook as unknown as ArrayBuffer);
    expect(JSON.stringify(sheetText(aWorkbook.getWorksheet('线索明细')!))).not.toContain(SUMMARY);

    // Those outside the bodies that keep the ledger learn nothing of it.
    expect(await api.get('/clue-summaries', UNIT_USER)).toMatchObject({ status: 403, body: { details: { reason: 'permission', permission: 'clues.summaries' } } });
    expect(await api.get(`/clue-summaries/${b.id}`, OFFICER)).toMatchObject({ status: 403 });
    // Its figures count restricted clues: supervisors and the leading group read the metrics instead.
    expect(await api.get(`/clue-summaries/${b.id}`, SUPERVISOR)).toMatchObject({ status: 403, body: { details: { permission: 'clues.summaries' } } });
    expect((await fetch(`${api.url}${b.href}`, { headers: api.auth(UNIT_USER) })).status).toBe(403);
    expect(await api.get('/clue-summaries?quarter=2026Q5', CASE_OFFICER)).toMatchObject({ status: 400, body: { message: expect.stringContaining('quarter must name a quarter') } });
    expect(await api.get('/clue-summaries/00000000-0000-4000-8000-000000000000', CASE_OFFICER)).toMatchObject({ status: 404 });
    // Its instance is seen through the generic routes by the two offices (and process administrators) only.
    expect(await api.get(`/process-instances/${instanceId}`, OPERATOR)).toMatchObject({ status: 200 });
    expect(await api.get(`/process-instances/${instanceId}`, UNIT_USER)).toMatchObject({ status: 404 });
    expect(((await api.get('/process-instances?definitionKey=clue-summary', SUPERVISOR)).body as { total: number }).total).toBe(0);

    // Sending is recorded on each summary; the instance ends when both are sent.
    for (const task of tasks) expect((await api.post(`/tasks/${task.id}/complete`, { variables: { sentOn: '2026-10-09' } }, CASE_OFFICER)).status).toBe(200);
    await waitFor('both summaries sent', async () => {
      const sent = (await api.get(`/clue-summaries?quarter=2026Q3`, CASE_OFFICER)).body as { items: Summary[] };
      return sent.items.every((item) => item.sentOn === '2026-10-09') ? true : undefined;
    });
    await waitFor('the summarising instance completed', async () => ((await api.get(`/process-instances/${instanceId}`)).body as { state: string }).state === 'completed' || undefined);
  }, 120_000);

  it('starts the summary at the beginning of each quarter from a schedule, for the quarter just ended', async () => {
    const definition = (await api.get('/definitions/clue-summary')).body as { schedules: Array<{ startEventId: string; scheduleId: string; timer: { value: string }; nextFirings: string[] }> };
    const [schedule] = definition.schedules;
    expect(schedule).toMatchObject({ startEventId: 'QuarterBegins', timer: { value: '0 0 9 1 1,4,7,10 *' } });
    expect(schedule!.scheduleId).toContain(api.config.temporal.taskQueue);
    // The next firing: 09:00 in Beijing on the first day of the next quarter.
    const now = new Date();
    const expected = [0, 3, 6, 9, 12]
      .map((month) => Date.UTC(now.getUTCFullYear(), month, 1, 1))
      .concat(Date.UTC(now.getUTCFullYear() + 1, 0, 1, 1))
      .find((at) => at > now.getTime())!;
    expect(new Date(schedule!.nextFirings[0]!).getTime()).toBe(expected);

    const before = ((await api.get('/process-instances?definitionKey=clue-summary&pageSize=50')).body as { items: Array<{ id: string }> }).items.map((item) => item.id);
    await client.schedule.getHandle(schedule!.scheduleId).trigger();
    const fired = await waitFor('an instance started by the schedule', async () => {
      const items = ((await api.get('/process-instances?definitionKey=clue-summary&pageSize=50')).body as { items: Array<{ id: string }> }).items;
      return items.find((item) => !before.includes(item.id));
    });
    const quarter = quarterBefore(shanghaiToday()).quarter;
    const made = await waitFor('its summaries made', async () => {
      const items = ((await api.get(`/clue-summaries?quarter=${quarter}`, CASE_OFFICER)).body as { items: Summary[] }).items.filter((item) => item.instanceId === fired.id);
      return items.length === 2 ? items : undefined;
    });
    expect(made.map((item) => item.round.id).sort()).toEqual([roundA, roundB].sort());
    expect(await api.post(`/process-instances/${fired.id}/cancel`, {})).toMatchObject({ status: 200 });
  }, 60_000);
});
