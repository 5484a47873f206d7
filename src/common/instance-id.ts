import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name among the instances that share the database: it owns the reports and
 * imports it runs. Random per process, so that a restarted instance is a new one and never
 * mistakes a job of its previous life for its own; host and pid make it readable in logs.
 */
export const INSTANCE_ID = `${hostname().slice(0, 32)}-${process.pid}-${randomBytes(4).toString('hex')}`;
