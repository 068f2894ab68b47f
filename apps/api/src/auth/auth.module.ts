import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { AuthController } from './auth.controller';
import { AccessGuard } from './access.guard';
import { TokensService } from './tokens.service';

/** Bearer-token authentication for every route (HS256, secret from AUTH_JWT_SECRET). */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A key object made once: given the text, every signature and check would make one anew.
        secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.tokenTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [TokensService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [TokensService],
})
export class AuthModule {}
