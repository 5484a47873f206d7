import type { Multipart } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidInputError } from '../common/errors/domain-errors';
import { FEED_NAMES, FeedName } from '../common/types/feed-rows.types';
import type { RunFile } from './import-runs.service';
import { multipartBoundary } from './utils/multipart-boundary.util';
import { SPOOL_PREFIX, staleSpoolPid } from './utils/stale-spool-pid.util';

/** The feed files of a request, on disk until `dispose()`. */
export interface SpooledFeeds {
  files: RunFile[];
  /** Removes the temporary folder (call it once the import that reads the files has ended). */
  dispose(): Promise<void>;
}

/**
 * A part's bytes buffered before the upload waits for the disk: the socket's 64 KiB chunks then
 * reach the file a few at a time (one writev), not each in a write of its own that pauses the
 * upload (a third of the spool's CPU for a 108 MB upload).
 */
const WRITE_BUFFER_BYTES = 1 << 20;

/** How much of a body's end is kept to find its closing delimiter in: the delimiter and an epilogue. */
const TAIL_BYTES = 4096;

/**
 * Watches a multipart body as it arrives, beside the parser: whether it ends with its closing
 * delimiter (`--boundary--`, followed at most by a short epilogue), and whether bytes keep coming.
 * The parser cannot be trusted with either: a body that ends without its closing delimiter can
 * leave the part being read open for ever, and a client that stops sending is waited for without
 * end. `failed` rejects, and the part being written is destroyed, when the body stops for
 * `idleMs`, ends unclosed, or the client goes away.
 */
class BodyWatch {
  readonly failed: Promise<never>;
  error: InvalidInputError | null = null;
  /** The part being written to disk, destroyed on a failure so that its file is closed. */
  current: Readable | null = null;
  private fail!: (error: InvalidInputError) => void;
  private readonly needle: Buffer;
  /** The last bytes of the body so far (only the end is searched: a whole upload would cost a scan). */
  private tail: Buffer = Buffer.alloc(0);
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly raw: IncomingMessage,
    boundary: string,
    idleMs: number,
  ) {
    this.needle = Buffer.from(`--${boundary}--`, 'latin1');
    this.failed = new Promise<never>((_resolve, reject) => {
      this.fail = (error) => {
        if (this.error !== null) return;
        this.error = error;
        this.current?.destroy(error);
        reject(error);
      };
    });
    this.failed.catch(() => undefined); // awaited in a race; never an unhandled rejection
    const seconds = Math.round(idleMs / 100) / 10;
    this.timer = setTimeout(() => this.fail(new InvalidInputError(`the upload stalled: no data for ${seconds} s`)), idleMs);
    raw.on('data', this.onData);
    raw.on('end', this.onEnd);
    raw.on('close', this.onClose);
  }

  /** Whether the body so far ends with its closing delimiter. */
  get closed(): boolean {
    return this.tail.includes(this.needle);
  }

  /** A part's bytes reaching the disk are progress too (the request waits while the disk is slow). */
  progress = () => this.timer.refresh();

  private readonly onData = (chunk: Buffer) => {
    this.timer.refresh();
    this.tail =
      chunk.length >= TAIL_BYTES ? chunk.subarray(-TAIL_BYTES) : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES);
  };

  private readonly onEnd = () => {
    if (!this.closed) this.fail(new InvalidInputError('the multipart body ended before its closing boundary'));
  };

  private readonly onClose = () => {
    if (!this.raw.complete) this.fail(new InvalidInputError('the upload was cut off before its end'));
  };

  stop(): void {
    clearTimeout(this.timer);
    this.raw.off('data', this.onData);
    this.raw.off('end', this.onEnd);
    this.raw.off('close', this.onClose);
  }
}

/** The multipart parser's own complaints (a malformed part, a bad header) are the client's mistake. */
function asClientError(error: unknown): unknown {
  if (error instanceof InvalidInputError) return error;
  const e = error as { statusCode?: unknown; code?: unknown; syscall?: unknown; message?: unknown } | null;
  // Fastify's errors keep their status (413 for a file too large); a system error (ENOSPC) is ours.
  if (e === null || typeof e.statusCode === 'number' || typeof e.syscall === 'string') return error;
  const message = typeof e.message === 'string' ? e.message.slice(0, 100) : 'unreadable';
  return new InvalidInputError(`malformed multipart body: ${message}`);
}

/**
 * Streams the feed files of a multipart request to a temporary folder (never held in memory),
 * telling `onFile` of each file once it is on disk whole (the rest of the body may still come).
 * Throws InvalidInputError for a request that is not multipart (or has no boundary), names an
 * unknown field, a field twice or no feed, is malformed, ends before its closing boundary, is cut
 * off, or sends nothing for `idleTimeoutMs`; the folder is removed then, and on any other
 * failure. After a failure of the body itself the connection is closed once the answer is sent.
 */
export async function spoolFeedFiles(
  request: FastifyRequest,
  reply: FastifyReply,
  idleTimeoutMs: number,
  onFile: (file: RunFile) => void = () => undefined,
): Promise<SpooledFeeds> {
  if (!request.isMultipart()) {
    throw new InvalidInputError('expected multipart/form-data with fields polls, business_hours, timezones');
  }
  const boundary = multipartBoundary(request.headers['content-type']);
  if (boundary === null) throw new InvalidInputError('multipart/form-data needs a boundary parameter (1 to 70 characters)');
  const dir = await mkdtemp(join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-`));
  const dispose = () => rm(dir, { recursive: true, force: true });
  let watch: BodyWatch | null = null;
  let writing: Promise<void> | null = null;
  try {
    const parts = request.parts();
    // The first next() sets the parser up (it pipes the request into it) before any byte flows,
    // so the watch, added now, sees every byte the parser sees.
    let next = parts.next();
    watch = new BodyWatch(request.raw, boundary, idleTimeoutMs);
    const files: RunFile[] = [];
    for (;;) {
      const result: IteratorResult<Multipart, unknown> = await Promise.race([next, watch.failed]);
      if (result.done) break;
      const part = result.value;
      if (part.type === 'file') {
        const feed = part.fieldname as FeedName;
        if (!FEED_NAMES.includes(feed)) {
          part.file.resume();
          throw new InvalidInputError(`unknown field "${part.fieldname.slice(0, 100)}": expected ${FEED_NAMES.join(', ')}`);
        }
        if (files.some((f) => f.feed === feed)) {
          part.file.resume();
          throw new InvalidInputError(`field "${feed}" given twice: send each feed at most once`);
        }
        const path = join(dir, feed);
        watch.current = part.file;
        part.file.on('data', watch.progress);
        writing = pipeline(part.file, createWriteStream(path, { highWaterMark: WRITE_BUFFER_BYTES }));
        await Promise.race([writing, watch.failed]);
        writing = null;
        watch.current = null;
        const file = { feed, path, name: part.filename || feed };
        files.push(file);
        onFile(file);
      } else if (FEED_NAMES.includes(part.fieldname as FeedName)) {
        // A feed's field as a plain value: once more after its file, or its file never sent.
        const feed = part.fieldname;
        if (files.some((f) => f.feed === feed)) {
          throw new InvalidInputError(`field "${feed}" given twice: send each feed at most once`);
        }
        throw new InvalidInputError(`field "${feed}" is not a file: send it as a file part (curl -F ${feed}=@file.csv)`);
      }
      next = parts.next();
    }
    // The parser may take a body cut after a whole part for a finished one: the delimiter decides.
    if (!watch.closed) throw new InvalidInputError('the multipart body ended before its closing boundary');
    if (files.length === 0) throw new InvalidInputError(`no feed file given: send any of ${FEED_NAMES.join(', ')}`);
    return { files, dispose };
  } catch (error) {
    // The file being written is closed before its folder is removed.
    await writing?.catch(() => undefined);
    await dispose();
    if (watch?.error) {
      // The rest of the body is not wanted: close the connection after the answer, and drop a
      // client that stays silent meanwhile.
      void reply.header('connection', 'close');
      request.raw.socket?.setTimeout(idleTimeoutMs, () => request.raw.socket?.destroy());
      throw watch.error;
    }
    throw asClientError(error);
  } finally {
    watch?.stop();
  }
}

/**
 * Reads and drops a body that is refused whole (an import refused for load), for at most `ms`:
 * nothing of it is kept, and a client still sending reads its answer instead of meeting a closed
 * connection. Resolves once it has all come, or at the bound (the answer then closes the connection).
 */
export function dropBody(request: FastifyRequest, ms: number): Promise<void> {
  const raw = request.raw;
  if (raw.complete) return Promise.resolve();
  return new Promise((resolve) => {
    const settle = () => {
      clearTimeout(timer);
      raw.off('end', settle);
      raw.off('close', settle);
      resolve();
    };
    const timer = setTimeout(settle, ms);
    raw.on('end', settle);
    raw.on('close', settle);
    raw.on('error', () => undefined); // a client gone meanwhile: 'close' follows
    raw.resume();
  });
}

/** Removes the spool folders of processes that are gone (a crash or kill -9 mid-upload); returns how many. */
export async function removeStaleSpools(): Promise<number> {
  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
    }
  };
  let removed = 0;
  for (const name of await readdir(tmpdir())) {
    if (staleSpoolPid(name, isAlive) === null) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
