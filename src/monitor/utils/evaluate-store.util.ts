import { downtimeIncidents, HoursRow, Micros, openIntervals, Poll, statusSegments, US_PER_WEEK } from '../../engine/utils';

/** A store on the board (SPEC §5), in the board's order. */
export const BOARD_STATES = ['down', 'up', 'closed', 'no_data'] as const;
export type BoardState = (typeof BOARD_STATES)[number];

/** An event the evaluation finds due; recorded once per (store, incident start, type). */
export type IncidentEvent = { type: 'store.down'; startUs: Micros } | { type: 'store.up'; startUs: Micros; endUs: Micros };

export interface StoreEvaluationInput {
  asOfUs: Micros;
  /** Where the polls read begin: every poll in [fromUs, asOfUs] and the last one before fromUs. */
  fromUs: Micros;
  lookbackUs: Micros;
  hours: readonly HoursRow[];
  /** The zone the store is computed in (storeZone). */
  zone: string;
  polls: readonly Poll[];
  /** The start of the store's announced incident that has not been seen ending, if any. */
  openIncidentUs: Micros | null;
}

export interface StoreEvaluation {
  /**
   * The first incident starts at `fromUs` and is not the announced one: it began earlier than the
   * polls read, so evaluate again from the start of the week (where the store view cuts it too).
   */
  cut: boolean;
  state: BoardState;
  /** For `down`: the start of the incident going on. */
  sinceUs: Micros | null;
  /** The announced incident still going on after this evaluation. */
  openIncidentUs: Micros | null;
  events: IncidentEvent[];
}

/**
 * One store at the live as_of: its state on the board and the incident events now due, from the
 * engine's incidents over [fromUs, as_of) (the store view's, SPEC §2). An incident is announced
 * (`store.down`) once it is seen going on or ended within the lookback, and `store.up` follows
 * once it has ended. An incident that begins exactly where the polls read begin is the announced
 * one when that is where it was announced (the caller reads from there); an announced incident
 * that no longer appears (later polls overturned the status it was seen in) ends where it began.
 */
export function evaluateStore(input: StoreEvaluationInput): StoreEvaluation {
  const { asOfUs, fromUs, lookbackUs, hours, zone, polls, openIncidentUs } = input;
  const open = openIntervals(hours, zone, fromUs, asOfUs);
  const incidents = downtimeIncidents(open, statusSegments(polls, fromUs, asOfUs));
  const weekStart = asOfUs - US_PER_WEEK;
  const cut = incidents.length > 0 && incidents[0][0] === fromUs && fromUs !== openIncidentUs && fromUs > weekStart;

  const events: IncidentEvent[] = [];
  for (const [startUs, endUs] of incidents) {
    if (endUs < asOfUs - lookbackUs && startUs !== openIncidentUs) continue;
    events.push({ type: 'store.down', startUs });
    if (endUs < asOfUs) events.push({ type: 'store.up', startUs, endUs });
  }
  if (openIncidentUs !== null && !incidents.some(([startUs]) => startUs === openIncidentUs)) {
    events.push({ type: 'store.up', startUs: openIncidentUs, endUs: openIncidentUs });
  }

  const last = incidents[incidents.length - 1];
  const ongoing = last !== undefined && last[1] === asOfUs ? last[0] : null;
  const lastOpen = open[open.length - 1];
  const state: BoardState =
    polls.length === 0
      ? 'no_data'
      : ongoing !== null
        ? 'down'
        : lastOpen !== undefined && lastOpen[1] === asOfUs
          ? 'up'
          : 'closed';
  return { cut, state, sinceUs: ongoing, openIncidentUs: ongoing, events };
}
