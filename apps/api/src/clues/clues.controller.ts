import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { ClueAccessDto, ClueDetailDto, CluePageDto, ListCluesQuery, RegisterClueDto } from './clues.dto';
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

  @Get(':id')
  @ApiOperation({ summary: 'The whole clue, for those who handle it; each read is logged' })
  @ApiOkResponse({ type: ClueDetailDto })
  detail(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<ClueDetailDto> {
    return this.clues.detail(caller, id);
  }

  @Get(':id/access-log')
  @ApiOperation({ summary: 'Who read the clue’s details, when and through which route (its owner)' })
  @ApiOkResponse({ type: [ClueAccessDto] })
  accessLog(@Param('id') id: string, @CurrentUser() caller: Principal): Promise<ClueAccessDto[]> {
    return this.clues.accessLog(caller, id);
  }
}
