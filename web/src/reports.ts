// Reports: trigger one (optionally at an as_of), follow its progress, download its CSV; the
// recent ones listed (GET /reports).
import { ApiError, call, getJson, postJson, query } from './api.js';
import { announce, h } from './dom.js';
import { formatUtc } from './time.js';

interface ReportInfo {
  report_id: string;
  status: 'Running' | 'Complete' | 'Failed';
  progress: number;
  as_of: string | null;
  row_count: number | null;
  error: string | null;
  created_at: string;
  completed_at: string | null;
}

const FOLLOW_MS = 1000;
const LIST_MS = 5000;

/** Hands a report's CSV to the browser as a download. */
function save(id: string, csv: Blob): void {
  const url = URL.createObjectURL(csv);
  const link = h('a', { href: url, download: `store-report-${id}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  announce(`Report ${id} downloaded.`);
}

/** Fetches a complete report's CSV (with the key) and saves it. */
async function download(id: string): Promise<void> {
  const response = await call(`/get_report${query({ report_id: id })}`);
  if (response.headers.get('x-report-status') !== 'Complete') {
    announce(`Report ${id} is not complete yet.`);
    return;
  }
  save(id, await response.blob());
}

/** A button that downloads the report's CSV: the one given, or fetched when clicked. */
function downloadButton(id: string, onError: (message: string) => void, csv?: Blob): HTMLButtonElement {
  const button = h('button', { type: 'button', 'data-download': id }, 'Download CSV');
  button.addEventListener('click', () => {
    if (csv !== undefined) return save(id, csv);
    download(id).catch((e: Error) => onError(`The CSV could not be downloaded: ${e.message}`));
  });
  return button;
}

/** Shows the reports in `view`; returns what stops its polling. */
export function showReports(view: HTMLElement): () => void {
  const asOf = h('input', {
    id: 'report-as-of',
    name: 'as_of',
    type: 'text',
    placeholder: 'latest poll',
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'report-as-of-help',
  });
  const trigger = h('button', { type: 'submit', id: 'trigger-report' }, 'Build a report');
  const error = h('p', { class: 'error', role: 'alert' });
  const current = h('div', { id: 'current-report', class: 'current', 'aria-live': 'polite' });
  const rows = h('tbody', { id: 'report-rows' });
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'Build a report' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: asOf.id }, 'as_of (optional)'),
      asOf,
      h(
        'p',
        { id: 'report-as-of-help', class: 'hint' },
        "The report's now, an ISO instant such as 2023-03-13T15:00:00Z; empty for the latest poll.",
      ),
    ),
    trigger,
  );
  view.append(
    h('h1', {}, 'Reports'),
    h(
      'p',
      {},
      'A report gives every store its uptime and downtime within business hours over the last hour (minutes), day and week (hours).',
    ),
    form,
    error,
    current,
    h('h2', {}, 'Recent reports'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'reports' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Created'),
            h('th', { scope: 'col' }, 'as_of'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Stores'),
            h('th', { scope: 'col' }, 'CSV'),
          ),
        ),
        rows,
      ),
    ),
  );
  const fail = (message: string) => {
    error.textContent = message;
  };

  let active = true;
  let followTimer: number | undefined;
  let listTimer: number | undefined;

  async function list(): Promise<void> {
    window.clearTimeout(listTimer);
    try {
      const page = await getJson<{ reports: ReportInfo[] }>('/reports?limit=20');
      if (!active) return;
      rows.replaceChildren(
        ...page.reports.map((r) =>
          h(
            'tr',
            { 'data-report-id': r.report_id, 'data-status': r.status },
            h('td', {}, formatUtc(r.created_at)),
            h('td', {}, r.as_of === null ? '' : formatUtc(r.as_of)),
            h(
              'td',
              {},
              r.status === 'Running' ? `Running ${Math.round(r.progress * 100)} %` : r.status,
              r.error === null ? '' : `: ${r.error}`,
            ),
            h('td', { class: 'num' }, r.row_count === null ? '' : String(r.row_count)),
            h('td', {}, r.status === 'Complete' ? downloadButton(r.report_id, fail) : ''),
          ),
        ),
      );
      if (page.reports.length === 0) rows.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No report yet.')));
      const running = page.reports.some((r) => r.status === 'Running');
      listTimer = window.setTimeout(() => void list(), running ? LIST_MS : 6 * LIST_MS);
    } catch (e) {
      if (active && !(e instanceof ApiError && e.status === 401))
        fail(`The reports could not be listed: ${(e as Error).message}`);
    }
  }

  /** Follows one report until it is complete or failed. */
  async function follow(id: string): Promise<void> {
    const progress = h('progress', { max: 1, value: 0, 'aria-label': `Progress of report ${id}` });
    const text = h('span', {}, 'Running 0 %');
    current.replaceChildren(h('p', {}, `Report ${id}: `, text), progress);
    for (;;) {
      const response = await call(`/get_report${query({ report_id: id })}`);
      if (!active) return;
      if (response.headers.get('x-report-status') === 'Complete') {
        // The answer is the CSV itself: kept for the download button.
        const csv = await response.blob();
        current.replaceChildren(h('p', {}, `Report ${id} is complete. `, downloadButton(id, fail, csv)));
        announce(`Report ${id} is complete.`);
        void list();
        return;
      }
      const body = (await response.json()) as { status: string; progress?: number; error?: string };
      if (body.status === 'Failed') {
        current.replaceChildren(h('p', { class: 'error' }, `Report ${id} failed: ${body.error ?? 'no reason given'}`));
        void list();
        return;
      }
      progress.value = body.progress ?? 0;
      text.textContent = `Running ${Math.round((body.progress ?? 0) * 100)} %`;
      await new Promise((resolve) => (followTimer = window.setTimeout(resolve, FOLLOW_MS)));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const value = asOf.value.trim();
    trigger.disabled = true;
    postJson<{ report_id: string }>('/trigger_report', value === '' ? {} : { as_of: value })
      .then((accepted) => {
        announce(`Report ${accepted.report_id} started.`);
        void list();
        return follow(accepted.report_id);
      })
      .catch((e: Error) => {
        if (!(e instanceof ApiError && e.status === 401)) fail(`The report could not be built: ${e.message}`);
      })
      .finally(() => {
        trigger.disabled = false;
      });
  });

  void list();
  return () => {
    active = false;
    window.clearTimeout(followTimer);
    window.clearTimeout(listTimer);
  };
}
