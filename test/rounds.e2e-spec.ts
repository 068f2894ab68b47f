import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Principal } from '@xuncha/contracts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { straightThroughProcess } from './support/instances';
import { startTestApp, TEST_SYSTEM_ADMIN, type TestApp } from './support/test-app';

const OPERATOR: Principal = { sub: 'li.na', name: '李娜', groups: ['inspection-office'] };
const OFFICER: Principal = { sub: 'zhao.qiang', name: '赵强', groups: ['commission-case-office'] };

interface Round {
  id: string;
  name: string;
  kind: string;
  kindName: string;
  periodStart: string;
  periodEnd: string;
  state: string;
  inspectedUnits: Array<{ id: string; name: string; kind: string }>;
  createdBy: string;
}

describe('shipped processes, units and rounds', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  describe('shipped processes', () => {
    let dir: string;

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipped-'));
    });

    afterAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const versions = async (api: TestApp): Promise<Record<string, number>> => {
      const { body } = await api.get('/definitions');
      return Object.fromEntries((body as Array<{ key: string; version: number }>).filter((d) => d.key.startsWith('shipped-')).map((d) => [d.key, d.version]));
    };
    const withApp = async <T>(work: (api: TestApp) => Promise<T>): Promise<T> => {
      const api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false, processesDir: dir });
      try {
        return await work(api);
      } finally {
        await api.close();
      }
    };

    it('deploys every shipped file at start: unchanged files keep their version, a changed one gets the next', async () => {
      fs.writeFileSync(path.join(dir, 'a.bpmn'), straightThroughProcess('shipped-a'));
      fs.writeFileSync(path.join(dir, 'b.bpmn'), straightThroughProcess('shipped-b'));
      fs.writeFileSync(path.join(dir, 'notes.txt'), '不是流程');
      expect(await withApp(versions)).toEqual({ 'shipped-a': 1, 'shipped-b': 1 });
      // Started again with one file changed.
      fs.writeFileSync(path.join(dir, 'b.bpmn'), straightThroughProcess('shipped-b').replace('name="直通流程"', 'name="直通流程（修订）"'));
      expect(await withApp(versions)).toEqual({ 'shipped-a': 1, 'shipped-b': 2 });
      expect(await withApp(versions)).toEqual({ 'shipped-a': 1, 'shipped-b': 2 });
    });

    it('refuses to start with a shipped file the checks refuse, naming the file and the element', async () => {
      fs.writeFileSync(path.join(dir, 'c.bpmn'), straightThroughProcess('shipped-c').replace('targetRef="End"', 'targetRef="Nowhere"'));
      try {
        await expect(startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false, processesDir: dir })).rejects.toThrow(
          /the shipped process c\.bpmn is refused: Flow_1: .*Nowhere/,
        );
      } finally {
        fs.rmSync(path.join(dir, 'c.bpmn'));
      }
    });
  });

  describe('units and rounds', () => {
    let api: TestApp;
    const roundCount = async (): Promise<number> => Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM inspection_round'))[0]!.n);

    beforeAll(async () => {
      api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false, processesDir: path.join(os.tmpdir(), 'no-shipped-processes') });
      for (const unit of [
        { id: 'district-committee', name: '区委', kind: 'party-committee' },
        { id: 'district-audit-bureau', name: '区审计局', kind: 'department' },
        { id: 'district-education-bureau', name: '区教育局', kind: 'inspected-unit' },
        { id: 'town-xinhe', name: '新河镇', kind: 'township' },
        { id: 'village-dongpo', name: '东坡村', kind: 'village', parentId: 'town-xinhe' },
      ]) {
        expect((await api.post('/units', unit, TEST_SYSTEM_ADMIN)).status).toBe(201);
      }
    });

    afterAll(async () => {
      await api?.close();
    });

    it('keeps the directory: administrators add units, everyone lists them; refusals name the reason and the field', async () => {
      const all = (await api.get('/units', OFFICER)).body as Array<{ id: string; kind: string; kindName: string; parentId: string | null }>;
      expect(all.map((unit) => unit.id)).toEqual(['district-audit-bureau', 'district-education-bureau', 'district-committee', 'town-xinhe', 'village-dongpo']);
      expect(all.find((unit) => unit.id === 'village-dongpo')).toMatchObject({ kindName: '村（社区）', parentId: 'town-xinhe' });
      expect(((await api.get('/units?kind=township', OFFICER)).body as Array<{ id: string }>).map((unit) => unit.id)).toEqual(['town-xinhe']);
      expect(await api.get('/units?kind=planet')).toMatchObject({ status: 400, body: { message: expect.stringContaining('kind') } });

      expect(await api.post('/units', { id: 'district-finance-bureau', name: '区财政局', kind: 'department' }, OPERATOR)).toMatchObject({
        status: 403,
        body: { error: 'forbidden', details: { reason: 'permission', permission: 'directory.edit' } },
      });
      expect(await api.post('/units', { id: 'district-audit-bureau', name: '审计局', kind: 'department' }, TEST_SYSTEM_ADMIN)).toMatchObject({
        status: 409,
        body: { error: 'conflict', details: { field: 'id' } },
      });
      expect(await api.post('/units', { id: 'Bad Id', name: '某单位', kind: 'department' }, TEST_SYSTEM_ADMIN)).toMatchObject({ status: 400, body: { message: expect.stringContaining('id must be') } });
      expect(await api.post('/units', { id: 'village-xiwan', name: '西湾村', kind: 'village', parentId: 'town-nowhere' }, TEST_SYSTEM_ADMIN)).toMatchObject({
        status: 400,
        body: { error: 'invalid-request', details: { field: 'parentId' } },
      });
      expect(await api.post('/units', { id: 'village-xiwan', name: '   ', kind: 'village' }, TEST_SYSTEM_ADMIN)).toMatchObject({ status: 400, body: { details: { field: 'name' } } });
      expect(((await api.get('/units')).body as unknown[]).length).toBe(5);
    });

    it('stores a round with the units it inspects, once per request id, and lists it by unit and dates', async () => {
      const body = {
        name: '十五届区委第五轮巡察',
        kind: 'regular',
        periodStart: '2026-09-01',
        periodEnd: '2026-12-31',
        inspectedUnits: ['district-education-bureau', 'town-xinhe'],
        requestId: 'round-5-request',
      };
      const stored = await api.post('/rounds', body, OPERATOR);
      expect(stored.status).toBe(201);
      const round = stored.body as Round;
      expect(round).toMatchObject({
        name: '十五届区委第五轮巡察',
        kind: 'regular',
        kindName: '常规巡察',
        periodStart: '2026-09-01',
        periodEnd: '2026-12-31',
        state: 'planned',
        createdBy: 'li.na',
        inspectedUnits: [
          { id: 'district-education-bureau', name: '区教育局', kind: 'inspected-unit' },
          { id: 'town-xinhe', name: '新河镇', kind: 'township' },
        ],
      });
      // The same request again (a retry after a lost answer) stores nothing new.
      const again = await api.post('/rounds', { ...body, name: '另一个名字' }, OPERATOR);
      expect(again).toMatchObject({ status: 200, body: { id: round.id, name: '十五届区委第五轮巡察' } });
      expect(await roundCount()).toBe(1);

      const village = await api.post('/rounds', { name: '村（社区）专项巡察', kind: 'village', periodStart: '2027-03-01', periodEnd: '2027-04-30', inspectedUnits: ['village-dongpo'] }, OPERATOR);
      expect(village.status).toBe(201);
      expect(((await api.get('/rounds', OFFICER)).body as { items: Round[]; total: number; totalExact: boolean }).items.map((r) => r.name)).toEqual([
        '村（社区）专项巡察',
        '十五届区委第五轮巡察',
      ]);
      expect((await api.get('/rounds?unit=town-xinhe')).body).toMatchObject({ total: 1, totalExact: true, items: [{ id: round.id }] });
      expect((await api.get('/rounds?from=2027-01-01')).body).toMatchObject({ total: 1, items: [{ name: '村（社区）专项巡察' }] });
      expect((await api.get('/rounds?to=2026-12-31')).body).toMatchObject({ total: 1, items: [{ id: round.id }] });
      expect(await api.get(`/rounds/${round.id}`, OFFICER)).toMatchObject({ status: 200, body: { id: round.id, inspectedUnits: [{ id: 'district-education-bureau' }, { id: 'town-xinhe' }] } });
      expect(await api.get('/rounds/0b7f1c2e-0000-4000-8000-000000000000')).toMatchObject({ status: 404, body: { error: 'not-found' } });
      expect(await api.get('/rounds/not-a-round')).toMatchObject({ status: 404 });
    });

    it('refuses a bad round with the field named, storing nothing', async () => {
      const before = await roundCount();
      const good = { name: '专项巡察', kind: 'special', periodStart: '2026-10-08', periodEnd: '2026-11-30', inspectedUnits: ['district-education-bureau'] };
      const refusals: Array<[Record<string, unknown>, Principal | undefined, number, Record<string, unknown>]> = [
        [good, OFFICER, 403, { error: 'forbidden', details: { reason: 'permission', permission: 'rounds.write' } }],
        [{ ...good, inspectedUnits: ['district-education-bureau', 'district-nowhere'] }, OPERATOR, 400, { details: { field: 'inspectedUnits[1]' }, message: expect.stringContaining('names no unit') }],
        [{ ...good, inspectedUnits: ['district-audit-bureau'] }, OPERATOR, 400, { details: { field: 'inspectedUnits[0]' }, message: expect.stringContaining('which a round does not inspect') }],
        [{ ...good, inspectedUnits: ['town-xinhe', 'town-xinhe'] }, OPERATOR, 400, { details: { field: 'inspectedUnits[1]' } }],
        [{ ...good, inspectedUnits: [] }, OPERATOR, 400, { message: expect.stringContaining('inspectedUnits must name at least one unit') }],
        [{ ...good, periodEnd: '2026-10-07' }, OPERATOR, 400, { details: { field: 'periodEnd' } }],
        [{ ...good, periodStart: '2026-02-30' }, OPERATOR, 400, { details: { field: 'periodStart' } }],
        [{ ...good, periodStart: '8 October' }, OPERATOR, 400, { message: expect.stringContaining('periodStart must be a date') }],
        [{ ...good, name: '  ' }, OPERATOR, 400, { details: { field: 'name' } }],
        [{ ...good, kind: 'secret' }, OPERATOR, 400, { message: expect.stringContaining('kind') }],
        [{ ...good, extra: true }, OPERATOR, 400, { message: expect.stringContaining('extra') }],
      ];
      for (const [body, as, status, answer] of refusals) {
        expect(await api.post('/rounds', body, as)).toMatchObject({ status, body: answer });
      }
      expect(await api.post('/rounds', good, null)).toMatchObject({ status: 401 });
      expect(await roundCount()).toBe(before);
    });
  });
});
