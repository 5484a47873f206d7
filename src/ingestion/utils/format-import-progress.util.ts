/** One line about an import in progress: bytes read of the total, share, rows read and the rate. */
export function formatImportProgress(
  progress: { bytesRead: number; rowsRead: number },
  bytesTotal: number,
  elapsedMs: number,
): string {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const share = bytesTotal > 0 ? Math.min(100, Math.floor((100 * progress.bytesRead) / bytesTotal)) : 100;
  const rate = elapsedMs > 0 ? Math.round(progress.rowsRead / (elapsedMs / 1000)) : 0;
  return (
    `${mb(progress.bytesRead)} of ${mb(bytesTotal)} MB (${share} %), ` +
    `${progress.rowsRead.toLocaleString('en-US')} rows in ${(elapsedMs / 1000).toFixed(1)} s, ${rate.toLocaleString('en-US')} rows/s`
  );
}
