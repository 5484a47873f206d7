import multipart from '@fastify/multipart';
import { ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { EnvironmentVariables } from './config/env.validation';
import { InboxService } from './inbox/inbox.service';
import { ImportRunsService } from './ingestion/import-runs.service';
import { ReportJobsService } from './reports/report-jobs.service';

/** Builds the HTTP application (used by main.ts and by the integration tests). */
export async function createApp(options: { logger?: false } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
    logger: options.logger,
    // A failed start (e.g. no database within DB_CONNECT_TIMEOUT_S) rejects, so that main.ts ends
    // with its one-line reason and exit code 1 instead of Nest exiting the process itself.
    abortOnError: false,
  });
  const config = app.get(ConfigService<EnvironmentVariables, true>);
  await app.register(multipart, {
    limits: { fileSize: config.get('UPLOAD_LIMIT_BYTES', { infer: true }), files: 3, fields: 10 },
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Store Monitor')
      .setDescription('Uptime and downtime of restaurant stores within their business hours.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);

  await app.init();
  app.get(ReportJobsService).start();
  app.get(ImportRunsService).startSweeping();
  await app.get(InboxService).start();
  return app;
}
