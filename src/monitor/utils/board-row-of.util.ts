import type { StoreStateRow } from '../../repositories/store-state.repository';
import { BOARD_STATES, StoreEvaluation } from './evaluate-store.util';

/** A store's evaluation as its board row: the state's rank in the board's order, since (0 unless down), its announced incident. */
export function boardRowOf(storeId: string, evaluation: StoreEvaluation): StoreStateRow {
  return {
    storeId,
    rank: BOARD_STATES.indexOf(evaluation.state),
    sinceUs: evaluation.sinceUs ?? 0,
    openIncidentUs: evaluation.openIncidentUs,
  };
}
