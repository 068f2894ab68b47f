import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainChineseDate } from '@xuncha/domain';
import { DataSource } from 'typeorm';

/** What an audit record's object (a path such as `/tasks/17/complete`, or `clue:<id>`) points at, by kind and id. */
interface ObjectRef {
  kind: 'clue' | 'task' | 'instance' | 'user' | 'definition' | 'round' | 'unit' | 'calendar-day' | 'calendar-year';
  id: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const PATTERNS: Array<[RegExp, ObjectRef['kind']]> = [
  [new RegExp(`^clue:(${UUID})$`), 'clue'],
  [new RegExp(`^/clues/(${UUID})(?:/|$)`), 'clue'],
  [/^\/tasks\/(\d{1,18})(?:\/|$)/, 'task'],
  [/^\/process-instances\/([^/]+)(?:\/|$)/, 'instance'],
  [/^\/users\/([^/]+)(?:\/|$)/, 'user'],
  [/^\/definitions\/([^/]+)(?:\/|$)/, 'definition'],
  [new RegExp(`^/rounds/(${UUID})(?:/|$)`), 'round'],
  [/^\/units\/([^/]+)(?:\/|$)/, 'unit'],
  [/^\/calendar\/overrides\/(\d{4}-\d{2}-\d{2})$/, 'calendar-day'],
  [/^\/calendar\/years\/(\d{4})$/, 'calendar-year'],
];

/** Which thing an object names, if it names one. */
export function objectRef(object: string | null): ObjectRef | null {
  if (!object) return null;
  for (const [pattern, kind] of PATTERNS) {
    const match = pattern.exec(object);
    if (!match?.[1]) continue;
    let id = match[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // A malformed escape stays as it was recorded.
    }
    return { kind, id };
  }
  return null;
}

type Rows = Array<{ id: string; name: string | null }>;

/**
 * The names of the objects of audit records, in Chinese, so the auditor reads "任务 核实线索
 * （XS-2026-001）" rather than `/tasks/17/complete`: clue numbers, task and process names with
 * their business keys, people, rounds and units, calendar days. Identifiers only, never what a
 * clue says or a task holds.
 */
@Injectable()
export class AuditObjectNames {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async namesOf(objects: Array<string | null>): Promise<Map<string, string>> {
    const byKind = new Map<ObjectRef['kind'], Set<string>>();
    for (const object of objects) {
      const ref = objectRef(object);
      if (ref) (byKind.get(ref.kind) ?? byKind.set(ref.kind, new Set()).get(ref.kind)!).add(ref.id);
    }
    const ids = (kind: ObjectRef['kind']): string[] => [...(byKind.get(kind) ?? [])];
    const query = async (kind: ObjectRef['kind'], sql: string): Promise<Map<string, string | null>> => {
      const wanted = ids(kind);
      if (wanted.length === 0) return new Map();
      const rows: Rows = await this.dataSource.query(sql, [wanted]);
      return new Map(rows.map((row) => [String(row.id), row.name]));
    };
    const [clues, tasks, instances, users, definitions, rounds, units] = await Promise.all([
      query('clue', `SELECT id::text AS id, number AS name FROM clue WHERE id = ANY($1::uuid[])`),
      query(
        'task',
        `SELECT t.id::text AS id, COALESCE(t.name, '（未命名任务）') || COALESCE('（' || t.business_key || '）', '') AS name FROM user_task t WHERE t.id = ANY($1::bigint[])`,
      ),
      query(
        'instance',
        `SELECT i.id, COALESCE((SELECT d.name FROM process_definition d WHERE d.key = i.definition_key ORDER BY d.version DESC LIMIT 1), i.definition_key)
           || COALESCE('（' || i.business_key || '）', '') AS name
         FROM process_instance i WHERE i.id = ANY($1::text[])`,
      ),
      query('user', `SELECT sub AS id, name || '（' || sub || '）' AS name FROM app_user WHERE sub = ANY($1::text[])`),
      query('definition', `SELECT DISTINCT ON (key) key AS id, name FROM process_definition WHERE key = ANY($1::text[]) ORDER BY key, version DESC`),
      query('round', `SELECT id::text AS id, name FROM inspection_round WHERE id = ANY($1::uuid[])`),
      query('unit', `SELECT id, name FROM org_unit WHERE id = ANY($1::text[])`),
    ]);
    const names = new Map<string, string>();
    for (const object of objects) {
      const ref = objectRef(object);
      if (!object || !ref) continue;
      const name = this.describe(ref, { clues, tasks, instances, users, definitions, rounds, units });
      if (name) names.set(object, name);
    }
    return names;
  }

  private describe(ref: ObjectRef, found: Record<'clues' | 'tasks' | 'instances' | 'users' | 'definitions' | 'rounds' | 'units', Map<string, string | null>>): string | null {
    switch (ref.kind) {
      case 'clue':
        return `问题线索 ${found.clues.get(ref.id) ?? '（已不存在）'}`;
      case 'task':
        return found.tasks.has(ref.id) ? `任务 ${found.tasks.get(ref.id)}` : `任务 ${ref.id}`;
      case 'instance':
        return found.instances.get(ref.id) ? `流程实例 ${found.instances.get(ref.id)}` : null;
      case 'user':
        return `用户 ${found.users.get(ref.id) ?? ref.id}`;
      case 'definition':
        return `流程定义 ${found.definitions.get(ref.id) ?? ref.id}`;
      case 'round':
        return found.rounds.get(ref.id) ? `巡察轮次 ${found.rounds.get(ref.id)}` : null;
      case 'unit':
        return `单位 ${found.units.get(ref.id) ?? ref.id}`;
      case 'calendar-day':
        return `工作日历 ${plainChineseDate(ref.id)}`;
      case 'calendar-year':
        return `工作日历 ${ref.id}年`;
    }
  }
}
