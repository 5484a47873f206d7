import { createHash } from 'node:crypto';

/** What identifies one version of an inbox file: the file itself (device and inode), its size and modification time. */
export interface InboxFileVersion {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

/**
 * The identity of one inbox file for claiming: the file (not its name, so that a file renamed in
 * the inbox is still the same file, imported once), its size and modification time. Other
 * contents written later make another version, and another import.
 */
export function inboxKey({ dev, ino, size, mtimeMs }: InboxFileVersion): string {
  return createHash('sha256').update(`${dev}\0${ino}\0${size}\0${mtimeMs}`).digest('hex');
}
