import type { Readable } from 'node:stream';
import { Dialect, RunResult, SqlClient, SqlParams, SqlSession } from './sql-client';

/**
 * A client that connects on its first query (the CLI: `--help` and `--version`, and a command's
 * own refusal of its options, need no database). The dialect is known from DATABASE_URL before.
 */
export class LazySqlClient extends SqlClient {
  private client: Promise<SqlClient> | null = null;
  private connected: SqlClient | null = null;

  constructor(
    readonly dialect: Dialect,
    private readonly connect: () => Promise<SqlClient>,
  ) {
    super();
  }

  override resolve(): Promise<SqlClient> {
    this.client ??= this.connect().then((client) => (this.connected = client));
    return this.client;
  }

  get where(): string {
    return this.connected?.where ?? 'not connected yet';
  }

  async ping(): Promise<void> {
    return (await this.resolve()).ping();
  }

  async rows<T extends unknown[]>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await this.resolve()).rows<T>(sql, params);
  }

  async objects<T extends object>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await this.resolve()).objects<T>(sql, params);
  }

  async run(sql: string, params?: SqlParams, infile?: () => Readable): Promise<RunResult> {
    return (await this.resolve()).run(sql, params, infile);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return (await this.resolve()).transaction(fn);
  }

  async snapshot<T>(fn: (s: SqlSession) => Promise<T>): Promise<T> {
    return (await this.resolve()).snapshot(fn);
  }

  override async checkpoint(): Promise<void> {
    if (this.client !== null) await (await this.client).checkpoint();
  }

  async close(): Promise<void> {
    if (this.client !== null) await (await this.client).close();
  }
}
