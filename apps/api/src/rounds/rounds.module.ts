import { Module } from '@nestjs/common';
import { RoundsController, UnitsController } from './rounds.controller';
import { RoundsService } from './rounds.service';

/** Rounds and the organisation directory as records, with their small API. */
@Module({
  controllers: [RoundsController, UnitsController],
  providers: [RoundsService],
  exports: [RoundsService],
})
export class RoundsModule {}
