import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import type { Response } from 'express';
import { CurrentUser } from '../auth/current-user.decorator';
import { CreateRoundDto, CreateUnitDto, ListRoundsQuery, ListUnitsQuery, RoundDto, RoundPageDto, UnitDto } from './rounds.dto';
import { RoundsService } from './rounds.service';

/** Inspection rounds as records: stored by the inspection office, started by the round process (later). */
@ApiTags('rounds')
@ApiBearerAuth()
@Controller('rounds')
export class RoundsController {
  constructor(private readonly rounds: RoundsService) {}

  @Post()
  @ApiOperation({ summary: 'Store a round with the units it inspects (inspection-office, admin)' })
  @ApiCreatedResponse({ type: RoundDto, description: 'Stored' })
  @ApiOkResponse({ type: RoundDto, description: 'The request id was used before: the round stored then' })
  async create(@Body() body: CreateRoundDto, @CurrentUser() caller: Principal, @Res({ passthrough: true }) response: Response): Promise<RoundDto> {
    const { created, round } = await this.rounds.createRound(caller, body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return round;
  }

  @Get()
  @ApiOperation({ summary: 'Rounds, latest first; by inspected unit or by dates' })
  @ApiOkResponse({ type: RoundPageDto })
  list(@Query() query: ListRoundsQuery): Promise<RoundPageDto> {
    return this.rounds.rounds(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One round with its inspected units' })
  @ApiOkResponse({ type: RoundDto })
  get(@Param('id') id: string): Promise<RoundDto> {
    return this.rounds.round(id);
  }
}

/** The organisation directory: bodies that take part in rounds and those inspected. */
@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly rounds: RoundsService) {}

  @Get()
  @ApiOperation({ summary: 'Units of the directory, by kind then id' })
  @ApiOkResponse({ type: [UnitDto] })
  list(@Query() query: ListUnitsQuery): Promise<UnitDto[]> {
    return this.rounds.units(query.kind);
  }

  @Post()
  @ApiOperation({ summary: 'Add a unit to the directory (system administrator)' })
  @ApiCreatedResponse({ type: UnitDto })
  add(@Body() body: CreateUnitDto): Promise<UnitDto> {
    return this.rounds.addUnit(body);
  }
}
