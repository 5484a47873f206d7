import type { FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/** What one access line says; what is not known (the method of a request Node could not parse) is left out. */
export interface AccessEntry {
  status: number;
  method?: string;
  url?: string;
  /** The client's address and port (`remoteOf`). */
  remote?: string;
  reqId?: string;
  ms?: number;
  /** Why a request was refused before any route saw it: Node's parser error code, say. */
  reason?: string;
}

/** Long enough for every URL of the API; a hostile one does not make a line of 16 KB. */
const MAX_URL = 300;

/**
 * Writes the one access line of a request: 4xx as warnings, 5xx as errors. Every answer goes
 * through here, those given before a route is found (framework-errors.ts) too. Never a body.
 */
export function logAccess(logger: Logger, entry: AccessEntry): void {
  const url = entry.url !== undefined && entry.url.length > MAX_URL ? `${entry.url.slice(0, MAX_URL)}…` : entry.url;
  const level = entry.status >= 500 ? 'error' : entry.status >= 400 ? 'warn' : 'info';
  const words = [entry.method ?? '-', url ?? '-', String(entry.status)];
  if (entry.ms !== undefined) words.push(`${entry.ms} ms`);
  if (entry.reason !== undefined) words.push(`(${entry.reason})`);
  logger[level]({ ...entry, url }, words.join(' '));
}

/** `address:port` of the client (`[v6]:port`), or undefined once the socket is gone. */
export function remoteOf(socket: Socket | null | undefined): string | undefined {
  const address = socket?.remoteAddress;
  if (address === undefined) return undefined;
  return `${address.includes(':') ? `[${address}]` : address}:${socket!.remotePort}`;
}

/** The fields of the access line of a request Fastify has parsed, answered with `status`. */
export function accessEntryOf(request: FastifyRequest, status: number): AccessEntry {
  return { status, method: request.method, url: request.url, remote: remoteOf(request.raw.socket), reqId: request.id };
}
