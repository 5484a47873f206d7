import { SqlSession } from '../database/sql-client';

/**
 * Base of the repositories that write in transactions: `on(tx)` is the same repository on a
 * transaction's session, so that a service can write to several tables at once:
 * `sql.transaction((tx) => Promise.all([hours.on(tx).insert(…), stores.on(tx).register(…)]))`.
 */
export abstract class SessionRepository {
  constructor(protected readonly db: SqlSession) {}

  on(tx: SqlSession): this {
    return new (this.constructor as new (db: SqlSession) => this)(tx);
  }

  /** `?, ?, ?` for a list of values. */
  protected static placeholders(count: number, group = '?'): string {
    return Array.from({ length: count }, () => group).join(', ');
  }
}
