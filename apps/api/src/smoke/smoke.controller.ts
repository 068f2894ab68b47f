import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SmokeRunDto, SmokeStartedDto, StartSmokeDto } from './smoke.dto';
import { SmokeService } from './smoke.service';

/** Walking skeleton through every layer; replaced by the engine's routes later. */
@ApiTags('smoke')
@Controller('smoke')
export class SmokeController {
  constructor(private readonly smoke: SmokeService) {}

  @Post()
  @ApiOperation({ summary: 'Start a smoke workflow whose activity writes one database row' })
  @ApiCreatedResponse({ type: SmokeStartedDto })
  async start(@Body() body: StartSmokeDto): Promise<SmokeStartedDto> {
    return { id: await this.smoke.start(body.message ?? 'smoke') };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status of a smoke workflow and the row it wrote' })
  @ApiOkResponse({ type: SmokeRunDto })
  @ApiNotFoundResponse({ description: 'No smoke run with this id' })
  get(@Param('id') id: string): Promise<SmokeRunDto> {
    return this.smoke.get(id);
  }
}
