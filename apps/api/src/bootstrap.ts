import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import { MAX_DEFINITION_BYTES } from '@xuncha/bpmn';
import type { AppConfig } from '@xuncha/config';
import { nestLogLevels } from '@xuncha/config';
import { TemporalWorkerService } from '../../worker/src/temporal-worker.service';
import { AuditRepository } from '@xuncha/persistence';
import type { AppRoles } from './app.module';
import { AppModule } from './app.module';
import { auditTrailMiddleware } from './audit/audit-trail.middleware';
import { CallersService } from './auth/callers.service';
import { fieldsInvalid } from './http/validation';
import { REGISTER_BODY_LIMIT_BYTES } from './clues/attachments';
import { XML_MEDIA_TYPES } from './definitions/definitions.controller';
import { ErrorFilter } from './http/error.filter';
import { HostileInputPipe, refuseDeepJson, requireBodyType } from './http/hostile-input';

const registrationParser = json({ limit: REGISTER_BODY_LIMIT_BYTES, verify: refuseDeepJson });

/** A configured application, not yet listening; shared by main.ts, the all-in-one start and tests. */
export interface CreatedApp {
  app: INestApplication;
  /** Settles when the in-process worker stops; undefined when this process hosts no worker. */
  worker: Promise<void> | undefined;
}

/** How the caller wants the process wired. */
export interface CreateAppOptions extends AppRoles {
  /** Let Nest close the app on SIGINT/SIGTERM; off when the caller orchestrates shutdown itself. */
  shutdownHooks: boolean;
}

/** Builds the Nest application: validation, the error filter, OpenAPI at /docs, and the worker when asked. */
export async function createApp(config: AppConfig, options: CreateAppOptions): Promise<CreatedApp> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { worker: options.worker }), {
    logger: nestLogLevels(config.logLevel),
  });
  if (options.shutdownHooks) app.enableShutdownHooks();
  // Security headers on every answer, and no word of what serves them.
  app.disable('x-powered-by');
  // Behind a reverse proxy the caller's address is the one it forwards (TRUST_PROXY), for rate limits, sessions and the audit trail.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.use(helmet({ contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } }, strictTransportSecurity: { maxAge: 31_536_000 } }));
  // Browsers may call from the API's own origin, and from the origins configured for a console served elsewhere.
  app.enableCors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false, credentials: false, maxAge: 600 });
  serveConsole(app, config.consoleDir);
  // Every change and refusal, and the reads of sensitive routes, go to the audit trail.
  app.use(auditTrailMiddleware(app.get(AuditRepository)));
  // JSON everywhere; BPMN XML and uploads only where a definition is deployed.
  app.use(requireBodyType({ 'POST /definitions': [...XML_MEDIA_TYPES, 'multipart/form-data'] }));
  // BPMN uploads arrive as raw XML; larger bodies are refused by the parser with 413.
  app.useBodyParser('raw', { type: XML_MEDIA_TYPES, limit: MAX_DEFINITION_BYTES });
  // A clue's registration carries its attachments in base64: that route alone takes the larger
  // body, and only from a caller whose token verifies (anyone else gets the 1 MB limit).
  const callers = app.get(CallersService);
  const signedIn = (request: Request): Promise<boolean> => callers.authenticate(request.headers.authorization).then(
    ({ mustChangePassword }) => !mustChangePassword,
    () => false,
  );
  app.use('/clues', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'POST' || request.path !== '/') return next();
    void signedIn(request).then((yes) => (yes ? registrationParser(request, response, next) : next()));
  });
  // Room for 256 KB of variables plus the rest of the body; the services check the variables' own limit.
  // JSON nested deeper than any request needs is refused before it is parsed.
  app.useBodyParser('json', { limit: '1mb', verify: refuseDeepJson });
  app.useGlobalPipes(new HostileInputPipe(), new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: fieldsInvalid }));
  app.useGlobalFilters(new ErrorFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('巡察协同流程引擎 API')
      .setDescription('BPMN workflow engine on Temporal for inspection rounds (巡察)')
      .setVersion('0.4.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  const worker = options.worker ? app.get(TemporalWorkerService).run() : undefined;
  return { app, worker };
}

/**
 * The console under /console/ (same origin, so no CORS and no token in a cookie): its hashed
 * assets cached for good, its index for no time, and every other path under it answered with the
 * index (the console routes by itself). `/` in a browser goes there.
 */
function serveConsole(app: NestExpressApplication, consoleDir: string): void {
  const index = path.join(consoleDir, 'index.html');
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && (request.path === '/' || request.path === '/console')) return response.redirect(302, '/console/');
    next();
  });
  app.useStaticAssets(consoleDir, {
    prefix: '/console/',
    index: false,
    setHeaders: (response: Response, file: string) => {
      response.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use('/console', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (!fs.existsSync(index)) {
      response.status(503).type('text/plain; charset=utf-8').send('控制台尚未构建：请先运行 npm run build。The console is not built: run npm run build.');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
