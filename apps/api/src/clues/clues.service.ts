import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { CLUE_METRIC_RULES, clueRates, letterDocx } from '@xuncha/domain';
import { InstanceLauncher, TEMPORAL_CLIENT, withTemporalDeadline } from '@xuncha/runtime';
import { formatDateTime } from '@xuncha/bpmn-engine';
import { dayNumber } from '@xuncha/calendar';
import type { Principal } from '@xuncha/contracts';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, rolesOf, setVariablesUpdate, taskActionUpdate } from '@xuncha/contracts';
import type { Clue, ClueCategory, ClueGrant, ClueLetter, CluePerson, ClueStatus, LedgerFilter } from '@xuncha/persistence';
import {
  CLOSE_OUTCOME_LABELS,
  CLUE_CATEGORY_LABELS,
  CLUE_DISPOSITION_LABELS,
  CLUE_STATUS_LABELS,
  FEEDBACK_STAGE_LABELS,
  ClueProcessRepository,
  ClueRepository,
  clueInstanceId,
  LETTER_KIND_LABELS,
  OrganisationRepository,
  OUTCOME_KINDS,
  OUTCOME_LABELS,
  ProcessDefinitionRepository,
  ProcessInstanceRepository,
  TaskContentRepository,
  TaskRepository,
} from '@xuncha/persistence';
import { dateField } from '../http/fields';
import { virtualClockOf } from '../process-instances/virtual-clock';
import { checkAttachments } from './attachments';
import { CLUE_PROCESS, keepsLedger } from './clue-instances';
import { deadlineOverrides } from './clue-deadlines.dto';
import { ledgerWorkbook } from './ledger-workbook';
import type {
  ClueAccessDto,
  ClueDetailDto,
  ClueGrantDto,
  ClueLetterDto,
  ClueLineDto,
  CluePageDto,
  CorrectClueDto,
  GrantClueDto,
  HandOverClueDto,
  ListCluesQuery,
  RegisterClueDto,
} from './clues.dto';
import type { ClueMetricsDto, ClueMetricsQuery, ClueSeriesDto, ClueSeriesQuery } from './clue-metrics.dto';

/** The most lines one export holds. */
const EXPORT_LIMIT = 50_000;


/** Which path a clue takes: the commission's handling, or a department's shorter one. */
function routeOf(officeKind: string, category: ClueCategory): 'commission' | 'organization' | 'propaganda' | 'industry' {
  if (officeKind === 'commission') return 'commission';
  if (category === 'personnel') return 'organization';
  if (category === 'ideology') return 'propaganda';
  return 'industry';
}

const LETTER_STATUS_LABELS: Record<ClueLetter['status'], string> = { draft: '待审批', issued: '已印发', withdrawn: '已撤回' };

/** What each history entry means, for people. */
const EVENT_LABELS: Record<string, string> = {
  'process-started': '开始办理',
  'owner-assigned': '确定承办人',
  'handed-over': '移交承办人',
  progress: '记录办理进展',
  'feedback-planned': '排定反馈期限',
  feedback: '向巡察办反馈',
  'letter-issued': '印发函件',
  closed: '销号',
  corrected: '更正登记信息',
};

/** Persons as stored: names and positions trimmed, a blank name refused with its place. */
function cleanPersons(persons: Array<{ name: string; position: string }>): CluePerson[] {
  return persons.map((person, index) => {
    const name = person.name.trim();
    if (name === '') throw new InvalidRequestError(`persons[${index}].name`, `persons[${index}].name must not be blank`);
    return { name, position: person.position.trim() };
  });
}

/** The person who keeps the clue: its owner, its registrant until an owner is named. */
function keeperOf(clue: Clue): string {
  return clue.owner ?? clue.registeredBy;
}

function toGrantDto(grant: ClueGrant): ClueGrantDto {
  return {
    user: grant.grantee,
    reason: grant.reason,
    grantedBy: grant.grantedBy,
    grantedAt: formatDateTime(grant.grantedAt.getTime()),
    revokedBy: grant.revokedBy,
    revokedAt: grant.revokedAt ? formatDateTime(grant.revokedAt.getTime()) : null,
  };
}


/**
 * Transferred clues: registration, the ledger, and the details on a need-to-know basis. Outside
 * the circle a ledger keeper sees the line and is refused the details; anyone else learns nothing,
 * not even that the clue exists (404). Every read of the details is logged.
 */
@Injectable()
export class CluesService {
  constructor(
    private readonly clues: ClueRepository,
    private readonly organisation: OrganisationRepository,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly launcher: InstanceLauncher,
    private readonly process: ClueProcessRepository,
    private readonly content: TaskContentRepository,
    private readonly instances: ProcessInstanceRepository,
    private readonly tasks: TaskRepository,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers a clue with the year's next number: its round exists, its unit is one the round
   * inspects, its office is the commission's, its date a past or present calendar date; nothing
   * is stored when any check fails. The same request id again answers the first registration.
   */
  async register(caller: Principal, body: RegisterClueDto): Promise<{ created: boolean; clue: ClueDetailDto }> {
    const clock = virtualClockOf(body.virtualClock, this.config);
    const round = await this.organisation.round(body.round);
    if (!round) throw new InvalidRequestError('round', `round names no round: "${body.round}"`);
    if (!round.unitIds.includes(body.unit)) throw new InvalidRequestError('unit', `unit "${body.unit}" is not inspected by ${round.round.name}`);
    const [office] = await this.organisation.unitsByIds([body.office]);
    if (!office) throw new InvalidRequestError('office', `office names no unit: "${body.office}"`);
    if (office.kind !== 'commission' && office.kind !== 'department') {
      throw new InvalidRequestError('office', `office must be an office of the discipline commission or a department that handles clues; ${office.name} is neither`);
    }
    const received = dateField('receivedOn', body.receivedOn);
    const today = formatDateTime(clock?.now ?? Date.now(), this.config.engine.timeZone).slice(0, 10);
    if (received > dayNumber(today)) throw new InvalidRequestError('receivedOn', `receivedOn (${body.receivedOn}) is after today (${today})`);
    const summary = body.summary.trim();
    if (summary === '') throw new InvalidRequestError('summary', 'summary must not be blank');
    const persons = cleanPersons(body.persons);
    const attachments = checkAttachments(body.attachments ?? []);
    const definition = await this.definitions.latest(CLUE_PROCESS);
    if (!definition) throw new ConflictError(`the clue process ("${CLUE_PROCESS}") is not deployed; the server deploys processes/clue.bpmn at start`, { definitionKey: CLUE_PROCESS });
    const { created, clue } = await this.clues.register({
      id: randomUUID(),
      roundId: round.round.id,
      unitId: body.unit,
      officeId: body.office,
      category: body.category,
      receivedOn: body.receivedOn,
      restricted: body.restricted ?? false,
      registeredBy: caller.sub,
      requestId: body.requestId ?? null,
      summary,
      persons,
      attachments,
    });
    // A request id another person used answers nothing of their clue.
    if (!created && !(await this.inCircle(clue, caller))) throw new ConflictError(`request id "${body.requestId ?? ''}" was used by another registration`, { field: 'requestId' });
    // The instance id is the clue's: a repeated request (after a failed start, say) starts it once.
    await this.launcher.launch({
      id: clueInstanceId(clue.id),
      definition,
      variables: {
        clueId: clue.id,
        clueNumber: clue.number,
        roundId: clue.roundId,
        unitId: clue.unitId,
        officeId: clue.officeId,
        category: clue.category,
        route: routeOf(office.kind, clue.category),
        receivedOn: clue.receivedOn,
        restricted: clue.restricted,
        // The round's durations, then the clue's own: each is a default of the model otherwise.
        ...(round.round.deadlines ?? {}),
        ...deadlineOverrides(body.deadlines),
      },
      businessKey: clue.number,
      ...(clock ? { clock } : {}),
    });
    return { created, clue: await this.detailOf(clue, caller, 'POST /clues') };
  }

  /** The clue metrics over the lines the caller may see; for the bodies that keep or watch the ledger. */
  async metrics(caller: Principal, query: ClueMetricsQuery): Promise<ClueMetricsDto> {
    const { filter, closedBy, link } = this.metricsScope(query);
    const counts = await this.clues.metrics(filter, { sub: caller.sub, keepsLedger: true }, closedBy, this.today());
    const closedLink = { closed: 'true', ...(query.to ? { closedTo: query.to } : {}) };
    return {
      received: { value: counts.received, ledger: link({}) },
      closed: { value: counts.closed, ledger: link(closedLink) },
      filed: { value: counts.filed, ledger: link({ ...closedLink, filed: 'true' }) },
      ...clueRates(counts),
      outcomes: Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, { label: OUTCOME_LABELS[kind], value: counts.outcomes[kind] ?? 0 }])),
      feedbackOverdue: { value: counts.overdue, ledger: link({ feedbackOverdue: 'true' }) },
      rules: CLUE_METRIC_RULES,
    };
  }

  /** The same figures per month of receipt, round or office; each bar's ledger link lists the lines it counts. */
  async series(caller: Principal, query: ClueSeriesQuery): Promise<ClueSeriesDto> {
    const by = query.by ?? 'month';
    const { filter, closedBy, link } = this.metricsScope(query);
    const rows = await this.clues.metricsSeries(filter, { sub: caller.sub, keepsLedger: true }, closedBy, by);
    const names =
      by === 'round'
        ? await this.organisation.roundNames(rows.map((row) => row.key))
        : by === 'office'
          ? new Map((await this.organisation.unitsByIds(rows.map((row) => row.key))).map((unit) => [unit.id, unit.name]))
          : new Map<string, string>();
    const closedLink = { closed: 'true', ...(query.to ? { closedTo: query.to } : {}) };
    return {
      by,
      rules: CLUE_METRIC_RULES,
      items: rows.map((row) => {
        const bucket = by === 'month' ? monthRange(row.key, query.from, query.to) : by === 'round' ? { round: row.key } : { office: row.key };
        const label = by === 'month' ? `${Number(row.key.slice(0, 4))}年${Number(row.key.slice(5, 7))}月` : (names.get(row.key) ?? row.key);
        return {
          key: row.key,
          label,
          received: { value: row.received, ledger: link(bucket) },
          closed: { value: row.closed, ledger: link({ ...bucket, ...closedLink }) },
          filed: { value: row.filed, ledger: link({ ...bucket, ...closedLink, filed: 'true' }) },
          ...clueRates(row),
        };
      }),
    };
  }

  /** The metrics' filter from a query (dates checked), the closing date counted to, and a builder of ledger links with the same filter. */
  private metricsScope(query: ClueMetricsQuery): { filter: { roundId?: string; officeId?: string; receivedFrom?: string; receivedTo?: string }; closedBy: string | null; link(extra: Record<string, string>): string } {
    if (query.from !== undefined) dateField('from', query.from);
    if (query.to !== undefined) dateField('to', query.to);
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw new InvalidRequestError('to', `to (${query.to}) is before from (${query.from})`);
    const filter = { roundId: query.round, officeId: query.office, receivedFrom: query.from, receivedTo: query.to };
    const base = new URLSearchParams();
    if (query.round) base.set('round', query.round);
    if (query.office) base.set('office', query.office);
    if (query.from) base.set('receivedFrom', query.from);
    if (query.to) base.set('receivedTo', query.to);
    const link = (extra: Record<string, string>): string => {
      const params = new URLSearchParams(base);
      for (const [key, value] of Object.entries(extra)) params.set(key, value);
      const text = params.toString();
      return text === '' ? '/clues' : `/clues?${text}`;
    };
    return { filter, closedBy: query.to ?? null, link };
  }

  /** The ledger lines the caller may see. */
  async ledger(caller: Principal, query: ListCluesQuery): Promise<CluePageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total, totalExact } = await this.clues.ledger(
      { ...this.ledgerFilter(query), limit: pageSize, offset: (page - 1) * pageSize },
      { sub: caller.sub, keepsLedger: keepsLedger(caller) },
    );
    const names = await this.namesFor(items);
    return { items: items.map((clue) => this.line(clue, names)), total, totalExact, page, pageSize };
  }

  /**
   * The ledger as an .xlsx workbook, with the same filters: the lines the caller may see, the
   * details only of clues whose circle holds the caller (else masked), each such read logged.
   */
  async export(caller: Principal, query: ListCluesQuery): Promise<Buffer> {
    const { items } = await this.clues.ledger(
      { ...this.ledgerFilter(query), limit: EXPORT_LIMIT, offset: 0 },
      { sub: caller.sub, keepsLedger: keepsLedger(caller) },
    );
    const names = await this.namesFor(items);
    const readable = await this.clues.inCircleOf(
      items.map((clue) => clue.id),
      caller.sub,
    );
    const details = await this.clues.details([...readable]);
    await this.clues.logAccesses([...readable].map((clueId) => ({ clueId, sub: caller.sub, roles: rolesOf(caller), action: 'export' as const, route: 'GET /clues/export' })));
    return ledgerWorkbook(
      items.map((clue) => {
        const detail = details.get(clue.id);
        return { line: this.line(clue, names), details: detail ? { summary: detail.summary, persons: detail.persons } : null };
      }),
      new Date().toISOString(),
    );
  }

  /** The whole record, for its circle; logged. */
  async detail(caller: Principal, id: string): Promise<ClueDetailDto> {
    const clue = await this.visible(caller, id);
    if (!(await this.inCircle(clue, caller))) {
      throw new ForbiddenError(`the details of clue ${clue.number} are read only by those who handle it`, { clue: clue.number });
    }
    return this.detailOf(clue, caller, 'GET /clues/:id');
  }

  /** Who read the clue's details, for its owner (its registrant while it has none). */
  async accessLog(caller: Principal, id: string): Promise<ClueAccessDto[]> {
    const clue = await this.visible(caller, id);
    if (caller.sub !== keeperOf(clue)) throw new ForbiddenError(`the access log of clue ${clue.number} is read by its owner`, { clue: clue.number });
    return (await this.clues.accessLog(clue.id)).map((entry) => ({ sub: entry.sub, action: entry.action, route: entry.route, at: formatDateTime(entry.at.getTime()) }));
  }

  /** The clue, if the caller may know it exists (its circle, or a ledger keeper for a line not restricted); else not found. */
  private async visible(caller: Principal, id: string): Promise<Clue> {
    const clue = /^[0-9a-f-]{36}$/.test(id) ? await this.clues.find(id) : null;
    if (!clue || !((keepsLedger(caller) && !clue.restricted) || (await this.inCircle(clue, caller)))) throw new NotFoundError('clue', id);
    return clue;
  }

  /** Whether the person is in the clue's circle: its registrant, its owner, its process's assignees, and those its keeper granted access. */
  private async inCircle(clue: Clue, caller: Principal): Promise<boolean> {
    return clue.registeredBy === caller.sub || clue.owner === caller.sub || (await this.clues.inCircleOf([clue.id], caller.sub)).has(clue.id);
  }

  /** Its keeper grants someone access to the details, with the reason. */
  async grant(caller: Principal, id: string, body: GrantClueDto): Promise<ClueGrantDto> {
    const clue = await this.keptBy(caller, id, 'grants access to');
    if (body.user === clue.registeredBy || body.user === clue.owner) throw new InvalidRequestError('user', `${body.user} already reads clue ${clue.number}`);
    const reason = body.reason.trim();
    if (reason === '') throw new InvalidRequestError('reason', 'reason must not be blank');
    if (!(await this.clues.grant({ clueId: clue.id, grantee: body.user, reason, grantedBy: caller.sub }))) {
      throw new ConflictError(`${body.user} already holds a grant on clue ${clue.number}`, { field: 'user' });
    }
    const grants = await this.clues.grants(clue.id);
    return toGrantDto(grants.filter((g) => g.grantee === body.user && g.revokedAt === null)[0]!);
  }

  /** Its keeper revokes a grant in force. */
  async revoke(caller: Principal, id: string, user: string): Promise<void> {
    const clue = await this.keptBy(caller, id, 'revokes access to');
    if (!(await this.clues.revoke(clue.id, user, caller.sub))) throw new NotFoundError('grant in force', user);
  }

  /** Every grant of the clue, in force or revoked, for its keeper. */
  async grants(caller: Principal, id: string): Promise<ClueGrantDto[]> {
    const clue = await this.keptBy(caller, id, 'lists the grants of');
    return (await this.clues.grants(clue.id)).map(toGrantDto);
  }

  /** The clue, if the caller keeps it; 403 for others who may know it exists, 404 for the rest. */
  private async keptBy(caller: Principal, id: string, what: string): Promise<Clue> {
    const clue = await this.visible(caller, id);
    if (caller.sub !== keeperOf(clue)) throw new ForbiddenError(`only the keeper of clue ${clue.number} (its owner, its registrant until one is named) ${what} it`, { clue: clue.number });
    return clue;
  }

  private async detailOf(clue: Clue, caller: Principal, route: string): Promise<ClueDetailDto> {
    const detail = await this.clues.detail(clue.id);
    if (!detail) throw new NotFoundError('clue', clue.id);
    await this.clues.logAccess({ clueId: clue.id, sub: caller.sub, roles: rolesOf(caller), action: 'read-details', route });
    const instanceId = clue.instanceId ?? clueInstanceId(clue.id);
    const [attachments, feedback, letters, history, notes, instance, openTasks] = await Promise.all([
      this.clues.attachments(clue.id),
      this.process.feedback(clue.id),
      this.process.letters(clue.id),
      this.process.history(clue.id),
      this.content.ofInstance(instanceId),
      this.instances.find(instanceId),
      this.tasks.openOfInstance(instanceId),
    ]);
    const texts = new Map(notes.map((note) => [`content:${note.id}`, note.value]));
    return {
      ...this.line(clue, await this.namesFor([clue])),
      summary: detail.summary,
      persons: detail.persons,
      attachments: attachments.map((attachment) => ({
        id: attachment.id,
        name: attachment.name,
        contentType: attachment.contentType,
        size: attachment.size,
        sha256: attachment.sha256,
        uploadedBy: attachment.uploadedBy,
        uploadedAt: formatDateTime(attachment.uploadedAt.getTime()),
        href: `/clues/${clue.id}/attachments/${attachment.id}`,
      })),
      feedback: feedback.map((entry) => ({
        period: entry.period,
        dueOn: entry.dueOn,
        givenOn: entry.givenOn,
        givenBy: entry.givenBy,
        stage: entry.stage,
        stageName: entry.stage ? (FEEDBACK_STAGE_LABELS[entry.stage] ?? entry.stage) : null,
        text: entry.contentRef ? (texts.get(entry.contentRef) ?? null) : null,
      })),
      letters: letters.map((letter) => this.letterDto(letter)),
      history: history.map((event) => ({ ...event, kindName: EVENT_LABELS[event.kind] ?? event.kind })),
      notes: notes.map((note) => ({ elementId: note.elementId, field: note.field, text: note.value, author: note.author, at: formatDateTime(note.at.getTime()) })),
      process: {
        instanceId,
        state: instance?.state ?? null,
        openTasks: openTasks.map((task) => ({ id: String(task.id), name: task.name, assignee: task.assignee, dueAt: task.dueAt ? formatDateTime(new Date(task.dueAt).getTime()) : null })),
      },
    };
  }

  private letterDto(letter: ClueLetter): ClueLetterDto {
    return {
      id: letter.id,
      kind: letter.kind,
      kindName: LETTER_KIND_LABELS[letter.kind],
      status: letter.status,
      statusName: LETTER_STATUS_LABELS[letter.status],
      number: letter.number,
      title: letter.title,
      draftedOn: letter.draftedOn,
      issuedOn: letter.issuedOn,
      href: `/clues/${letter.clueId}/letters/${letter.id}`,
    };
  }

  /** A letter about the clue as a .docx, for its circle; logged like any read of the details. */
  async letter(caller: Principal, id: string, letterId: string): Promise<{ file: Buffer; name: string }> {
    const clue = await this.visible(caller, id);
    if (!(await this.inCircle(clue, caller))) throw new ForbiddenError(`the letters of clue ${clue.number} are read only by those who handle it`, { clue: clue.number });
    const letter = /^[0-9a-f-]{36}$/.test(letterId) ? await this.process.letter(clue.id, letterId) : null;
    if (!letter) throw new NotFoundError('letter', letterId);
    await this.clues.logAccess({ clueId: clue.id, sub: caller.sub, roles: rolesOf(caller), action: 'read-letter', route: 'GET /clues/:id/letters/:letterId' });
    const file = await letterDocx({
      kind: letter.kind,
      authority: this.config.letterAuthority,
      number: letter.number,
      issuedOn: letter.issuedOn,
      title: letter.title,
      addressee: letter.addressee,
      body: letter.body.split('\n'),
    });
    return { file, name: `${letter.number ?? `${LETTER_KIND_LABELS[letter.kind]}（函稿）`}.docx` };
  }

  /** A file registered with the clue, for its circle; logged like any read of the details. */
  async attachment(caller: Principal, id: string, attachmentId: string): Promise<{ file: Buffer; name: string; contentType: string }> {
    const clue = await this.visible(caller, id);
    if (!(await this.inCircle(clue, caller))) throw new ForbiddenError(`the attachments of clue ${clue.number} are read only by those who handle it`, { clue: clue.number });
    const attachment = /^[0-9a-f-]{36}$/.test(attachmentId) ? await this.clues.attachment(clue.id, attachmentId) : null;
    if (!attachment) throw new NotFoundError('attachment', attachmentId);
    await this.clues.logAccess({ clueId: clue.id, sub: caller.sub, roles: rolesOf(caller), action: 'read-attachment', route: 'GET /clues/:id/attachments/:attachmentId' });
    return { file: attachment.content, name: attachment.name, contentType: attachment.contentType };
  }

  /**
   * Its owner hands the clue to someone else: the process's later tasks go to them, its open
   * tasks assigned to the owner are reassigned, and the ledger records the hand-over. The
   * instance changes first, so a repeated request after a failure finishes the job.
   */
  async handOver(caller: Principal, id: string, body: HandOverClueDto): Promise<ClueDetailDto> {
    const clue = await this.visible(caller, id);
    if (clue.owner === null) throw new ConflictError(`clue ${clue.number} has no owner yet: the case office names one first`, { clue: clue.number });
    if (caller.sub !== clue.owner) throw new ForbiddenError(`only the owner of clue ${clue.number} hands it over`, { clue: clue.number });
    if (body.to === clue.owner) throw new InvalidRequestError('to', `${body.to} already owns clue ${clue.number}`);
    const reason = body.reason.trim();
    if (reason === '') throw new InvalidRequestError('reason', 'reason must not be blank');
    if (clue.closedOn !== null) throw new ConflictError(`clue ${clue.number} is closed`, { clue: clue.number });
    const instanceId = clue.instanceId ?? clueInstanceId(clue.id);
    const handle = this.client.workflow.getHandle(instanceId);
    try {
      await withTemporalDeadline(this.client, () => handle.executeUpdate(setVariablesUpdate, { args: [{ variables: { owner: body.to }, local: false, by: caller.sub }] }));
      for (const task of await this.tasks.openOfInstance(instanceId)) {
        if (task.assignee !== caller.sub) continue;
        await withTemporalDeadline(this.client, () => handle.executeUpdate(taskActionUpdate, { args: [{ taskId: task.taskId, action: 'assign', user: body.to, caller }] }));
      }
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new ConflictError(`the process of clue ${clue.number} is not running`, { clue: clue.number });
      throw error;
    }
    await this.process.handedOver({ key: `handover:${randomUUID()}`, clueId: clue.id, onDate: this.today(), by: caller.sub }, clue.owner, body.to, reason);
    return this.detailOf((await this.clues.find(clue.id))!, caller, 'POST /clues/:id/handover');
  }

  /** Its keeper corrects registered facts; the values replaced stay in the history. */
  async correct(caller: Principal, id: string, body: CorrectClueDto): Promise<ClueDetailDto> {
    const clue = await this.keptBy(caller, id, 'corrects');
    const reason = body.reason.trim();
    if (reason === '') throw new InvalidRequestError('reason', 'reason must not be blank');
    if (body.summary === undefined && body.persons === undefined && body.category === undefined) {
      throw new InvalidRequestError('summary', 'a correction changes summary, persons or category');
    }
    const summary = body.summary?.trim();
    if (summary === '') throw new InvalidRequestError('summary', 'summary must not be blank');
    const persons = body.persons === undefined ? undefined : cleanPersons(body.persons);
    await this.clues.correct(clue.id, { summary, persons, category: body.category }, { reason, by: caller.sub, onDate: this.today() });
    return this.detailOf((await this.clues.find(clue.id))!, caller, 'PATCH /clues/:id');
  }

  private async namesFor(clues: Clue[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const unitIds = [...new Set(clues.flatMap((clue) => [clue.unitId, clue.officeId]))];
    for (const unit of await this.organisation.unitsByIds(unitIds)) names.set(unit.id, unit.name);
    for (const [id, name] of await this.organisation.roundNames([...new Set(clues.map((clue) => clue.roundId))])) names.set(id, name);
    return names;
  }

  private line(clue: Clue, names: Map<string, string>): ClueLineDto {
    const ref = (id: string) => ({ id, name: names.get(id) ?? id });
    return {
      id: clue.id,
      number: clue.number,
      round: ref(clue.roundId),
      unit: ref(clue.unitId),
      office: ref(clue.officeId),
      category: clue.category,
      categoryName: CLUE_CATEGORY_LABELS[clue.category] ?? clue.category,
      receivedOn: clue.receivedOn,
      restricted: clue.restricted,
      status: clue.status,
      statusName: CLUE_STATUS_LABELS[clue.status as ClueStatus] ?? clue.status,
      owner: clue.owner,
      registeredBy: clue.registeredBy,
      disposition: clue.disposition,
      dispositionName: clue.disposition ? CLUE_DISPOSITION_LABELS[clue.disposition] : null,
      fourForms: clue.fourForms,
      filedOn: clue.filedOn,
      closedOn: clue.closedOn,
      closeOutcome: clue.closeOutcome,
      closeOutcomeName: clue.closeOutcome ? CLOSE_OUTCOME_LABELS[clue.closeOutcome] : null,
      outcomes: clue.outcomes,
      feedbackDue: clue.feedbackDue,
      feedbackOverdue: clue.closedOn === null && clue.feedbackDue !== null && clue.feedbackDue < this.today(),
      feedbackCount: clue.feedbackCount,
    };
  }

  /** Today on the engine's calendar. */
  private today(): string {
    return formatDateTime(Date.now(), this.config.engine.timeZone).slice(0, 10);
  }

  /** The ledger filter of a query (shared by the ledger, the export and the metrics' links). */
  private ledgerFilter(query: ListCluesQuery): Omit<LedgerFilter, 'limit' | 'offset'> {
    const flag = (value: 'true' | 'false' | undefined): boolean | undefined => (value === undefined ? undefined : value === 'true');
    return {
      roundId: query.round,
      unitId: query.unit,
      officeId: query.office,
      status: query.status,
      disposition: query.disposition,
      feedbackOverdue: flag(query.feedbackOverdue),
      today: this.today(),
      closed: flag(query.closed),
      filed: flag(query.filed),
      receivedFrom: query.receivedFrom,
      receivedTo: query.receivedTo,
      closedFrom: query.closedFrom,
      closedTo: query.closedTo,
    };
  }
}

/** The receipt dates of a month (YYYY-MM) within the query's own range, for the ledger link of its bar. */
function monthRange(month: string, from: string | undefined, to: string | undefined): Record<string, string> {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  const last = new Date(Date.UTC(year, index, 0)).getUTCDate();
  const first = `${month}-01`;
  const end = `${month}-${String(last).padStart(2, '0')}`;
  return { receivedFrom: from !== undefined && from > first ? from : first, receivedTo: to !== undefined && to < end ? to : end };
}
