/** The embedded default, so that a new user needs no server. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/store-monitor.db';

export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string; database: string };

/** Reads DATABASE_URL (`sqlite:<path>` or `mysql://user:pass@host:port/db`). */
export function parseDatabaseUrl(raw: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): DatabaseTarget {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('DATABASE_URL sqlite:<path> needs a path');
    return { kind: 'sqlite', path };
  }
  if (raw.startsWith('mysql://')) {
    const url = new URL(raw);
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
      throw new Error('DATABASE_URL mysql://… must name a database, e.g. mysql://root@127.0.0.1:3306/store_monitor');
    }
    return { kind: 'mysql', url: raw, database };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got "${raw}")`);
}
