import ExcelJS from 'exceljs';
import type { Principal } from '@xuncha/contracts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestApp, TEST_SYSTEM_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const OPERATOR: Principal = { sub: 'li.na', name: '李娜', groups: ['inspection-office'] };
const CASE_OFFICER: Principal = { sub: 'zhou.min', name: '周敏', groups: ['commission-case-office'] };
const SUPERVISOR: Principal = { sub: 'sun.li', name: '孙立', groups: ['supervisor'] };
const UNIT_USER: Principal = { sub: 'wu.gang', name: '吴刚', groups: ['district-education-bureau'] };

interface Line {
  id: string;
  number: string;
  round: { id: string; name: string };
  unit: { id: string; name: string };
  office: { id: string; name: string };
  categoryName: string;
  restricted: boolean;
  statusName: string;
  summary?: string;
  persons?: unknown;
}

describe('transferred clues: registration, ledger and need-to-know', () => {
  let database: TestDatabase;
  let api: TestApp;
  let roundId: string;
  const clueCount = async (): Promise<number> => Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM clue'))[0]!.n);

  beforeAll(async () => {
    database = await createTestDatabase();
    // The shipped clue process starts for every registered clue (it waits here for the case office).
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true });
    for (const unit of [
      { id: 'district-education-bureau', name: '区教育局', kind: 'inspected-unit' },
      { id: 'district-health-bureau', name: '区卫健委', kind: 'inspected-unit' },
      { id: 'district-audit-bureau', name: '区审计局', kind: 'department' },
      { id: 'commission-case-office', name: '区纪委监委案件监督管理室', kind: 'commission' },
      { id: 'commission-room-3', name: '区纪委监委第三监督检查室', kind: 'commission' },
    ]) {
      expect((await api.post('/units', unit, TEST_SYSTEM_ADMIN)).status).toBe(201);
    }
    const round = await api.post(
      '/rounds',
      { name: '十五届区委第五轮巡察', kind: 'regular', periodStart: '2025-09-01', periodEnd: '2026-12-31', inspectedUnits: ['district-education-bureau', 'district-health-bureau'] },
      OPERATOR,
    );
    roundId = (round.body as { id: string }).id;
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const clue = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    round: roundId,
    unit: 'district-education-bureau',
    office: 'commission-room-3',
    category: 'discipline',
    summary: '反映某副局长违规收受礼金问题',
    persons: [{ name: '王某', position: '区教育局副局长' }],
    receivedOn: '2026-10-16',
    ...overrides,
  });

  it('registers clues with the year’s next number, once per request id; refusals name the field and store nothing', async () => {
    const first = await api.post('/clues', clue({ requestId: 'transfer-1' }), OPERATOR);
    expect(first).toMatchObject({
      status: 201,
      body: {
        number: '巡移〔2026〕1号',
        round: { id: roundId, name: '十五届区委第五轮巡察' },
        unit: { name: '区教育局' },
        office: { name: '区纪委监委第三监督检查室' },
        categoryName: '违反党纪',
        statusName: '已登记',
        restricted: false,
        summary: '反映某副局长违规收受礼金问题',
        persons: [{ name: '王某', position: '区教育局副局长' }],
      },
    });
    // The answer was lost and the request sent again: the same clue, no second number.
    expect(await api.post('/clues', clue({ requestId: 'transfer-1', summary: '另一份' }), OPERATOR)).toMatchObject({ status: 200, body: { number: '巡移〔2026〕1号', summary: '反映某副局长违规收受礼金问题' } });
    expect(await api.post('/clues', clue({ requestId: 'transfer-1' }), CASE_OFFICER)).toMatchObject({ status: 409, body: { details: { field: 'requestId' } } });
    expect((await api.post('/clues', clue(), CASE_OFFICER)).body).toMatchObject({ number: '巡移〔2026〕2号' });
    expect((await api.post('/clues', clue({ receivedOn: '2025-12-30' }), CASE_OFFICER)).body).toMatchObject({ number: '巡移〔2025〕1号' });
    const registered = await clueCount();

    const refusals: Array<[Record<string, unknown>, Principal, number, Record<string, unknown>]> = [
      [clue(), SUPERVISOR, 403, { error: 'forbidden', details: { reason: 'permission', permission: 'clues.register' } }],
      [clue(), UNIT_USER, 403, { error: 'forbidden' }],
      [clue({ round: '0b7f1c2e-0000-4000-8000-000000000000' }), OPERATOR, 400, { details: { field: 'round' } }],
      [clue({ round: 'round-5' }), OPERATOR, 400, { message: expect.stringContaining('round must be the id of a round') }],
      [clue({ unit: 'district-audit-bureau' }), OPERATOR, 400, { details: { field: 'unit' }, message: expect.stringContaining('is not inspected by 十五届区委第五轮巡察') }],
      [clue({ office: 'district-health-bureau' }), OPERATOR, 400, { details: { field: 'office' }, message: expect.stringContaining('区卫健委 is neither') }],
      [clue({ office: 'commission-nowhere' }), OPERATOR, 400, { details: { field: 'office' } }],
      [clue({ receivedOn: '2999-01-01' }), OPERATOR, 400, { details: { field: 'receivedOn' }, message: expect.stringContaining('after today') }],
      [clue({ receivedOn: '2026-02-30' }), OPERATOR, 400, { details: { field: 'receivedOn' } }],
      [clue({ summary: '   ' }), OPERATOR, 400, { details: { field: 'summary' } }],
      [clue({ summary: '' }), OPERATOR, 400, { message: expect.stringContaining('summary') }],
      [clue({ persons: [{ name: ' ', position: '科长' }] }), OPERATOR, 400, { details: { field: 'persons[0].name' } }],
      [clue({ category: 'rumour' }), OPERATOR, 400, { message: expect.stringContaining('category') }],
    ];
    for (const [body, as, status, answer] of refusals) expect(await api.post('/clues', body, as)).toMatchObject({ status, body: answer });
    expect(await api.post('/clues', clue(), null)).toMatchObject({ status: 401 });
    expect(await clueCount()).toBe(registered);
  });

  it('shows the ledger line to those who keep it, the details only to the clue’s circle, and nothing at all to the inspected unit', async () => {
    const open = (await api.post('/clues', clue({ unit: 'district-health-bureau', summary: '反映某院长插手工程项目', persons: [{ name: '陈某', position: '区人民医院院长' }] }), OPERATOR)).body as Line;
    const restricted = (await api.post('/clues', clue({ restricted: true, summary: '边巡边移：某主任套取资金', persons: [{ name: '刘某', position: '办公室主任' }] }), OPERATOR))
      .body as Line;

    const supervisorLedger = (await api.get(`/clues?round=${roundId}&pageSize=200`, SUPERVISOR)).body as { items: Line[]; total: number; totalExact: boolean };
    const seen = supervisorLedger.items.map((line) => line.id);
    expect(seen).toContain(open.id);
    expect(seen).not.toContain(restricted.id);
    expect(supervisorLedger.totalExact).toBe(true);
    for (const line of supervisorLedger.items) {
      expect(line).not.toHaveProperty('summary');
      expect(line).not.toHaveProperty('persons');
    }
    expect(((await api.get('/clues?unit=district-health-bureau', SUPERVISOR)).body as { items: Line[] }).items.map((line) => line.id)).toEqual([open.id]);
    expect(((await api.get('/clues?office=commission-case-office', SUPERVISOR)).body as { total: number }).total).toBe(0);
    // The registrant's circle includes the restricted clue.
    expect(((await api.get('/clues?pageSize=200', OPERATOR)).body as { items: Line[] }).items.map((line) => line.id)).toContain(restricted.id);
    // The inspected unit finds no trace, in the ledger or by id.
    expect((await api.get('/clues', UNIT_USER)).body).toMatchObject({ items: [], total: 0 });
    expect(await api.get(`/clues/${open.id}`, UNIT_USER)).toMatchObject({ status: 404, body: { error: 'not-found' } });
    expect(await api.get(`/clues/${open.id}/access-log`, UNIT_USER)).toMatchObject({ status: 404 });

    expect(await api.get(`/clues/${open.id}`, SUPERVISOR)).toMatchObject({
      status: 403,
      body: { error: 'forbidden', message: `the details of clue ${open.number} are read only by those who handle it` },
    });
    expect(await api.get(`/clues/${restricted.id}`, SUPERVISOR)).toMatchObject({ status: 404 });
    expect(await api.get(`/clues/${open.id}`, OPERATOR)).toMatchObject({ status: 200, body: { summary: '反映某院长插手工程项目', persons: [{ name: '陈某' }] } });
    expect(await api.get('/clues/not-a-clue', OPERATOR)).toMatchObject({ status: 404 });

    // Every read of the details is in the log, which its owner (here its registrant) reads.
    const log = await api.get(`/clues/${open.id}/access-log`, OPERATOR);
    expect(log.status).toBe(200);
    expect((log.body as Array<{ sub: string; route: string }>).map((entry) => `${entry.sub} ${entry.route}`)).toEqual(['li.na POST /clues', 'li.na GET /clues/:id']);
    expect(await api.get(`/clues/${open.id}/access-log`, SUPERVISOR)).toMatchObject({ status: 403, body: { message: `the access log of clue ${open.number} is read by its owner` } });
  });

  it('lets the clue’s keeper grant and revoke access with a reason; a grantee reads the details while the grant holds', async () => {
    const HELPER: Principal = { sub: 'qian.hao', name: '钱浩', groups: ['commission-room-3'] };
    const registered = (await api.post('/clues', clue({ summary: '反映某科长优亲厚友', persons: [{ name: '郑某', position: '科长' }] }), CASE_OFFICER)).body as Line;
    expect(await api.get(`/clues/${registered.id}`, HELPER)).toMatchObject({ status: 404 });

    const refusals: Array<[Record<string, unknown>, Principal, number, Record<string, unknown>]> = [
      [{ user: 'qian.hao', reason: '协助核实' }, OPERATOR, 403, { error: 'forbidden', message: `only the keeper of clue ${registered.number} (its owner, its registrant until one is named) grants access to it` }],
      [{ user: 'qian.hao', reason: '协助核实' }, UNIT_USER, 404, { error: 'not-found' }],
      [{ user: 'zhou.min', reason: '自己' }, CASE_OFFICER, 400, { details: { field: 'user' } }],
      [{ user: 'qian.hao', reason: '  ' }, CASE_OFFICER, 400, { details: { field: 'reason' } }],
      [{ user: 'qian hao', reason: '协助核实' }, CASE_OFFICER, 400, { message: expect.stringContaining('user must be a user id') }],
    ];
    for (const [body, as, status, answer] of refusals) expect(await api.post(`/clues/${registered.id}/grants`, body, as)).toMatchObject({ status, body: answer });

    expect(await api.post(`/clues/${registered.id}/grants`, { user: 'qian.hao', reason: '协助初步核实' }, CASE_OFFICER)).toMatchObject({
      status: 201,
      body: { user: 'qian.hao', reason: '协助初步核实', grantedBy: 'zhou.min', revokedAt: null },
    });
    expect(await api.post(`/clues/${registered.id}/grants`, { user: 'qian.hao', reason: '再次' }, CASE_OFFICER)).toMatchObject({ status: 409, body: { details: { field: 'user' } } });
    expect(await api.get(`/clues/${registered.id}`, HELPER)).toMatchObject({ status: 200, body: { summary: '反映某科长优亲厚友' } });
    expect(((await api.get('/clues?pageSize=200', HELPER)).body as { items: Line[] }).items.map((line) => line.id)).toEqual([registered.id]);

    expect(await api.delete(`/clues/${registered.id}/grants/qian.hao`, OPERATOR)).toMatchObject({ status: 403 });
    expect((await api.delete(`/clues/${registered.id}/grants/qian.hao`, CASE_OFFICER)).status).toBe(204);
    expect(await api.delete(`/clues/${registered.id}/grants/qian.hao`, CASE_OFFICER)).toMatchObject({ status: 404 });
    expect(await api.get(`/clues/${registered.id}`, HELPER)).toMatchObject({ status: 404 });
    expect((await api.get('/clues', HELPER)).body).toMatchObject({ items: [], total: 0 });
    // The record of the grant stays, revoked.
    expect((await api.get(`/clues/${registered.id}/grants`, CASE_OFFICER)).body).toEqual([
      expect.objectContaining({ user: 'qian.hao', reason: '协助初步核实', grantedBy: 'zhou.min', revokedBy: 'zhou.min', revokedAt: expect.any(String) }),
    ]);
    expect(await api.get(`/clues/${registered.id}/grants`, SUPERVISOR)).toMatchObject({ status: 403 });
    const log = (await api.get(`/clues/${registered.id}/access-log`, CASE_OFFICER)).body as Array<{ sub: string; route: string }>;
    expect(log.map((entry) => `${entry.sub} ${entry.route}`)).toEqual(['zhou.min POST /clues', 'qian.hao GET /clues/:id']);
  });

  it('exports the ledger as an .xlsx workbook with Chinese headers, masking the details the caller may not read', async () => {
    const restricted = (await api.post('/clues', clue({ restricted: true, summary: '导出时受限的线索' }), OPERATOR)).body as Line;
    const workbookOf = async (as: Principal, query = ''): Promise<{ headers: string[]; rows: string[][]; type: string | null; disposition: string | null }> => {
      const response = await fetch(`${api.url}/clues/export${query}`, { headers: api.auth(as) });
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('线索台账')!;
      const values = (rowNumber: number): string[] => (sheet.getRow(rowNumber).values as unknown[]).slice(1).map((value) => String(value ?? ''));
      return {
        headers: values(1),
        rows: Array.from({ length: sheet.rowCount - 1 }, (_, index) => values(index + 2)),
        type: response.headers.get('content-type'),
        disposition: response.headers.get('content-disposition'),
      };
    };

    const supervisor = await workbookOf(SUPERVISOR, `?round=${roundId}`);
    expect(supervisor.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(supervisor.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('线索台账.xlsx')}`);
    expect(supervisor.headers).toEqual(['序号', '线索编号', '巡察轮次', '被巡察单位', '承办部门', '问题类别', '受理日期', '办理状态', '承办人', '登记人', '问题摘要', '涉及人员']);
    expect(supervisor.rows.length).toBeGreaterThan(0);
    expect(supervisor.rows.map((row) => row[1])).not.toContain(restricted.number);
    for (const row of supervisor.rows) expect(row.slice(10)).toEqual(['（无权查看）', '（无权查看）']);

    const registrant = await workbookOf(OPERATOR);
    const mine = registrant.rows.find((row) => row[1] === restricted.number)!;
    expect(mine.slice(2, 8)).toEqual(['十五届区委第五轮巡察', '区教育局', '区纪委监委第三监督检查室', '违反党纪', '2026-10-16', '已登记']);
    expect(mine.slice(10)).toEqual(['导出时受限的线索', '王某（区教育局副局长）']);
    // A clue of another registrant is in the operator's ledger view as a keeper, masked.
    const others = registrant.rows.filter((row) => row[9] === 'zhou.min');
    expect(others.length).toBeGreaterThan(0);
    for (const row of others) expect(row[10]).toBe('（无权查看）');

    expect((await workbookOf(UNIT_USER)).rows).toEqual([]);
    const log = (await api.get(`/clues/${restricted.id}/access-log`, OPERATOR)).body as Array<{ route: string }>;
    expect(log.map((entry) => entry.route)).toEqual(['POST /clues', 'GET /clues/export']);
  });

  it('filters tasks and the deadline board by the round and the office of the clue they serve; a malformed filter names its field', async () => {
    const other = await api.post('/rounds', { name: '十五届区委第六轮巡察', kind: 'special', periodStart: '2026-03-01', periodEnd: '2026-12-31', inspectedUnits: ['district-health-bureau'] }, OPERATOR);
    const otherRound = (other.body as { id: string }).id;
    const first = (await api.post('/clues', clue({ summary: '按轮次筛选：第五轮' }), OPERATOR)).body as { number: string };
    const second = (await api.post('/clues', clue({ round: otherRound, unit: 'district-health-bureau', office: 'commission-case-office', summary: '按轮次筛选：第六轮' }), OPERATOR)).body as {
      number: string;
    };
    type Row = { businessKey: string | null };
    const keysOf = async (path: string): Promise<Array<string | null>> => {
      const answer = await api.get(path, CASE_OFFICER);
      expect(answer.status).toBe(200);
      return (answer.body as { items: Row[] }).items.map((row) => row.businessKey);
    };
    await waitFor('the second clue’s first task', async () => ((await keysOf(`/tasks?round=${otherRound}`)).includes(second.number) ? true : undefined));
    await waitFor('the first clue’s first task', async () => ((await keysOf(`/tasks?round=${roundId}&pageSize=200`)).includes(first.number) ? true : undefined));

    const inOther = await keysOf(`/tasks?round=${otherRound}`);
    expect(inOther).toEqual([second.number]);
    const inFirst = await keysOf(`/tasks?round=${roundId}&pageSize=200`);
    expect(inFirst).toContain(first.number);
    expect(inFirst).not.toContain(second.number);
    expect(await keysOf('/tasks?office=commission-case-office')).toEqual([second.number]);
    expect(await keysOf(`/tasks?round=${roundId}&office=commission-case-office`)).toEqual([]);
    expect(await keysOf(`/tasks?round=${otherRound}&definitionKey=clue`)).toEqual([second.number]);
    expect(await keysOf(`/tasks?round=${otherRound}&definitionKey=clue-summary`)).toEqual([]);

    expect(await keysOf(`/deadlines?round=${otherRound}`)).toEqual([second.number]);
    // Each deadline names its round and office, for the board to group by.
    expect(((await api.get(`/deadlines?round=${otherRound}`, CASE_OFFICER)).body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ businessKey: second.number, roundId: otherRound, officeId: 'commission-case-office' }),
    ]);
    expect(await keysOf('/deadlines?office=commission-case-office')).toEqual([second.number]);
    expect(await keysOf(`/deadlines?office=commission-room-3&pageSize=200`)).toContain(first.number);

    for (const path of ['/tasks?round=five', '/deadlines?round=five']) {
      expect(await api.get(path, CASE_OFFICER)).toMatchObject({ status: 400, body: { error: 'bad-request', details: { field: 'round' } } });
    }
    for (const path of ['/tasks?office=Room%203', '/deadlines?office=Room%203']) {
      expect(await api.get(path, CASE_OFFICER)).toMatchObject({ status: 400, body: { error: 'bad-request', details: { field: 'office' } } });
    }
  });
});
