import { createHash } from 'node:crypto';

/**
 * The identity of one inbox file for claiming: its name, size and modification time. The same
 * name arriving again later with other contents is another file, and another import.
 */
export function inboxKey(name: string, size: number, mtimeMs: number): string {
  return createHash('sha256').update(`${name}\0${size}\0${mtimeMs}`).digest('hex');
}
