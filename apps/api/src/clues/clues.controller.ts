import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { ClueAccessDto, ClueDetailDto, ClueGrantDto, CluePageDto, CorrectClueDto, GrantClueDto, HandOverClueDto, ListCluesQuery, RegisterClueDto } from './clues.dto';
import { CluesService } from './clues.service';

/** Transferred clues: the ledger for those who keep it, the details for those who handle each clue. */
@ApiTags('clues')
@ApiBearerAuth()
@Controller('clues')
export class CluesController {
  constructor(private readonly clues: CluesService) {}

  @Post()
  @ApiOperation({ summary: 'Register a transferred clue with the year’s next number (inspection-office, commission-case-office)' })
  @ApiCreatedResponse({ type: ClueDetailDto })
  @ApiOkResponse({ type: ClueDetailDto, description: 'The request id was used before: the clue registered then' })
  async register(@Body() body: RegisterClueDto, @CurrentUser() caller: Principal, @Res({ passthrough: true }) response: Response): Promise<ClueDetailDto> {
    const { created, clue } = await this.clues.register(caller, body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return clue;
  }

  @Get()
  @ApiOperation({ summary: 'The ledger (台账): lines the caller may see, without summary or persons' })
  @ApiOkResponse({ type: CluePageDto })
  ledger(@Query() query: ListCluesQuery, @CurrentUser() caller: Principal): Promise<CluePageDto> {
    return this.clues.ledger(caller, query);
  }

  @Get('export')
  @ApiOperation({ summary: 'The ledger as an .xlsx workbook (same filters): details only where the caller may read them, else masked' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@Query() query: ListCluesQuery, @CurrentUser() caller: Principal, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const workbook = await this.clues.export(caller, query);
    response.setHeader('Content-Disposition', `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent('线索台账.xlsx')}`);
    return new StreamableFile(workbook, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', length: workbook.length });
  }

  @Get(':id')
  @ApiOperation({ summary: 'The whole clue, for those who handle it; each read is logged' })
  @ApiOkResponse({ type: ClueDetailDto })
  detail(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<ClueDetailDto> {
    return this.clues.detail(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Correct registered facts (summary, persons, category) with the reason; the values replaced stay in the history (the clue’s keeper)' })
  @ApiOkResponse({ type: ClueDetailDto })
  correct(@Param('id') id: string, @Body() body: CorrectClueDto, @CurrentUser() caller: Principal): Promise<ClueDetailDto> {
    return this.clues.correct(caller, id, body);
  }

  @Post(':id/handover')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Hand the clue to a new owner, with the reason: its open tasks and later ones go to them (the owner)' })
  @ApiOkResponse({ type: ClueDetailDto })
  handOver(@Param('id') id: string, @Body() body: HandOverClueDto, @CurrentUser() caller: Principal): Promise<ClueDetailDto> {
    return this.clues.handOver(caller, id, body);
  }

  @Get(':id/letters/:letterId')
  @ApiOperation({ summary: 'A 提醒函 or 督办函 about the clue as a .docx in the official document layout (those who handle the clue); logged' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
  async letter(@Param('id') id: string, @Param('letterId') letterId: string, @CurrentUser() caller: Principal, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { file, name } = await this.clues.letter(caller, id, letterId);
    response.setHeader('Content-Disposition', `attachment; filename="letter.docx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    return new StreamableFile(file, { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', length: file.length });
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({ summary: 'A file registered with the clue, such as the transfer letter’s scan (those who handle the clue); logged' })
  @ApiProduces('application/pdf', 'application/ofd', 'image/jpeg', 'image/png', 'image/tiff')
  async attachment(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { file, name, contentType } = await this.clues.attachment(caller, id, attachmentId);
    response.setHeader('Content-Disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(name)}`);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(file, { type: contentType, length: file.length });
  }

  @Get(':id/access-log')
  @ApiOperation({ summary: 'Who read the clue’s details, when and through which route (its owner)' })
  @ApiOkResponse({ type: [ClueAccessDto] })
  accessLog(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<ClueAccessDto[]> {
    return this.clues.accessLog(caller, id);
  }

  @Post(':id/grants')
  @ApiOperation({ summary: 'Grant someone access to the details, with the reason (the clue’s keeper)' })
  @ApiCreatedResponse({ type: ClueGrantDto })
  grant(@Param('id') id: string, @Body() body: GrantClueDto, @CurrentUser() caller: Principal): Promise<ClueGrantDto> {
    return this.clues.grant(caller, id, body);
  }

  @Get(':id/grants')
  @ApiOperation({ summary: 'The grants of the clue, in force and revoked (the clue’s keeper)' })
  @ApiOkResponse({ type: [ClueGrantDto] })
  grants(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<ClueGrantDto[]> {
    return this.clues.grants(caller, id);
  }

  @Delete(':id/grants/:user')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a grant in force (the clue’s keeper); the record stays' })
  revoke(@Param('id') id: string, @Param('user') user: string, @CurrentUser() caller: Principal): Promise<void> {
    return this.clues.revoke(caller, id, user);
  }
}
