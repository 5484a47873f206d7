import 'reflect-metadata';
import 'dotenv/config';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import { EnvironmentVariables } from './config/env.validation';

async function bootstrap() {
  const app = await createApp();
  const port = app.get(ConfigService<EnvironmentVariables, true>).get('PORT', { infer: true });
  await app.listen(port, '0.0.0.0');
  Logger.log(`Store Monitor listening on http://localhost:${port} (API docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(`store-monitor: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
