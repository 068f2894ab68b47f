import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { formatDateTime } from '@xuncha/bpmn-engine';
import { dayNumber } from '@xuncha/calendar';
import type { Principal } from '@xuncha/contracts';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError } from '@xuncha/contracts';
import type { Clue, ClueGrant } from '@xuncha/persistence';
import { CLUE_CATEGORY_LABELS, ClueRepository, OrganisationRepository } from '@xuncha/persistence';
import { dateField } from '../http/fields';
import { ledgerWorkbook } from './ledger-workbook';
import type { ClueAccessDto, ClueDetailDto, ClueGrantDto, ClueLineDto, CluePageDto, GrantClueDto, ListCluesQuery, RegisterClueDto } from './clues.dto';

/** The most lines one export holds. */
const EXPORT_LIMIT = 50_000;

/** Who registers transferred clues: the inspection office that transfers them, the case office that receives them. */
const REGISTRARS = ['inspection-office', 'commission-case-office'];
/** Bodies that keep or watch the ledger: they see every line that is not restricted, never the details. */
const LEDGER_KEEPERS = ['commission-case-office', 'inspection-office', 'leading-group', 'supervisor'];

const STATUS_LABELS: Record<string, string> = { registered: '已登记' };

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

function keepsLedger(caller: Principal): boolean {
  return caller.groups.some((group) => LEDGER_KEEPERS.includes(group));
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
  ) {}

  /**
   * Registers a clue with the year's next number: its round exists, its unit is one the round
   * inspects, its office is the commission's, its date a past or present calendar date; nothing
   * is stored when any check fails. The same request id again answers the first registration.
   */
  async register(caller: Principal, body: RegisterClueDto): Promise<{ created: boolean; clue: ClueDetailDto }> {
    if (!caller.groups.some((group) => REGISTRARS.includes(group))) {
      throw new ForbiddenError(`only members of ${REGISTRARS.join(' or ')} may register clues`, { required: REGISTRARS });
    }
    const round = await this.organisation.round(body.round);
    if (!round) throw new InvalidRequestError('round', `round names no round: "${body.round}"`);
    if (!round.unitIds.includes(body.unit)) throw new InvalidRequestError('unit', `unit "${body.unit}" is not inspected by ${round.round.name}`);
    const [office] = await this.organisation.unitsByIds([body.office]);
    if (!office) throw new InvalidRequestError('office', `office names no unit: "${body.office}"`);
    if (office.kind !== 'commission') throw new InvalidRequestError('office', `office must be an office of the discipline commission; ${office.name} is not`);
    const received = dateField('receivedOn', body.receivedOn);
    const today = formatDateTime(Date.now()).slice(0, 10);
    if (received > dayNumber(today)) throw new InvalidRequestError('receivedOn', `receivedOn (${body.receivedOn}) is after today (${today})`);
    const summary = body.summary.trim();
    if (summary === '') throw new InvalidRequestError('summary', 'summary must not be blank');
    const persons = body.persons.map((person, index) => {
      const name = person.name.trim();
      if (name === '') throw new InvalidRequestError(`persons[${index}].name`, `persons[${index}].name must not be blank`);
      return { name, position: person.position.trim() };
    });
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
    });
    // A request id another person used answers nothing of their clue.
    if (!created && !(await this.inCircle(clue, caller))) throw new ConflictError(`request id "${body.requestId ?? ''}" was used by another registration`, { field: 'requestId' });
    return { created, clue: await this.detailOf(clue, caller, 'POST /clues') };
  }

  /** The ledger lines the caller may see. */
  async ledger(caller: Principal, query: ListCluesQuery): Promise<CluePageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total, totalExact } = await this.clues.ledger(
      { roundId: query.round, unitId: query.unit, officeId: query.office, status: query.status, limit: pageSize, offset: (page - 1) * pageSize },
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
      { roundId: query.round, unitId: query.unit, officeId: query.office, status: query.status, limit: EXPORT_LIMIT, offset: 0 },
      { sub: caller.sub, keepsLedger: keepsLedger(caller) },
    );
    const names = await this.namesFor(items);
    const readable = await this.clues.inCircleOf(
      items.map((clue) => clue.id),
      caller.sub,
    );
    const details = await this.clues.details([...readable]);
    await this.clues.logAccesses([...readable].map((clueId) => ({ clueId, sub: caller.sub, action: 'export', route: 'GET /clues/export' })));
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

  /** Whether the person is in the clue's circle: its registrant, its owner, and those its keeper granted access (assignees join with the process). */
  private async inCircle(clue: Clue, caller: Principal): Promise<boolean> {
    return clue.registeredBy === caller.sub || clue.owner === caller.sub || this.clues.granted(clue.id, caller.sub);
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
    await this.clues.logAccess({ clueId: clue.id, sub: caller.sub, action: 'read-details', route });
    return { ...this.line(clue, await this.namesFor([clue])), summary: detail.summary, persons: detail.persons };
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
      statusName: STATUS_LABELS[clue.status] ?? clue.status,
      owner: clue.owner,
      registeredBy: clue.registeredBy,
    };
  }
}
