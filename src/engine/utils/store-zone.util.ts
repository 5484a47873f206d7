import { DEFAULT_ZONE } from './engine.types';
import { isValidTimeZone } from './zone-offset.util';

/**
 * The zone the engine computes a store in: its own, or DEFAULT_ZONE when it has none (SPEC §2).
 * Imports refuse unknown zones; one stored earlier and unknown to this Node's ICU also falls back
 * to the default, rather than failing the store's figures.
 */
export function storeZone(zone: string | null | undefined): string {
  return zone && isValidTimeZone(zone) ? zone : DEFAULT_ZONE;
}
