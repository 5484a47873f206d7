import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_JOB_LEASE_S, jobLeaseMsOf, SETTING_NAMES, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('gives the defaults of unset settings, reads numbers and keeps the rest of the environment', () => {
    const env = validateEnv({ PORT: '8080', LOG_FORMAT: 'json', HOME: '/root' });
    expect(env).toMatchObject({ PORT: 8080, LOG_FORMAT: 'json', HOME: '/root', DB_CONNECT_TIMEOUT_S: 60, LOG_LEVEL: 'log' });
    expect(env).toMatchObject({ DATABASE_URL: 'sqlite:data/store-monitor.db', UPLOAD_LIMIT_BYTES: 1024 ** 3 });
    expect(env.JOB_LEASE_S).toBeUndefined();
    expect(env.API_KEY).toBeUndefined();
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [
      { PORT: 'x', REPORT_CONCURRENCY: '0' },
      'PORT must be an integer from 0 to 65535; REPORT_CONCURRENCY must be an integer from 1 to 64',
    ],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db'],
    [{ LOG_LEVEL: 'info' }, 'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose'],
    [{ ALERT_WEBHOOK_URLS: 'ftp://x' }, 'ALERT_WEBHOOK_URLS must be http(s) URLs, comma-separated'],
    [{ ALERT_TIMEOUT_S: '0' }, 'ALERT_TIMEOUT_S must be a positive number'],
  ])('refuses %j: %s', (env, why) => {
    expect(() => validateEnv(env)).toThrow(`Invalid environment: ${why}`);
  });

  it.each([
    [{}, 30],
    [{ JOB_LEASE_S: '7' }, 7],
    [{ REPORT_LEASE_S: '5' }, 5],
    [{ JOB_LEASE_S: '7', REPORT_LEASE_S: '5' }, 7],
  ])('reads the job lease from %j as %d s (REPORT_LEASE_S its former name)', (env, seconds) => {
    const valid = validateEnv(env);
    expect(jobLeaseMsOf({ get: (key) => valid[key] })).toBe(seconds * 1000);
  });

  it.each([{ JOB_LEASE_S: '1' }, { REPORT_LEASE_S: '1' }, { JOB_LEASE_S: 'soon' }])('refuses the lease %j', (env) => {
    expect(() => validateEnv(env)).toThrow(/Invalid environment: .*LEASE_S/);
  });
});

describe('the settings, as documented', () => {
  const ROOT = join(__dirname, '..', '..');
  // REPORT_LEASE_S, JOB_LEASE_S's former name, is documented with it.
  const names = SETTING_NAMES.filter((name) => name !== 'REPORT_LEASE_S').sort();
  const defaults: Record<string, string | number | undefined> = { ...validateEnv({}), JOB_LEASE_S: DEFAULT_JOB_LEASE_S };

  it("are the rows of README's table, each with its default", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| ([^|]+?) \|/gm)].map(([, name, shown]) => [name, shown]);
    expect(rows.map(([name]) => name).sort()).toEqual(names);
    for (const [name, shown] of rows)
      expect([name, shown]).toEqual([name, defaults[name] === undefined ? '(none)' : `\`${String(defaults[name])}\``]);
  });

  it('are the variables of .env.example, each set there to its default or shown commented out', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const lines = [...example.matchAll(/^(# )?([A-Z_]+)=(.*)$/gm)];
    expect([...new Set(lines.map(([, , name]) => name))].sort()).toEqual(names);
    for (const [, commented, name, value] of lines.filter(([, commented]) => !commented)) {
      expect([name, commented, value]).toEqual([name, undefined, String(defaults[name])]);
    }
  });
});
