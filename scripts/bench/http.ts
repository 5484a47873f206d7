/** POST /import as a client sends it: multipart/form-data, each file streamed from disk. */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpAnswer, readAnswer } from '../support/http';
import { bounded } from '../support/wait';
import { now } from './common';
import type { FeedName } from './data-sets';

/**
 * The files are never held in memory. The parts are written by hand so that the length is known
 * and no client timeout applies but ours.
 */
export async function postImport(port: number, files: Partial<Record<FeedName, string>>, timeoutMs: number): Promise<HttpAnswer> {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const parts = Object.entries(files).map(([field, path]) => ({
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${basename(path)}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    path: path,
    size: statSync(path).size,
  }));
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length = parts.reduce((sum, p) => sum + p.head.length + p.size + 2, 0) + tail.length;
  const started = now();
  return bounded(`POST /import of ${parts.map((p) => basename(p.path)).join(', ')}`, timeoutMs, async () => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/import',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(length) },
    });
    const response = new Promise<HttpAnswer>((resolveResponse, reject) => {
      req.on('response', (res) => void readAnswer(res, started).then(resolveResponse, reject));
      req.on('error', reject);
    });
    response.catch(() => undefined); // a failed upload rejects `response` before it is awaited
    for (const part of parts) {
      if (!req.write(part.head)) await once(req, 'drain');
      await pipeline(createReadStream(part.path, { highWaterMark: 1 << 20 }), req, { end: false });
      req.write('\r\n');
    }
    req.end(tail);
    return response;
  });
}
