import { Module } from '@nestjs/common';
import { TemporalClientModule } from '../temporal/temporal-client.module';
import { SmokeController } from './smoke.controller';
import { SmokeService } from './smoke.service';

/** POST /smoke and GET /smoke/:id. */
@Module({
  imports: [TemporalClientModule],
  controllers: [SmokeController],
  providers: [SmokeService],
})
export class SmokeModule {}
