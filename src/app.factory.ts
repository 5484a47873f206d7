import compress from '@fastify/compress';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type FastifyHttpOptions, type FastifyInstance, LogController } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { AppModule } from './app.module';
import { readPackageVersion } from './common/utils/read-package-version.util';
import { EnvironmentVariables, validateEnv } from './config/env.validation';
import { AccessEntry, accessEntryOf, logAccess } from './http/access-log';
import { watchBodyIdle } from './http/body-idle-watch';
import { settleUnreadBody } from './http/settle-unread-body';
import { clientErrorHandler, connectRefusal, frameworkErrorHandler } from './http/framework-errors';
import { earlyRefusalOf } from './http/utils/early-refusal-of.util';
import { hasRequestBody } from './http/utils/has-request-body.util';
import { isMultipartForm } from './http/utils/is-multipart-form.util';
import { isOpenPath } from './http/utils/is-open-path.util';
import { jsonDepth } from './http/utils/json-depth.util';
import { matchesApiKey } from './http/utils/matches-api-key.util';
import { presentedApiKey } from './http/utils/presented-api-key.util';
import { WebhookDeliverer } from './monitor/webhook-deliverer.service';
import { InboxService } from './inbox/inbox.service';
import { ImportRunsService } from './ingestion/import-runs.service';
import { IngestionService } from './ingestion/ingestion.service';
import { createLogger } from './logging/create-logger';
import type { Logger } from 'pino';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { MetricsService } from './metrics/metrics.service';
import { ReportJobsService } from './reports/report-jobs.service';
import { serveOwnerPage } from './web/owner-page';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Deeper than any request body of the API nests (they are flat objects). */
const MAX_JSON_DEPTH = 32;
const splitList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

type Refused = (entry: AccessEntry) => void;

/** Builds the HTTP application (used by main.ts and by the integration tests; `logger: false` silences it). */
export async function createApp(options: { logger?: false } = {}): Promise<NestFastifyApplication> {
  const env = validateEnv(process.env);
  const logger = createLogger({ level: options.logger === false ? 'fatal' : env.LOG_LEVEL, format: env.LOG_FORMAT });
  if (options.logger === false) logger.level = 'silent';
  // What is refused before routing: its access line, and its count once the app (with the
  // metrics) is built; the server takes no request before that.
  const built: { metrics?: MetricsService } = {};
  const refused: Refused = (entry) => {
    logAccess(logger, entry);
    built.metrics?.httpRefused(entry.method, entry.status);
  };
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(fastifyOptionsOf(logger, refused)), {
    logger: new PinoNestLogger(logger),
    // A failure at start (the database, a setting) is thrown to main.ts, which prints one line.
    abortOnError: false,
    // JSON bodies are parsed by addBodyRules; the API takes no form-encoded body (415).
    bodyParser: false,
  });
  const metrics = app.get(MetricsService);
  built.metrics = metrics;
  const fastify = app.getHttpAdapter().getInstance();

  addAccessControl(fastify, env, refused);
  addAnswerHooks(fastify, logger, metrics);
  addBodyRules(fastify, env);
  await registerPlugins(app, env);
  setUpSwagger(app);
  // The owner's page at / (its files need no key; its API calls send one).
  await serveOwnerPage(app, { apiKeyRequired: splitList(env.API_KEY).length > 0 });

  await app.init();
  await startBackgroundWork(app);
  return app;
}

/** Fastify's options: the logger, request ids, and the answers to what is refused before routing. */
function fastifyOptionsOf(logger: Logger, refused: Refused): FastifyHttpOptions<Server> {
  // Typed as Fastify's own HTTP/1 options, so that `http` (Node's server options) is accepted.
  return {
    loggerInstance: logger,
    // Fastify's own request lines off (one access line per request: addAnswerHooks); the top-level
    // `disableRequestLogging` is deprecated since Fastify 5.11 (FSTDEP023) in favour of this.
    logController: new LogController({ disableRequestLogging: true }),
    // A caller's (or a proxy's) request id is kept when it is sane; otherwise one is made.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // What is refused before a route is found gets the safe headers too, no echo of the input,
    // its access line and its count.
    frameworkErrors: frameworkErrorHandler(refused),
    clientErrorHandler: clientErrorHandler(refused),
    // Refused by the first hook instead (addAccessControl), so that they are answered and
    // logged as everything else: Node answered a missing Host with a bare 400, and Fastify a
    // request while closing with a 503 that left no access line.
    http: { requireHostHeader: false },
    return503OnClosing: false,
  };
}

/**
 * The first hook, before a body is read: what is refused before the API key is looked at (no
 * Host, an unmet Expect, a request while stopping), then the API key: every endpoint but health
 * and the docs needs one.
 */
function addAccessControl(fastify: FastifyInstance, env: EnvironmentVariables, refused: Refused): void {
  // An Expect header other than 100-continue: Node answered 417 itself, bare and unlogged.
  const unmetExpectations = new WeakSet<IncomingMessage>();
  fastify.server.on('checkExpectation', (req: IncomingMessage, res) => {
    unmetExpectations.add(req);
    fastify.server.emit('request', req, res);
  });
  // A client that ends its side once its request is sent (shutdown(SHUT_WR)) still gets its
  // answer: Node otherwise drops the request under way and closes the connection.
  (fastify.server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // A CONNECT: Node closed the connection without a word.
  fastify.server.on('connect', connectRefusal(refused));
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });

  const keys = splitList(env.API_KEY);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    const refusal = earlyRefusalOf({
      closing,
      httpVersion: request.raw.httpVersion,
      host: request.headers.host,
      unmetExpectation: unmetExpectations.has(request.raw),
    });
    if (refusal !== null) return reply.code(refusal.statusCode).send(refusal);
    // (A CORS preflight carries no credentials by design: @fastify/cors answers it.)
    if (keys.length === 0 || request.method === 'OPTIONS' || isOpenPath(request.url)) return;
    const presented = presentedApiKey(request.headers);
    if (!matchesApiKey(presented, keys)) {
      // A wrong key is told apart from none (which key it was, or how near, is not said).
      const given = presented !== undefined && presented !== '';
      return reply
        .code(401)
        .header('www-authenticate', given ? 'Bearer error="invalid_token"' : 'Bearer')
        .send({
          statusCode: 401,
          message: given ? 'the API key is not valid' : 'an API key is required: send it as x-api-key or Authorization: Bearer',
          error: 'Unauthorized',
        });
    }
  });
}

/** One access line and the metrics per answer; the safe headers; a body not all received settled. */
function addAnswerHooks(fastify: FastifyInstance, logger: Logger, metrics: MetricsService): void {
  // One access line per request (4xx as warnings, 5xx as errors), and the HTTP metrics.
  fastify.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(request.method, route, status, reply.elapsedTime / 1000);
    logAccess(logger, { ...accessEntryOf(request, status), ms });
  });
  // No version disclosure; browsers must not guess content types.
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    reply.removeHeader('x-powered-by');
    // Answered before its body was all received: drained for a moment, or the connection closed after.
    await settleUnreadBody(request, reply);
  });
}

/** Every body: watched for stalls (but an upload's), and a JSON body's nesting bounded. */
function addBodyRules(fastify: FastifyInstance, env: EnvironmentVariables): void {
  // Every body but an upload's (watched where it is spooled) fails with a 400 when it stalls.
  const idleMs = env.UPLOAD_IDLE_TIMEOUT_S * 1000;
  fastify.addHook('preParsing', async (request, _reply, payload) =>
    hasRequestBody(request.headers) && !isMultipartForm(request.headers['content-type'])
      ? watchBodyIdle(request.raw, idleMs)
      : payload,
  );

  // JSON bodies: Fastify's own parser (prototype poisoning refused), once their nesting is checked:
  // the validation recurses into a body, and a few thousand levels overflowed the stack (a 500).
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepth(body as string) > MAX_JSON_DEPTH) {
      done(Object.assign(new Error(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400 }), undefined);
      return;
    }
    void parseJson(request, body as string, done);
  });
}

/** CORS (when origins are set), compression, multipart uploads and the DTO validation. */
async function registerPlugins(app: NestFastifyApplication, env: EnvironmentVariables): Promise<void> {
  const origins = splitList(env.CORS_ORIGINS);
  // Every method the API has (DELETE /reports/:id too); the headers a dashboard reads exposed.
  const corsOptions = {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    exposedHeaders: ['X-Report-Status', 'Content-Disposition', 'X-Request-Id', 'Retry-After'],
  };
  if (origins.length > 0) await app.register(cors, corsOptions);
  // Large answers (a report's CSV, lists) gzip or brotli when the client accepts it.
  await app.register(compress, { global: true, threshold: 1024 });
  await app.register(multipart, { limits: { fileSize: env.UPLOAD_LIMIT_BYTES, files: 3, fields: 10 } });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
}

/** The OpenAPI document at /docs. */
function setUpSwagger(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Store Monitor')
      .setDescription('Uptime and downtime of restaurant stores within their business hours.')
      .setVersion(readPackageVersion(__dirname))
      // package.json's licence: all rights reserved (npm's meaning of UNLICENSED, at that address).
      .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
      // Relative: the server that serves this document, behind whatever host or proxy.
      .addServer('/')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      // The keys are opaque strings (API_KEY), not JWTs: no bearerFormat.
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: undefined }, 'bearer')
      .addSecurityRequirements('api-key')
      .addSecurityRequirements('bearer')
      .build(),
    // Stable ids for generated clients: reportsList, ingestionImport, healthCheck …
    {
      operationIdFactory: (controller, method) =>
        `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}${method.replace(/^./, (c) => c.toUpperCase())}`,
    },
  );
  SwaggerModule.setup('docs', app, document);
}

/** The background work of the HTTP service: report jobs, the import sweep and its spare threads, webhook delivery, the inbox. */
async function startBackgroundWork(app: NestFastifyApplication): Promise<void> {
  app.get(ReportJobsService).start();
  app.get(ImportRunsService).startSweeping();
  app.get(IngestionService).keepWorkersReady();
  app.get(WebhookDeliverer).start();
  await app.get(InboxService).start();
}
