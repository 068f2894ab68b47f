import { Module } from '@nestjs/common';
import { CodecController } from './codec.controller';

/** POST /codec/decode and /codec/encode for Temporal UI. */
@Module({ controllers: [CodecController] })
export class CodecModule {}
