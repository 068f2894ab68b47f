import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';
import { NoticesService } from './notices.service';

/** GET /notices, POST /notices/read. */
@Module({
  controllers: [NoticesController],
  providers: [NoticesService],
})
export class NoticesModule {}
