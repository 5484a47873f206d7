/** The embedded default, so that a new user needs no server. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/store-monitor.db';

/** One server of a MySQL target: `host:port` as written, and a single-host URL for the driver. */
export interface MysqlNode {
  /** `host:port`, as /health shows it. */
  label: string;
  /** `mysql://user:pass@host:port/db?…`, this node alone. */
  url: string;
}

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'mysql';
      /** DATABASE_URL as given (it may name several hosts). */
      url: string;
      database: string;
      /** The servers, in the order given: the service uses the first reachable one and moves on when it is lost. */
      nodes: MysqlNode[];
    };

/**
 * Reads DATABASE_URL: `sqlite:<path>`, `mysql://user:pass@host:port/db`, or several hosts for a
 * cluster: `mysql://user:pass@h1:3306,h2:3306,h3/db` (the port defaults to 3306).
 */
export function parseDatabaseUrl(raw: string = process.env.DATABASE_URL || DEFAULT_DATABASE_URL): DatabaseTarget {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('DATABASE_URL sqlite:<path> needs a path');
    return { kind: 'sqlite', path };
  }
  if (raw.startsWith('mysql://')) {
    const rest = raw.slice('mysql://'.length);
    const end = rest.search(/[/?#]/);
    const authority = end === -1 ? rest : rest.slice(0, end);
    const tail = end === -1 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
    const hosts = authority
      .slice(at + 1)
      .split(',')
      .map((h) => h.trim());
    if (hosts.some((h) => h === '')) throw new Error('DATABASE_URL mysql://… names an empty host');
    const nodes = hosts.map((host) => {
      const url = `mysql://${userinfo}${host}${tail}`;
      const parsed = new URL(url); // throws on a malformed host or port
      return { label: `${parsed.hostname}:${parsed.port || 3306}`, url };
    });
    const database = decodeURIComponent(new URL(nodes[0].url).pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
      throw new Error('DATABASE_URL mysql://… must name a database, e.g. mysql://root@127.0.0.1:3306/store_monitor');
    }
    return { kind: 'mysql', url: raw, database, nodes };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or mysql:// (got "${raw}")`);
}
