import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRepository } from '@xuncha/persistence';
import { AuditObjectNames } from './audit-objects';
import { AuditPageDto, AuditVerificationDto, ListAuditQuery, VerifyAuditQuery } from './audit.dto';

/** The audit trail, for the audit administrator (审计管理员). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditRepository,
    private readonly objects: AuditObjectNames,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit records, newest first, filtered by actor, act, object, result and time' })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@Query() query: ListAuditQuery): Promise<AuditPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.audit.list({
      ...(query.actor !== undefined ? { actor: query.actor } : {}),
      ...(query.action !== undefined ? { action: query.action } : {}),
      ...(query.object !== undefined ? { object: query.object } : {}),
      ...(query.result !== undefined ? { result: query.result } : {}),
      ...(query.from !== undefined ? { from: new Date(query.from) } : {}),
      ...(query.to !== undefined ? { to: new Date(query.to) } : {}),
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const names = await this.objects.namesOf(items.map((item) => item.object));
    return { items: items.map((item) => ({ ...item, objectName: item.object ? (names.get(item.object) ?? null) : null })), total, page, pageSize };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Check the hash chain and the signed checkpoints; names the first broken link' })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(@Query() query: VerifyAuditQuery): Promise<AuditVerificationDto> {
    return this.audit.verify({ fromLastCheckpoint: query.from === 'last-checkpoint' });
  }
}
