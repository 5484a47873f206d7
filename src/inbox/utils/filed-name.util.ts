/**
 * The name a file gets in processed/ or failed/: its own, unless one of that name is already
 * there (the same feed file name arrives every hour); then the time is put before the extension.
 */
export function filedName(name: string, taken: (candidate: string) => boolean, now: Date): string {
  if (!taken(name)) return name;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '-'); // 20261124T011500-123Z
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 0; ; n++) {
    const candidate = `${stem}.${stamp}${n > 0 ? `-${n}` : ''}${ext}`;
    if (!taken(candidate)) return candidate;
  }
}
