import type { FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidInputError } from '../common/errors/domain-errors';
import { FEED_NAMES, FeedName } from '../common/types/feed-rows.types';
import type { FeedFiles } from './ingestion.service';

/**
 * Streams the feed files of a multipart request to a temporary folder (never held in memory),
 * runs `use` on their paths, and removes the folder whatever happens.
 * Throws InvalidInputError for a request that is not multipart, names an unknown field or no feed.
 */
export async function withSpooledFeedFiles<T>(request: FastifyRequest, use: (files: FeedFiles) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) {
    throw new InvalidInputError('expected multipart/form-data with fields polls, business_hours, timezones');
  }
  const dir = await mkdtemp(join(tmpdir(), 'store-monitor-import-'));
  try {
    const files: FeedFiles = {};
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (!FEED_NAMES.includes(part.fieldname as FeedName)) {
        part.file.resume();
        throw new InvalidInputError(`unknown field "${part.fieldname}": expected ${FEED_NAMES.join(', ')}`);
      }
      const path = join(dir, part.fieldname);
      await pipeline(part.file, createWriteStream(path));
      files[part.fieldname as FeedName] = path;
    }
    if (Object.keys(files).length === 0) {
      throw new InvalidInputError(`no feed file given: send any of ${FEED_NAMES.join(', ')}`);
    }
    return await use(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
