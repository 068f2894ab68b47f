import type { Client } from '@temporalio/client';
import type { Principal } from '@xuncha/contracts';
import { WorkingCalendar } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { TEMPORAL_CLIENT } from '@xuncha/runtime';
import JSZip from 'jszip';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestApp, TEST_SYSTEM_ADMIN, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const OPERATOR: Principal = { sub: 'li.na', name: '李娜', groups: ['inspection-office'] };
const CASE_OFFICER: Principal = { sub: 'zhou.min', name: '周敏', groups: ['commission-case-office'] };
const OWNER: Principal = { sub: 'li.ming', name: '李明', groups: ['commission-room-3'] };
const LEADER: Principal = { sub: 'zhao.qiang', name: '赵强', groups: ['commission-case-office-leader'] };
const SUPERVISOR: Principal = { sub: 'sun.li', name: '孙立', groups: ['supervisor'] };
const UNIT_USER: Principal = { sub: 'wu.gang', name: '吴刚', groups: ['district-education-bureau', 'inspected-unit'] };

const SUMMARY = '反映某副局长违规收受礼金问题';
const PERSON = '王某某';

interface Task {
  id: string;
  elementId: string;
  state: string;
  assignee: string | null;
  dueDate: string | null;
}

interface ClueDetail {
  id: string;
  number: string;
  status: string;
  statusName: string;
  owner: string | null;
  disposition: string | null;
  closeOutcome: string | null;
  closedOn: string | null;
  filedOn: string | null;
  outcomes: Record<string, number> | null;
  feedback: Array<{ period: number; dueOn: string; text: string | null; stage: string | null; stageName: string | null }>;
  letters: Array<{ id: string; kind: string; status: string; number: string | null; href: string }>;
  notes: Array<{ field: string; text: string }>;
  history: Array<{ kind: string }>;
  process: { instanceId: string; state: string | null };
}

/** Service tasks: while one is active the instance is still working on its own. */
const JOBS = new Set(['Register', 'RecordOwner', 'RecordStudy', 'RecordToVerify', 'RecordFiling', 'RecordHold', 'RecordDepartment', 'Close', 'PlanFeedback', 'RecordFeedback', 'Review', 'IssueLetter', 'WithdrawLetter']);

/** Every string inside Temporal's history, payloads decoded. */
function historyText(value: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (node instanceof Uint8Array) parts.push(Buffer.from(node).toString('utf8'));
    else if (typeof node === 'string') parts.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(value);
  return parts.join('\n');
}

describe('the clue process on real Temporal and Postgres, months on the virtual clock', () => {
  let database: TestDatabase;
  let api: TestApp;
  let roundId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: true, testClock: true });
    for (const unit of [
      { id: 'district-education-bureau', name: '区教育局', kind: 'inspected-unit' },
      { id: 'commission-room-3', name: '区纪委监委第三监督检查室', kind: 'commission' },
      { id: 'district-organization-dept', name: '区委组织部', kind: 'department' },
      { id: 'district-propaganda-dept', name: '区委宣传部', kind: 'department' },
      { id: 'district-transport-bureau', name: '区交通运输局', kind: 'department' },
    ]) {
      expect((await api.post('/units', unit, TEST_SYSTEM_ADMIN)).status).toBe(201);
    }
    const round = await api.post('/rounds', { name: '十五届区委第五轮巡察', kind: 'regular', periodStart: '2026-01-01', periodEnd: '2026-12-31', inspectedUnits: ['district-education-bureau'] }, OPERATOR);
    roundId = (round.body as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  async function register(overrides: Record<string, unknown> = {}): Promise<ClueDetail> {
    const receivedOn = (overrides.receivedOn as string | undefined) ?? '2026-03-02';
    const answer = await api.post(
      '/clues',
      {
        round: roundId,
        unit: 'district-education-bureau',
        office: 'commission-room-3',
        category: 'discipline',
        summary: SUMMARY,
        persons: [{ name: PERSON, position: '区教育局副局长' }],
        receivedOn,
        virtualClock: { now: `${receivedOn}T09:00:00+08:00` },
        ...overrides,
      },
      OPERATOR,
    );
    expect(answer.status).toBe(201);
    return answer.body as ClueDetail;
  }

  /** The instance once no job of its own is running (it waits for people or time). */
  async function settled(instanceId: string): Promise<{ state: string; activeElements: Array<{ elementId: string }> }> {
    return waitFor(`instance ${instanceId} to settle`, async () => {
      const detail = (await api.get(`/process-instances/${instanceId}`)).body as { state: string; activeElements: Array<{ elementId: string }> };
      return detail.state !== 'active' || !detail.activeElements.some((element) => JOBS.has(element.elementId)) ? detail : undefined;
    });
  }

  async function openTask(instanceId: string, elementId: string, as: Principal): Promise<Task> {
    return waitFor(`open task ${elementId} of ${instanceId}`, async () => {
      const page = (await api.get(`/tasks?processInstanceId=${encodeURIComponent(instanceId)}`, as)).body as { items?: Task[] };
      return page.items?.find((task) => task.elementId === elementId);
    });
  }

  async function complete(instanceId: string, elementId: string, as: Principal, variables: Record<string, unknown>): Promise<void> {
    const task = await openTask(instanceId, elementId, as);
    const answer = await api.post(`/tasks/${task.id}/complete`, { variables }, as);
    expect(answer).toMatchObject({ status: 200 });
    await settled(instanceId);
  }

  async function clueOf(id: string, as: Principal = OWNER): Promise<ClueDetail> {
    const answer = await api.get(`/clues/${id}`, as);
    expect(answer.status).toBe(200);
    return answer.body as ClueDetail;
  }

  async function closedClue(id: string): Promise<ClueDetail> {
    return waitFor(`clue ${id} closed`, async () => {
      const clue = (await api.get(`/clues/${id}`, OWNER)).body as ClueDetail;
      return clue.closedOn !== null && clue.process.state === 'completed' ? clue : undefined;
    });
  }

  async function assigned(clue: ClueDetail): Promise<string> {
    const instanceId = clue.process.instanceId;
    await settled(instanceId);
    await complete(instanceId, 'AssignOwner', CASE_OFFICER, { owner: OWNER.sub });
    return instanceId;
  }

  it('takes one clue through each disposition path, recording steps, outcomes and texts in Postgres', async () => {
    // 予以了结 after the study.
    const closed = await register();
    let instanceId = await assigned(closed);
    expect((await clueOf(closed.id)).owner).toBe(OWNER.sub);
    // A completion refused for its fields stores none of its text.
    const study = await openTask(instanceId, 'Study', OWNER);
    const refused = await api.post(`/tasks/${study.id}/complete`, { variables: { fourForms: 1, studiedOn: '2026-03-10', studyOpinion: '不应留存的意见' } }, OWNER);
    expect(refused).toMatchObject({ status: 422, body: { details: { field: 'disposition' } } });
    expect(await database.query(`SELECT id FROM task_content WHERE value = $1`, ['不应留存的意见'])).toEqual([]);
    await complete(instanceId, 'Study', OWNER, { disposition: 'close', fourForms: 1, studiedOn: '2026-03-10', studyOpinion: '经集体研判，反映问题失实，予以了结' });
    let done = await closedClue(closed.id);
    expect(done).toMatchObject({ status: 'closed', statusName: '已销号', disposition: 'close', closeOutcome: 'closed-after-study', closedOn: '2026-03-02' });
    expect(done.notes).toEqual([expect.objectContaining({ field: 'studyOpinion', text: '经集体研判，反映问题失实，予以了结' })]);

    // 谈话函询 → 予以了结.
    const inquired = await register();
    instanceId = await assigned(inquired);
    await complete(instanceId, 'Study', OWNER, { disposition: 'talk-inquiry', fourForms: 1, studiedOn: '2026-03-10', studyOpinion: '谈话函询' });
    expect((await clueOf(inquired.id)).statusName).toBe('谈话函询中');
    await complete(instanceId, 'Inquiry', OWNER, { inquiryResult: 'close', inquiryReport: '函询说明属实，予以了结' });
    expect((await closedClue(inquired.id)).closeOutcome).toBe('closed-after-inquiry');

    // 初步核实 → 立案 → 结案, with outcomes counted per person.
    const filed = await register();
    instanceId = await assigned(filed);
    await complete(instanceId, 'Study', OWNER, { disposition: 'preliminary-verification', fourForms: 3, studiedOn: '2026-03-10', studyOpinion: '建议对收受礼金一事先行初核' });
    await complete(instanceId, 'Verify', OWNER, { verificationResult: 'file', verificationReport: '违纪事实基本清楚，建议立案' });
    expect((await clueOf(filed.id)).filedOn).toBe('2026-03-02');
    await complete(instanceId, 'Conclude', OWNER, {
      concludedOn: '2026-06-30',
      partyDiscipline: 2,
      governmentSanction: 1,
      organisational: 1,
      detention: 0,
      judicial: 1,
      conclusionReport: '给予党内严重警告处分',
    });
    done = await closedClue(filed.id);
    expect(done).toMatchObject({ closeOutcome: 'case-concluded', outcomes: { partyDiscipline: 2, governmentSanction: 1, organisational: 1, detention: 0, judicial: 1 } });

    // 暂存待查: studied again after the hold period, then closed.
    const held = await register();
    instanceId = await assigned(held);
    await complete(instanceId, 'Study', OWNER, { disposition: 'hold', fourForms: 2, studiedOn: '2026-03-10', studyOpinion: '暂存待查' });
    expect((await clueOf(held.id)).statusName).toBe('暂存待查');
    expect(await api.post(`/process-instances/${instanceId}/clock`, { by: 'P3M' })).toMatchObject({ status: 200 });
    await settled(instanceId);
    await complete(instanceId, 'Study', OWNER, { disposition: 'close', fourForms: 2, studiedOn: '2026-06-10', studyOpinion: '复查后予以了结' });
    expect((await closedClue(held.id)).closedOn).toBe('2026-06-02');

    // A clue for a department follows the department's shorter path.
    for (const [office, category, elementId] of [
      ['district-organization-dept', 'personnel', 'OrganizationHandling'],
      ['district-propaganda-dept', 'ideology', 'PropagandaHandling'],
      ['district-transport-bureau', 'conduct', 'IndustryHandling'],
    ] as const) {
      const clue = await register({ office, category });
      instanceId = await assigned(clue);
      await complete(instanceId, elementId, OWNER, { departmentReport: '已按程序处理', organisational: 1 });
      expect((await closedClue(clue.id)).closeOutcome).toBe('handled-by-department');
    }

    // Nothing sensitive in Temporal's history: ids and routing fields only.
    const client = api.app.get<Client>(TEMPORAL_CLIENT);
    const history = historyText(await client.workflow.getHandle(filed.process.instanceId).fetchHistory());
    expect(history).toContain(filed.number);
    for (const secret of [SUMMARY, PERSON, '违纪事实基本清楚，建议立案', '给予党内严重警告处分', '建议对收受礼金一事先行初核']) expect(history).not.toContain(secret);
  }, 240_000);

  it('asks for feedback at 6, 12, 18 and 24 months on working days; an overdue one gets a 提醒函, then a 督办函', async () => {
    const clue = await register({ receivedOn: '2026-04-04', deadlines: { staleMonths: 12 } });
    const instanceId = await assigned(clue);
    await complete(instanceId, 'Study', OWNER, { disposition: 'hold', fourForms: 2, studiedOn: '2026-04-10', studyOpinion: '暂存待查，定期复查' });
    const feedbackDue: string[] = [];
    let reminder: ClueDetail['letters'][number] | undefined;
    let supervision: ClueDetail['letters'][number] | undefined;
    for (let month = 1; month <= 28 && !supervision; month++) {
      expect(await api.post(`/process-instances/${instanceId}/clock`, { by: 'P1M' })).toMatchObject({ status: 200 });
      await settled(instanceId);
      const open = ((await api.get(`/tasks?processInstanceId=${encodeURIComponent(instanceId)}`, TEST_ALL)).body as { items: Task[] }).items;
      for (const task of open) {
        if (task.elementId === 'GiveFeedback' && !feedbackDue.includes(task.dueDate!.slice(0, 10))) {
          feedbackDue.push(task.dueDate!.slice(0, 10));
          // The first three are given on time; the fourth is left to go overdue.
          if (feedbackDue.length <= 3) await complete(instanceId, 'GiveFeedback', OWNER, { stage: 'held', feedbackText: `第${feedbackDue.length}次反馈：线索暂存，定期复查` });
        }
        if (task.elementId === 'ApproveLetter') await complete(instanceId, 'ApproveLetter', LEADER, { approved: 'true' });
      }
      const letters = (await clueOf(clue.id)).letters;
      reminder = letters.find((letter) => letter.kind === 'reminder' && letter.status === 'issued');
      supervision = letters.find((letter) => letter.kind === 'supervision' && letter.status === 'issued');
    }
    const calendar = new WorkingCalendar(chineseDaysCalendar());
    // 2026-10-04 falls in the National Day holiday; the others are counted on Monday–Friday for years without official data.
    expect(feedbackDue).toEqual(['2026-10-08', '2027-04-05', '2027-10-04', '2028-04-04']);
    for (const day of feedbackDue) expect(calendar.isWorkingDay(day)).toBe(true);
    expect(reminder?.number).toMatch(/^案管提〔2028〕\d+号$/);
    expect(supervision?.number).toMatch(/^案管督〔2028〕\d+号$/);
    const detail = await clueOf(clue.id);
    expect(detail.feedback.map((entry) => [entry.period, entry.text])).toEqual([
      [1, '第1次反馈：线索暂存，定期复查'],
      [2, '第2次反馈：线索暂存，定期复查'],
      [3, '第3次反馈：线索暂存，定期复查'],
    ]);
    expect(detail.feedback.map((entry) => `${entry.stage} ${entry.stageName}`)).toEqual(['held 暂存待查', 'held 暂存待查', 'held 暂存待查']);
    for (const letter of [reminder!, supervision!]) {
      const response = await fetch(`${api.url}${letter.href}`, { headers: api.auth(OWNER) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('wordprocessingml');
      const zip = await JSZip.loadAsync(Buffer.from(await response.arrayBuffer()));
      const xml = await zip.file('word/document.xml')!.async('string');
      expect(xml).toContain(letter.number!);
      expect(xml).toContain(clue.number);
      expect(xml).toContain(letter.kind === 'reminder' ? '提醒函' : '督办函');
      expect(xml).not.toContain(PERSON);
    }
    // Each issued letter rings the bell of the clue's circle, and of nobody else.
    const letterNotices = async (as: Principal): Promise<Array<{ key: string; title: string; detail: string | null }>> =>
      ((await api.get('/notices', as)).body as { items: Array<{ key: string; kind: string; title: string; detail: string | null; target: { id: string | null } }> }).items.filter(
        (notice) => notice.kind === 'letter' && notice.target.id === clue.id,
      );
    const heard = await letterNotices(OWNER);
    expect(heard.map((notice) => notice.key).sort()).toEqual([`letter:${reminder!.id}`, `letter:${supervision!.id}`].sort());
    expect(heard.map((notice) => notice.title).sort()).toEqual([`提醒函：线索 ${clue.number}`, `督办函：线索 ${clue.number}`].sort());
    expect(heard.find((notice) => notice.key === `letter:${supervision!.id}`)?.detail).toContain(supervision!.number!);
    expect(await letterNotices(SUPERVISOR)).toEqual([]);
    expect(await letterNotices(UNIT_USER)).toEqual([]);
    // Letters are for the clue's circle.
    const outsider = await fetch(`${api.url}${reminder!.href}`, { headers: api.auth(SUPERVISOR) });
    expect(outsider.status).toBe(403);
    const unit = await fetch(`${api.url}${reminder!.href}`, { headers: api.auth(UNIT_USER) });
    expect(unit.status).toBe(403);
    expect(await api.post(`/process-instances/${instanceId}/cancel`, {})).toMatchObject({ status: 200 });
  }, 600_000);

  it('keeps the details to the circle: the owner reads them, a supervisor sees the line only, the inspected unit nothing; reads are logged', async () => {
    const clue = await register();
    await assigned(clue);
    const ledger = (await api.get(`/clues?round=${roundId}&pageSize=200`, SUPERVISOR)).body as { items: Array<{ id: string; summary?: string }> };
    const line = ledger.items.find((item) => item.id === clue.id);
    expect(line).toMatchObject({ number: clue.number, owner: OWNER.sub, statusName: '已确定承办人', unit: { name: '区教育局' } });
    expect(line).not.toHaveProperty('summary');
    expect(line).not.toHaveProperty('persons');
    expect(await api.get(`/clues/${clue.id}`, SUPERVISOR)).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    // The people of an inspected unit are refused every clue route, whichever clue it names.
    const noClues = { status: 403, body: { details: { reason: 'permission', permission: 'clues.handle' } } };
    expect(await api.get('/clues', UNIT_USER)).toMatchObject(noClues);
    expect(await api.get(`/clues/${clue.id}`, UNIT_USER)).toMatchObject(noClues);
    expect(await api.get(`/clues/${clue.id}/access-log`, UNIT_USER)).toMatchObject(noClues);
    expect(await api.get(`/metrics/clues?round=${roundId}`, UNIT_USER)).toMatchObject({ status: 403 });
    expect(((await api.get('/tasks', UNIT_USER)).body as { items: Task[] }).items).toEqual([]);
    // Nor through the generic instance routes: the instance is not listed and answers 404.
    const instanceId = clue.process.instanceId;
    const listed = async (as: Principal) => ((await api.get('/process-instances?definitionKey=clue&pageSize=200', as)).body as { items: Array<{ id: string }> }).items.map((item) => item.id);
    expect(await listed(UNIT_USER)).toEqual([]);
    expect(((await api.get('/process-instances?pageSize=200', UNIT_USER)).body as { items: Array<{ definitionKey: string }> }).items.filter((item) => item.definitionKey === 'clue')).toEqual([]);
    for (const route of ['', '/history', '/forecast']) expect(await api.get(`/process-instances/${instanceId}${route}`, UNIT_USER)).toMatchObject({ status: 404 });
    expect(await api.post(`/process-instances/${instanceId}/cancel`, {}, UNIT_USER)).toMatchObject({ status: 404 });
    // The circle reads the clue through its own routes; the generic ones show the instance to the
    // ledger's keepers and let only process administrators change it (the clue's definition permissions).
    expect(await listed(OWNER)).toEqual([]);
    expect(await listed(SUPERVISOR)).toContain(instanceId);
    expect(await api.get(`/process-instances/${instanceId}`, SUPERVISOR)).toMatchObject({ status: 200, body: { definitionKey: 'clue' } });
    expect(await api.post(`/process-instances/${instanceId}/cancel`, {}, SUPERVISOR)).toMatchObject({ status: 403, body: { details: { reason: 'definition-permission', definitionKey: 'clue', action: 'cancel' } } });
    expect(await api.post(`/process-instances/${instanceId}/variables`, { variables: { owner: 'x' } }, SUPERVISOR)).toMatchObject({ status: 403 });
    expect(await api.post('/process-instances', { definitionKey: 'clue', variables: { clueId: clue.id } }, OPERATOR)).toMatchObject({
      status: 403,
      body: { details: { reason: 'definition-permission', definitionKey: 'clue', action: 'start' } },
    });
    // A restricted clue's instance is hidden from the keepers too.
    const restricted = await register({ restricted: true });
    expect(await listed(SUPERVISOR)).not.toContain(restricted.process.instanceId);
    expect(await api.get(`/process-instances/${restricted.process.instanceId}`, SUPERVISOR)).toMatchObject({ status: 404 });
    expect(await api.get(`/process-instances/${restricted.process.instanceId}`)).toMatchObject({ status: 200 });
    // The owner, named by the case office, is in the circle and may read it; the read is logged.
    expect((await clueOf(clue.id, OWNER)).owner).toBe(OWNER.sub);
    const log = (await api.get(`/clues/${clue.id}/access-log`, OWNER)).body as Array<{ sub: string; route: string }>;
    expect(log).toEqual(expect.arrayContaining([expect.objectContaining({ sub: OWNER.sub, route: 'GET /clues/:id' })]));
    // Handed over: the new owner gets the open task and the keys; the former owner keeps reading it (a grant the new owner may revoke), no more.
    const handed = await api.post(`/clues/${clue.id}/handover`, { to: 'qian.hao', reason: '工作调整' }, OWNER);
    expect(handed).toMatchObject({ status: 200, body: { owner: 'qian.hao' } });
    const next: Principal = { sub: 'qian.hao', name: '钱浩', groups: ['commission-room-3'] };
    expect((await openTask(clue.process.instanceId, 'Study', next)).assignee).toBe('qian.hao');
    expect(await api.post(`/clues/${clue.id}/handover`, { to: 'li.ming', reason: '再次调整' }, OWNER)).toMatchObject({ status: 403, body: { message: expect.stringContaining('only the owner') } });
    expect(((await api.get(`/clues/${clue.id}/grants`, next)).body as Array<{ user: string; reason: string }>)).toEqual([expect.objectContaining({ user: OWNER.sub, reason: '原承办人（工作调整）' })]);
    // Corrections keep what they replaced.
    expect(await api.patch(`/clues/${clue.id}`, { persons: [{ name: PERSON, position: '区教育局局长' }], reason: '职务登记有误' }, next)).toMatchObject({ status: 200 });
    const history = (await clueOf(clue.id, next)).history;
    expect(history.map((event) => event.kind)).toEqual(expect.arrayContaining(['owner-assigned', 'handed-over', 'corrected']));
    expect(await api.post(`/process-instances/${clue.process.instanceId}/cancel`, {})).toMatchObject({ status: 200 });
  }, 120_000);

  it('registers the same clue once per request id and refuses bad input naming the field, storing nothing', async () => {
    const count = async (): Promise<number> => Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM clue'))[0]!.n);
    const first = await register({ requestId: 'transfer-x' });
    const again = await api.post('/clues', { round: roundId, unit: 'district-education-bureau', office: 'commission-room-3', category: 'discipline', summary: SUMMARY, persons: [], receivedOn: '2026-03-02', requestId: 'transfer-x', virtualClock: { now: '2026-03-02T09:00:00+08:00' } }, OPERATOR);
    expect(again).toMatchObject({ status: 200, body: { id: first.id, number: first.number } });
    const instances = await database.query<{ n: string }>(`SELECT count(*) AS n FROM process_instance WHERE id = $1`, [first.process.instanceId]);
    expect(Number(instances[0]!.n)).toBe(1);
    const before = await count();
    const base = { round: roundId, unit: 'district-education-bureau', office: 'commission-room-3', category: 'discipline', summary: SUMMARY, persons: [], receivedOn: '2026-03-02' };
    for (const [body, field] of [
      [{ ...base, round: '0b7f1c2e-0000-4000-8000-000000000000' }, 'round'],
      [{ ...base, summary: '  ' }, 'summary'],
      [{ ...base, receivedOn: '2026-02-30' }, 'receivedOn'],
      [{ ...base, office: 'commission-nowhere' }, 'office'],
    ] as const) {
      expect(await api.post('/clues', body, OPERATOR)).toMatchObject({ status: 400, body: { details: { field } } });
    }
    expect(await api.post('/clues', { ...base, deadlines: { feedbackNotice: 'a month' } }, OPERATOR)).toMatchObject({ status: 400, body: { message: expect.stringContaining('deadlines.feedbackNotice') } });
    expect(await count()).toBe(before);
    expect(await api.post(`/process-instances/${first.process.instanceId}/cancel`, {})).toMatchObject({ status: 200 });
  }, 60_000);

  it('reproduces the seeds’ figures: 38 of 69 closed is 办结率 55.1 %, 37 filed of 152 closed is 成案率 24.3 %', async () => {
    const seeded: string[] = [];
    for (const [name, received, closed, filed] of [
      ['十四届区委第三轮巡察', 69, 38, 10],
      ['十四届区委第四轮巡察', 160, 152, 37],
    ] as const) {
      const round = await api.post('/rounds', { name, kind: 'regular', periodStart: '2025-03-01', periodEnd: '2025-06-30', inspectedUnits: ['district-education-bureau'] }, OPERATOR);
      const id = (round.body as { id: string }).id;
      seeded.push(id);
      await database.query(
        `INSERT INTO clue (id, number, year, seq, round_id, unit_id, office_id, category, received_on, status, registered_by, closed_on, filed_on, outcomes)
         SELECT gen_random_uuid(), '测试〔' || $5 || '〕' || n || '号', 2000 + $6::int, n, $1, 'district-education-bureau', 'commission-room-3', 'discipline', DATE '2025-04-01',
                CASE WHEN n <= $3 THEN 'closed' ELSE 'verification' END, 'li.na',
                CASE WHEN n <= $3 THEN DATE '2025-10-01' END,
                CASE WHEN n <= $4 THEN DATE '2025-07-01' END,
                CASE WHEN n <= $4 THEN '{"partyDiscipline": 1, "governmentSanction": 0, "organisational": 0, "detention": 0, "judicial": 0}'::jsonb END
         FROM generate_series(1, $2::int) n`,
        [id, received, closed, filed, name, seeded.length],
      );
    }
    const first = (await api.get(`/metrics/clues?round=${seeded[0]}`, SUPERVISOR)).body as Record<string, { value: number; ledger: string } | number | null>;
    expect(first).toMatchObject({ received: { value: 69 }, closed: { value: 38 }, completionRate: 55.1 });
    const second = (await api.get(`/metrics/clues?round=${seeded[1]}`, SUPERVISOR)).body as Record<string, unknown>;
    expect(second).toMatchObject({ closed: { value: 152 }, filed: { value: 37 }, filingRate: 24.3, outcomes: { partyDiscipline: { label: '党纪处分', value: 37 } } });
    // Each figure's ledger link lists exactly the clues it counts.
    const link = (second.filed as { ledger: string }).ledger;
    expect(((await api.get(`${link}&pageSize=200`, SUPERVISOR)).body as { total: number }).total).toBe(37);
    expect(await api.get('/metrics/clues?from=2026-01-01&to=2025-01-01', SUPERVISOR)).toMatchObject({ status: 400, body: { details: { field: 'to' } } });

    // The same figures by round and by month of receipt, each bar's link listing its lines.
    type Bar = { key: string; label: string; received: { value: number; ledger: string }; closed: { value: number }; filed: { value: number; ledger: string }; completionRate: number | null; filingRate: number | null };
    const byRound = (await api.get(`/metrics/clues/series?by=round&from=2025-01-01&to=2025-12-31`, SUPERVISOR)).body as { by: string; items: Bar[] };
    expect(byRound.by).toBe('round');
    const bars = new Map(byRound.items.map((bar) => [bar.key, bar]));
    expect(bars.get(seeded[0]!)).toMatchObject({ label: '十四届区委第三轮巡察', received: { value: 69 }, closed: { value: 38 }, completionRate: 55.1 });
    expect(bars.get(seeded[1]!)).toMatchObject({ label: '十四届区委第四轮巡察', filed: { value: 37 }, filingRate: 24.3 });
    expect(((await api.get(`${bars.get(seeded[1]!)!.filed.ledger}&pageSize=200`, SUPERVISOR)).body as { total: number }).total).toBe(37);
    const byMonth = (await api.get(`/metrics/clues/series?by=month&round=${seeded[0]}`, SUPERVISOR)).body as { items: Bar[] };
    expect(byMonth.items).toEqual([expect.objectContaining({ key: '2025-04', label: '2025年4月', received: expect.objectContaining({ value: 69 }), completionRate: 55.1 })]);
    expect(byMonth.items[0]!.received.ledger).toContain('receivedFrom=2025-04-01');
    expect(((await api.get(`${byMonth.items[0]!.received.ledger}&pageSize=200`, SUPERVISOR)).body as { total: number }).total).toBe(69);
    const byOffice = (await api.get(`/metrics/clues/series?by=office&round=${seeded[1]}`, SUPERVISOR)).body as { items: Bar[] };
    expect(byOffice.items).toEqual([expect.objectContaining({ key: 'commission-room-3', received: expect.objectContaining({ value: 160 }) })]);
    expect(await api.get('/metrics/clues/series?by=week', SUPERVISOR)).toMatchObject({ status: 400, body: { details: { field: 'by' } } });
    expect(await api.get('/metrics/clues/series?by=month', OWNER)).toMatchObject({ status: 403, body: { details: { permission: 'clues.ledger' } } });
  }, 60_000);
});

/** A supervisor sees every task (tests use it to look, never to act). */
const TEST_ALL: Principal = { sub: 'e2e-admin', name: '测试管理员', groups: ['process-admin', 'supervisor'] };
