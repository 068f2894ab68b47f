import { createSecretKey } from 'node:crypto';
import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { AuthController } from './auth.controller';
import { AccessGuard } from './access.guard';
import { DevTokenController } from './dev-token.controller';
import { JwksKeys } from './jwks-keys';
import { CallersService } from './callers.service';
import { LoginController } from './login.controller';
import { PasswordLoginService } from './password-login.service';
import { TokensService } from './tokens.service';

/** Bearer-token authentication and the permission guard for every route (HS256 with AUTH_JWT_SECRET, or the provider's JWKS). */
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
  controllers: [AuthController, LoginController],
  providers: [TokensService, JwksKeys, PasswordLoginService, CallersService, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [TokensService, PasswordLoginService, CallersService],
})
export class AuthModule {}

/** POST /auth/dev-token, present only when the configuration allows development tokens (the embedded mode). */
@Module({})
export class DevTokenModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: DevTokenModule, imports: [AuthModule], controllers: config.auth.devTokens ? [DevTokenController] : [] };
  }
}
