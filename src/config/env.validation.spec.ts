import 'reflect-metadata';
import { jobLeaseMsOf, validateEnv } from './env.validation';

describe('validateEnv', () => {
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
