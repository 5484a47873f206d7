import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { checkStoreId } from '../common/utils/check-store-id.util';
import { formatInstantUs } from '../common/utils/format-instant-us.util';
import { parseAsOfUs } from '../common/utils/parse-as-of-us.util';
import { isRetryable, withRetry } from '../database/retrying';
import { SqlClient, SqlSession } from '../database/sql-client';
import { storeZone } from '../engine/utils';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { StoreListDto } from './dto/store-list.dto';
import { StoreViewDto } from './dto/store-view.dto';
import { parseStorePage } from './utils/parse-store-page.util';
import { storeView } from './utils/store-view.util';

/**
 * The stores as an owner looks them up: one store's figures and downtime incidents computed
 * live, and the paged list to find an id. Every read is a primary-key seek or range, so a view
 * costs the same whatever the history held.
 */
@Injectable()
export class StoreViewService {
  constructor(
    private readonly sql: SqlClient,
    private readonly stores: StoreRepository,
    private readonly polls: PollRepository,
    private readonly hours: BusinessHoursRepository,
    private readonly zones: StoreTimezoneRepository,
  ) {}

  /**
   * One store for an as_of (default: the latest poll in the database, as the report's).
   * InvalidInputError for a malformed id or as_of, NotFoundError for a store no feed named.
   */
  async view(storeId: string, asOf?: string): Promise<StoreViewDto> {
    const bad = checkStoreId(storeId);
    if (bad !== null) throw new InvalidInputError(bad);
    const explicit = parseAsOfUs(asOf);
    // One snapshot, as a report reads: an import committing meanwhile is in the view wholly or not
    // at all. A snapshot whose connection broke half-way is read again (the reads are idempotent);
    // a database out of reach from the start answers at once (503, or the CLI's one try).
    let begun = false;
    const read = await withRetry(
      () =>
        this.sql.snapshot((session) => {
          begun = true;
          return this.readView(session, storeId, explicit);
        }),
      { what: 'a database read', retryable: (error) => begun && isRetryable(error) },
    );
    if (read === null) throw new NotFoundError(`no store ${storeId}`);
    const { asOfUs, hours, zones, polls } = read;
    return storeView({
      storeId,
      asOfUs,
      hours: hours.get(storeId) ?? [],
      zone: zones.get(storeId),
      polls: polls.get(storeId) ?? [],
    });
  }

  /** The reads of a report batch, for one store, queued together on the session; only the polls wait for as_of. Null for an unknown store. */
  private async readView(session: SqlSession, storeId: string, explicit: number | undefined) {
    const [asOfUs, store, hours, zones] = await Promise.all([
      // The report's default: the latest poll, or now when there is none (then every figure is 0).
      explicit ??
        this.stores
          .on(session)
          .latestPollUs()
          .then((latest) => latest ?? Date.now() * 1000),
      this.stores.on(session).find(storeId),
      this.hours.on(session).schedulesOf([storeId]),
      this.zones.on(session).zonesOf([storeId]),
    ]);
    if (store === null) return null;
    const polls = await this.polls.on(session).weekOf([storeId], asOfUs);
    return { asOfUs, hours, zones, polls };
  }

  /** A page of stores after the cursor. InvalidInputError for a bad limit or cursor. */
  async list(limit?: string, cursor?: string): Promise<StoreListDto> {
    const page = parseStorePage(limit, cursor);
    // One more than asked: whether another page follows, without a count.
    const rows = await this.stores.page(page.after, page.limit + 1);
    const shown = rows.slice(0, page.limit);
    const ids = shown.map((r) => r.storeId);
    const [hours, zones] = await Promise.all([this.hours.schedulesOf(ids), this.zones.zonesOf(ids)]);
    return {
      stores: shown.map(({ storeId, lastPollUs }) => {
        const zone = zones.get(storeId);
        const tz = storeZone(zone);
        return {
          store_id: storeId,
          timezone: tz,
          timezone_is_default: tz !== zone,
          has_business_hours: hours.has(storeId),
          last_poll: lastPollUs === null ? null : formatInstantUs(lastPollUs),
        };
      }),
      next_cursor: rows.length > page.limit ? ids[ids.length - 1] : null,
    };
  }
}
