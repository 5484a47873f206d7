/**
 * Tags, hashed with the seed and the store, that keep the hash streams of different decisions
 * apart (a store's miss of slot k says nothing of its jitter in slot k). Changing one changes
 * the output.
 */
export const TAG = {
  profile: 1,
  id: 2,
  slot: 3,
  miss: 4,
  outage: 5,
  flip: 6,
  dup: 7,
  hours: 8,
  fraction: 10,
} as const;
