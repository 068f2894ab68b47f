import { Module } from '@nestjs/common';
import { CluesController } from './clues.controller';
import { CluesService } from './clues.service';

/** The clue ledger and its details on a need-to-know basis. */
@Module({
  controllers: [CluesController],
  providers: [CluesService],
})
export class CluesModule {}
