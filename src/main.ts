import 'reflect-metadata';
import 'dotenv/config';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from './config/env.validation';
import { validateEnv } from './config/env.validation';

async function bootstrap() {
  // Settings first, so that a bad one is one line here (the modules validate it again when loaded).
  validateEnv(process.env);
  const { createApp } = await import('./app.factory');
  const app = await createApp();
  const config = app.get(ConfigService<EnvironmentVariables, true>);
  const port = config.get('PORT', { infer: true });
  await app.listen(port, config.get('HOST', { infer: true }));
  Logger.log(`Store Monitor listening on http://localhost:${port} (API docs at /docs)`, 'Bootstrap');

  // A graceful stop: no new work is taken, running reports and imports get SHUTDOWN_GRACE_S to
  // finish and the rest is handed back (see ReportJobsService), then the process exits 0.
  // A second signal while stopping ends the process at once.
  const stop = (signal: NodeJS.Signals) => {
    Logger.log(`${signal}: stopping`, 'Bootstrap');
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        Logger.error(`could not stop cleanly: ${error.message}`, 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((error) => {
  console.error(`store-monitor: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
