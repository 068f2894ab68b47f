import { Module } from '@nestjs/common';
import { DefinitionsController } from './definitions.controller';
import { DefinitionsService } from './definitions.service';
import { FormRegistry } from './form-registry';

/** POST /definitions and the version history routes. */
@Module({
  controllers: [DefinitionsController],
  providers: [DefinitionsService, FormRegistry],
  exports: [FormRegistry],
})
export class DefinitionsModule {}
