/**
 * A failed file operation said in words, without its paths or system call (a summary or a log
 * line names the file itself): `EACCES` → "permission denied".
 */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    ENOTDIR: 'a file is in the way of a folder',
    ENOENT: 'it is gone',
    EXDEV: 'the folder is on another device',
    EIO: 'an input/output error',
  };
  return (code !== undefined && words[code]) || (code ?? 'an unexpected error');
}
