import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { formatInstantUs } from '../common/utils/format-instant-us.util';
import { parseAsOfUs } from '../common/utils/parse-as-of-us.util';
import { EnvironmentVariables, jobLeaseMsOf } from '../config/env.validation';
import { SqlClient } from '../database/sql-client';
import { formatLocalInstantUs, storeZone, US_PER_SECOND } from '../engine/utils';
import { ImportRunRepository } from '../repositories/import-run.repository';
import { StoreStateRepository, StoreStateRow } from '../repositories/store-state.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { BoardDto } from './dto/board.dto';
import { MonitorService } from './monitor.service';
import { boardRowOf } from './utils/board-row-of.util';
import { encodeBoardCursor } from './utils/encode-board-cursor.util';
import { BOARD_STATES } from './utils/evaluate-store.util';
import { BoardQuery, parseBoardQuery } from './utils/parse-board-query.util';

export interface BoardRequest {
  state?: unknown;
  q?: unknown;
  limit?: unknown;
  cursor?: unknown;
  as_of?: unknown;
}

/**
 * The board (SPEC §5): at the live as_of, the stores' rows as the last evaluation left them, read
 * in the board's index order (evaluated first if the live as_of moved since); at any other as_of,
 * every store evaluated for the request.
 */
@Injectable()
export class BoardService {
  private readonly leaseMs: number;

  constructor(
    private readonly sql: SqlClient,
    private readonly monitor: MonitorService,
    private readonly states: StoreStateRepository,
    private readonly stores: StoreRepository,
    private readonly zones: StoreTimezoneRepository,
    private readonly imports: ImportRunRepository,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.leaseMs = jobLeaseMsOf(config);
  }

  async board(request: BoardRequest): Promise<BoardDto> {
    const query = parseBoardQuery(request);
    const explicit = parseAsOfUs(request.as_of);
    const live = await this.monitor.isCurrent();
    if (explicit === undefined || explicit === live.asOfUs) {
      const asOfUs = live.current ? live.asOfUs : await this.catchUp(live.evaluatedAsOfUs);
      const [counts, rows] = await Promise.all([this.states.counts(), this.states.page({ ...query, limit: query.limit + 1 })]);
      return this.answer(asOfUs ?? Date.now() * 1000, counts, rows, query.limit);
    }
    return this.boardAt(explicit, query);
  }

  /**
   * The live as_of moved since the last evaluation: while an import runs (it evaluates at its
   * end) the board is the last evaluation's; otherwise the stores are evaluated now.
   */
  private async catchUp(evaluatedAsOfUs: number | null): Promise<number | null> {
    if (evaluatedAsOfUs !== null && (await this.imports.anyRunning(Date.now() - this.leaseMs))) return evaluatedAsOfUs;
    await this.monitor.evaluate({ onlyIfBehind: true });
    return (await this.monitor.isCurrent()).evaluatedAsOfUs;
  }

  private async boardAt(asOfUs: number, query: BoardQuery): Promise<BoardDto> {
    const evaluated = await this.sql.snapshot((session) => this.monitor.evaluateAt(session, asOfUs));
    const rows = evaluated.map(({ storeId, evaluation }) => boardRowOf(storeId, evaluation));
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.rank, (counts.get(row.rank) ?? 0) + 1);
    const after = query.after;
    const page = rows
      .filter(
        (r) =>
          (query.rank === undefined || r.rank === query.rank) &&
          (query.prefix === undefined || r.storeId.startsWith(query.prefix)),
      )
      .sort((a, b) => a.rank - b.rank || a.sinceUs - b.sinceUs || (a.storeId < b.storeId ? -1 : 1))
      .filter(
        (r) =>
          after === undefined ||
          r.rank > after.rank ||
          (r.rank === after.rank && (r.sinceUs > after.sinceUs || (r.sinceUs === after.sinceUs && r.storeId > after.storeId))),
      )
      .slice(0, query.limit + 1);
    return this.answer(asOfUs, counts, page, query.limit);
  }

  /** The page (one more row than shown says whether another follows), with each store's zone and last poll. */
  private async answer(asOfUs: number, counts: Map<number, number>, rows: StoreStateRow[], limit: number): Promise<BoardDto> {
    const shown = rows.slice(0, limit);
    const ids = shown.map((r) => r.storeId);
    const [zones, lastPolls] = await Promise.all([this.zones.zonesOf(ids), this.stores.lastPollsOf(ids)]);
    const last = shown[shown.length - 1];
    return {
      as_of: formatInstantUs(asOfUs),
      counts: { down: counts.get(0) ?? 0, up: counts.get(1) ?? 0, closed: counts.get(2) ?? 0, no_data: counts.get(3) ?? 0 },
      stores: shown.map(({ storeId, rank, sinceUs }) => {
        const down = rank === 0;
        const zone = storeZone(zones.get(storeId));
        const lastPoll = lastPolls.get(storeId);
        return {
          store_id: storeId,
          state: BOARD_STATES[rank],
          since: down ? { utc: formatInstantUs(sinceUs), local: formatLocalInstantUs(sinceUs, zone) } : null,
          down_for_s: down ? Math.floor((asOfUs - sinceUs) / US_PER_SECOND) : null,
          last_poll: lastPoll === undefined ? null : formatInstantUs(lastPoll),
        };
      }),
      next_cursor: rows.length > limit && last !== undefined ? encodeBoardCursor(last) : null,
    };
  }
}
