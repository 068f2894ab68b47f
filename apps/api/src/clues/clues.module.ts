import { Module } from '@nestjs/common';
import { TemporalClientModule } from '@xuncha/runtime';
import { ClueMetricsController } from './clue-metrics.controller';
import { ClueSummariesController } from './clue-summaries.controller';
import { ClueSummariesService } from './clue-summaries.service';
import { CluesController } from './clues.controller';
import { CluesService } from './clues.service';

/** The clue ledger and its details on a need-to-know basis. */
@Module({
  imports: [TemporalClientModule],
  controllers: [CluesController, ClueMetricsController, ClueSummariesController],
  providers: [CluesService, ClueSummariesService],
})
export class CluesModule {}
