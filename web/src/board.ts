// The board: every store's state at the live as_of (GET /status), down first, longest down first.
import { ApiError, getJson, query } from './api.js';
import { announce, h } from './dom.js';
import { formatDuration, formatLocal, formatUtc, type Instant } from './time.js';

export type StoreState = 'down' | 'up' | 'closed' | 'no_data';

interface BoardStore {
  store_id: string;
  state: StoreState;
  since: Instant | null;
  down_for_s: number | null;
  last_poll: string | null;
}

interface BoardPage {
  as_of: string;
  counts: Record<StoreState, number>;
  stores: BoardStore[];
  next_cursor: string | null;
}

const STATES: { value: StoreState | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'down', label: 'Down' },
  { value: 'up', label: 'Up' },
  { value: 'closed', label: 'Closed' },
  { value: 'no_data', label: 'No data' },
];
const STATE_LABEL: Record<StoreState, string> = { down: 'Down', up: 'Up', closed: 'Closed', no_data: 'No data' };
const PAGE_SIZES = [25, 100, 500];
const REFRESH_MS = 30_000;

/** Shows the board in `view`; returns what stops its refreshing. */
export function showBoard(view: HTMLElement, params: URLSearchParams): () => void {
  const initialState = params.get('state') ?? '';
  const filter = {
    state: STATES.some((s) => s.value === initialState) ? initialState : '',
    q: params.get('q') ?? '',
    limit: PAGE_SIZES.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : 100,
  };
  /** The cursors of the pages before this one (the first page's is null), for "Previous". */
  let cursors: (string | null)[] = [];
  let cursor: string | null = null;
  let nextCursor: string | null = null;
  let loading = 0;

  const stateInputs = STATES.map(({ value, label }) => {
    const input = h('input', { type: 'radio', name: 'board-state', value, id: `board-state-${value || 'all'}` });
    input.checked = value === filter.state;
    const count = h('span', { class: 'count', 'data-count': value || 'all' });
    return { value, input, count, element: h('label', { class: 'chip', for: input.id }, input, ` ${label} `, count) };
  });
  const search = h('input', {
    type: 'search',
    id: 'board-q',
    name: 'q',
    inputmode: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    pattern: '[A-Za-z0-9_\\-]*',
    value: filter.q,
  });
  const pageSize = h(
    'select',
    { id: 'board-limit', name: 'limit' },
    ...PAGE_SIZES.map((n) => h('option', { value: n }, String(n))),
  );
  pageSize.value = String(filter.limit);
  const meta = h('p', { class: 'meta', id: 'board-meta' }, 'Loading…');
  const refresh = h('button', { type: 'button', class: 'quiet' }, 'Refresh now');
  const error = h('p', { class: 'error', role: 'alert' });
  const body = h('tbody', { id: 'board-rows' });
  const previous = h('button', { type: 'button', disabled: true }, '← Previous');
  const next = h('button', { type: 'button', disabled: true }, 'Next →');
  const pageInfo = h('span', { class: 'meta' });

  view.append(
    h('h1', {}, 'Board'),
    h(
      'form',
      { class: 'controls', role: 'search', 'aria-label': 'Filter the stores' },
      h('fieldset', { class: 'chips' }, h('legend', {}, 'State'), ...stateInputs.map((s) => s.element)),
      h('div', { class: 'field' }, h('label', { for: search.id }, 'Store id starts with'), search),
      h('div', { class: 'field' }, h('label', { for: pageSize.id }, 'Rows per page'), pageSize),
    ),
    h('div', { class: 'meta-row' }, meta, refresh),
    error,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'board' },
        h('caption', { class: 'visually-hidden' }, 'Stores, down first (longest down first), then up, closed and without data'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Store'),
            h('th', { scope: 'col' }, 'State'),
            h('th', { scope: 'col' }, 'Down since (store time)'),
            h('th', { scope: 'col' }, 'Down for'),
            h('th', { scope: 'col' }, 'Last poll'),
          ),
        ),
        body,
      ),
    ),
    h('nav', { class: 'pager', 'aria-label': 'Pages of stores' }, previous, pageInfo, next),
  );

  function rowOf(store: BoardStore, asOf: string): HTMLTableRowElement {
    const link = h(
      'a',
      { href: `#/store/${encodeURIComponent(store.store_id)}?as_of=${encodeURIComponent(asOf)}` },
      store.store_id,
    );
    return h(
      'tr',
      { 'data-store-id': store.store_id, 'data-state': store.state },
      h('th', { scope: 'row', class: 'store-id' }, link),
      h('td', {}, h('span', { class: `state state-${store.state}` }, STATE_LABEL[store.state])),
      h('td', {}, store.since === null ? '' : formatLocal(store.since.local)),
      h('td', { class: 'num' }, store.down_for_s === null ? '' : formatDuration(store.down_for_s)),
      h('td', {}, store.last_poll === null ? 'never' : formatUtc(store.last_poll)),
    );
  }

  function remember(): void {
    const hash = `#/${query({ state: filter.state, q: filter.q, limit: filter.limit === 100 ? '' : filter.limit })}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  async function load(): Promise<void> {
    const ticket = ++loading;
    try {
      const page = await getJson<BoardPage>(`/status${query({ state: filter.state, q: filter.q, limit: filter.limit, cursor })}`);
      if (ticket !== loading) return; // a newer load is on its way
      error.textContent = '';
      const total = Object.values(page.counts).reduce((a, b) => a + b, 0);
      for (const s of stateInputs) s.count.textContent = String(s.value === '' ? total : page.counts[s.value]);
      // A refresh keeps the keyboard where it was: on the same store's link, if it is still listed.
      const focused = document.activeElement?.closest('tr')?.dataset.storeId;
      body.replaceChildren(...page.stores.map((store) => rowOf(store, page.as_of)));
      if (focused !== undefined && body.contains(document.activeElement) === false) {
        const row = [...body.rows].find((r) => r.dataset.storeId === focused);
        row?.querySelector('a')?.focus();
      }
      if (page.stores.length === 0) {
        body.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No store matches.')));
      }
      nextCursor = page.next_cursor;
      next.disabled = nextCursor === null;
      previous.disabled = cursors.length === 0;
      pageInfo.textContent = `Page ${cursors.length + 1}`;
      meta.textContent = `As of ${formatUtc(page.as_of)} (the latest poll) · ${page.counts.down} down · refreshed every ${REFRESH_MS / 1000} s`;
    } catch (e) {
      if (ticket !== loading) return;
      const message = e instanceof ApiError || e instanceof Error ? e.message : String(e);
      if (!(e instanceof ApiError && e.status === 401)) error.textContent = `The board could not be loaded: ${message}`;
    }
  }

  function reload(): void {
    cursors = [];
    cursor = null;
    remember();
    void load();
  }

  for (const s of stateInputs) {
    s.input.addEventListener('change', () => {
      filter.state = s.value;
      reload();
    });
  }
  let typing: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => {
      if (!search.checkValidity()) {
        error.textContent = 'A store id has only letters, digits, "_" and "-".';
        return;
      }
      filter.q = search.value.trim();
      reload();
    }, 250);
  });
  search.form?.addEventListener('submit', (event) => event.preventDefault());
  pageSize.addEventListener('change', () => {
    filter.limit = Number(pageSize.value);
    reload();
  });
  refresh.addEventListener('click', () => {
    announce('Board refreshed');
    void load();
  });
  next.addEventListener('click', () => {
    if (nextCursor === null) return;
    cursors.push(cursor);
    cursor = nextCursor;
    void load();
  });
  previous.addEventListener('click', () => {
    if (cursors.length === 0) return;
    cursor = cursors.pop() ?? null;
    void load();
  });

  void load();
  const timer = window.setInterval(() => {
    if (document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
  return () => {
    window.clearInterval(timer);
    window.clearTimeout(typing);
    loading++;
  };
}
