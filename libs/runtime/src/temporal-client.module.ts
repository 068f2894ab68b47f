import type { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Module } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { encryptedDataConverter } from './payload-codec';

/** DI token of the Temporal `Client`. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/**
 * The API's Temporal client. The connection is lazy so the API starts (and reports 503 on
 * /health) while Temporal is down, instead of refusing to start.
 */
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Client({
          connection: Connection.lazy({ address: config.temporal.address }),
          namespace: config.temporal.namespace,
          // What the history keeps is encrypted; Temporal UI reads it through GET /codec with a permitted token.
          dataConverter: encryptedDataConverter(config.payload),
        }),
    },
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalClientModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}
