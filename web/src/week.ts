// A store's week (GET /stores/<id>?as_of=): one row per local day, business hours, status and
// downtime incidents drawn to scale in real time, beside the six figures of its report row.
import { ApiError, getJson, query } from './api.js';
import { h, s } from './dom.js';
import {
  clipTo,
  dayRows,
  formatDate,
  formatDuration,
  formatLocal,
  formatUtc,
  instantMs,
  type DayRow,
  type Instant,
  type Interval,
  wallInstant,
} from './time.js';

interface Segment extends Interval {
  status: 'active' | 'inactive';
}
interface Incident extends Interval {
  duration_minutes: number;
}
interface StoreView {
  store_id: string;
  as_of: string;
  timezone: string;
  timezone_is_default: boolean;
  has_business_hours: boolean;
  last_poll: string | null;
  uptime_last_hour: number;
  uptime_last_day: number;
  uptime_last_week: number;
  downtime_last_hour: number;
  downtime_last_day: number;
  downtime_last_week: number;
  week: { start: Instant; end: Instant };
  open_intervals: Interval[];
  segments: Segment[];
  incidents: Incident[];
  incident_count: number;
  incident_total_hours: number;
}

const HOUR_MS = 3_600_000;
const LABEL_W = 128;
const HOUR_W = 30;
const ROW_H = 34;
const BAND_H = 20;
const STRIP_Y = 23;
const STRIP_H = 7;
const TOP = 26;
const offsetLabel = (minutes: number) =>
  `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;

/** The incident as its owner reads it: local start, end and duration. */
export function incidentText(incident: Incident): string {
  return `Down from ${formatLocal(incident.start.local)} to ${formatLocal(incident.end.local)}: ${formatDuration(incident.duration_minutes * 60)}`;
}

function weekChart(view: StoreView): SVGSVGElement {
  const rows = dayRows(view.week, view.timezone);
  const hours = Math.max(24, ...rows.map((r) => Math.ceil((r.end - r.start) / HOUR_MS)));
  const width = LABEL_W + hours * HOUR_W + 8;
  const height = TOP + rows.length * ROW_H;
  const x = (row: DayRow, ms: number) => LABEL_W + ((ms - row.start) / HOUR_MS) * HOUR_W;
  const yOf = (i: number) => TOP + i * ROW_H;

  const svg = s('svg', {
    class: 'week-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'group',
    'aria-labelledby': 'week-chart-title',
  });
  svg.append(
    s(
      'title',
      { id: 'week-chart-title' },
      `The week of store ${view.store_id} before ${formatUtc(view.as_of)}, one row per local day`,
    ),
    s(
      'defs',
      {},
      s(
        'pattern',
        { id: 'outside-week', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 6, height: 6, class: 'outside-bg' }),
        s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'outside-line' }),
      ),
    ),
  );
  const axis = s('g', { class: 'axis', 'aria-hidden': 'true' });
  for (let hour = 0; hour <= hours; hour += 3) {
    axis.append(s('text', { x: LABEL_W + hour * HOUR_W, y: 14, 'text-anchor': 'middle' }, String(hour).padStart(2, '0')));
  }
  svg.append(axis);

  rows.forEach((row, i) => {
    const y = yOf(i);
    // 23 or 25 hours on a day of a DST change (24.5 on Lord Howe Island).
    const length = Math.round(((row.end - row.start) / HOUR_MS) * 100) / 100;
    const day = s('g', { class: 'day', 'data-date': row.date, 'data-hours': length });
    day.append(
      s('text', { x: 0, y: y + 14, class: 'day-label' }, formatDate(row.date).replace(/ \d{4}$/, '')),
      s('rect', { x: x(row, row.start), y, width: x(row, row.end) - x(row, row.start), height: BAND_H, class: 'closed' }),
    );
    if (length !== 24) day.append(s('text', { x: 0, y: y + 27, class: 'day-note' }, `${length} h (clocks change)`));
    for (const [from, to] of [
      [row.start, row.within.start],
      [row.within.end, row.end],
    ]) {
      if (to > from) {
        day.append(s('rect', { x: x(row, from), y, width: x(row, to) - x(row, from), height: BAND_H, class: 'outside' }));
      }
    }
    for (const part of clipTo(view.open_intervals, row.within)) {
      day.append(
        s('rect', { x: x(row, part.start), y, width: x(row, part.end) - x(row, part.start), height: BAND_H, class: 'open' }),
      );
    }
    for (const part of clipTo(view.segments, row.within)) {
      day.append(
        s('rect', {
          x: x(row, part.start),
          y: y + STRIP_Y,
          width: x(row, part.end) - x(row, part.start),
          height: STRIP_H,
          class: part.item.status === 'active' ? 'seg-up' : 'seg-down',
        }),
      );
    }
    // The store's own wall-clock hours: on a day of a DST change they sit closer or further apart.
    for (const hour of [6, 12, 18]) {
      const at = x(row, wallInstant(view.timezone, row.date, hour));
      day.append(s('line', { x1: at, x2: at, y1: y, y2: y + BAND_H, class: 'hour' }));
    }
    if (row.change !== null) {
      const at = x(row, row.change.at);
      day.append(
        s(
          'line',
          { x1: at, x2: at, y1: y - 2, y2: y + ROW_H - 6, class: 'dst' },
          s('title', {}, `Clocks change: ${offsetLabel(row.change.from)} → ${offsetLabel(row.change.to)}`),
        ),
      );
    }
    svg.append(day);
  });

  // One element per incident, however many days it spans (overnight hours), on top of the days.
  for (const incident of view.incidents) {
    const group = s('g', {
      class: 'incident',
      'data-incident-start': incident.start.utc,
      tabindex: 0,
      role: 'img',
      'aria-label': incidentText(incident),
    });
    group.append(s('title', {}, incidentText(incident)));
    rows.forEach((row, i) => {
      for (const part of clipTo([incident], row.within)) {
        group.append(
          s('rect', {
            x: x(row, part.start),
            y: yOf(i),
            width: Math.max(1.5, x(row, part.end) - x(row, part.start)),
            height: BAND_H,
          }),
        );
      }
    });
    svg.append(group);
  }
  return svg;
}

function figures(view: StoreView): HTMLElement {
  const cell = (value: number, unit: string) => h('td', { class: 'num' }, `${value.toFixed(2)} ${unit}`);
  return h(
    'table',
    { class: 'figures' },
    h('caption', {}, 'Figures (as the report row at this as_of)'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('td', {}),
        h('th', { scope: 'col' }, 'Last hour'),
        h('th', { scope: 'col' }, 'Last day'),
        h('th', { scope: 'col' }, 'Last week'),
      ),
    ),
    h(
      'tbody',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Uptime'),
        cell(view.uptime_last_hour, 'min'),
        cell(view.uptime_last_day, 'h'),
        cell(view.uptime_last_week, 'h'),
      ),
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, 'Downtime'),
        cell(view.downtime_last_hour, 'min'),
        cell(view.downtime_last_day, 'h'),
        cell(view.downtime_last_week, 'h'),
      ),
    ),
  );
}

function incidentTable(view: StoreView): HTMLElement {
  if (view.incidents.length === 0) return h('p', { id: 'incident-list' }, 'No downtime incident in this week.');
  return h(
    'table',
    { id: 'incident-list', class: 'incidents' },
    h('caption', {}, `Incidents (${view.incident_count}, ${view.incident_total_hours.toFixed(2)} h in all)`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Down from (store time)'),
        h('th', { scope: 'col' }, 'Until'),
        h('th', { scope: 'col' }, 'Duration'),
      ),
    ),
    h(
      'tbody',
      {},
      ...view.incidents.map((incident) =>
        h(
          'tr',
          { 'data-start': incident.start.utc },
          h('td', {}, formatLocal(incident.start.local)),
          h('td', {}, formatLocal(incident.end.local)),
          h('td', { class: 'num' }, formatDuration(incident.duration_minutes * 60)),
        ),
      ),
    ),
  );
}

function legend(): HTMLElement {
  const item = (cls: string, text: string) =>
    h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), ` ${text}`);
  return h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    item('open', 'open (business hours)'),
    item('closed', 'closed'),
    item('incident', 'downtime incident (open and down)'),
    item('seg-up', 'polled up'),
    item('seg-down', 'polled down'),
    item('outside', 'outside the week'),
  );
}

/** The as_of one step away (an ISO instant in UTC). */
const shifted = (asOf: string, hours: number) => new Date(instantMs(asOf) + hours * HOUR_MS).toISOString();

/** Shows one store's week in `view`. */
export function showStore(view: HTMLElement, storeId: string, params: URLSearchParams): () => void {
  const asOf = params.get('as_of') ?? '';
  const go = (value: string) => {
    location.hash = `#/store/${encodeURIComponent(storeId)}${query({ as_of: value })}`;
  };
  const input = h('input', {
    id: 'as-of',
    name: 'as_of',
    type: 'text',
    value: asOf,
    placeholder: 'latest poll',
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-describedby': 'as-of-help',
  });
  const stepper = (label: string, hours: number, text: string) => {
    const button = h('button', { type: 'button', 'aria-label': label, disabled: true }, text);
    button.addEventListener('click', () => go(shifted(input.dataset.current ?? '', hours)));
    return button;
  };
  const steps = [
    stepper('One week earlier', -168, '« week'),
    stepper('One day earlier', -24, '‹ day'),
    stepper('One day later', 24, 'day ›'),
    stepper('One week later', 168, 'week »'),
  ];
  const latest = h('button', { type: 'button' }, 'Latest');
  latest.addEventListener('click', () => go(''));
  const form = h(
    'form',
    { class: 'controls as-of', 'aria-label': 'The week shown' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'as-of' }, 'Week ending at (as_of)'),
      input,
      h('p', { id: 'as-of-help', class: 'hint' }, 'An ISO instant, e.g. 2023-03-13T15:00:00Z; empty for the latest poll.'),
    ),
    h('button', { type: 'submit' }, 'Show'),
    h('div', { class: 'steps', role: 'group', 'aria-label': 'Move as_of' }, ...steps, latest),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(input.value.trim());
  });
  const content = h('div', { id: 'store-content', 'aria-busy': 'true' }, h('p', { class: 'meta' }, 'Loading…'));
  view.append(
    h('p', {}, h('a', { href: '#/' }, '← Board')),
    h('h1', {}, 'Store ', h('span', { class: 'store-id' }, storeId)),
    form,
    content,
  );

  let active = true;
  getJson<StoreView>(`/stores/${encodeURIComponent(storeId)}${query({ as_of: asOf })}`).then(
    (store) => {
      if (!active) return;
      input.dataset.current = store.as_of;
      if (asOf === '') input.placeholder = `latest poll: ${store.as_of}`;
      for (const button of steps) button.disabled = false;
      content.setAttribute('aria-busy', 'false');
      content.replaceChildren(
        h(
          'p',
          { class: 'meta' },
          `Zone ${store.timezone}${store.timezone_is_default ? ' (none given: the default)' : ''} · `,
          store.has_business_hours ? 'business hours as imported' : 'no business hours: open all the time',
          ` · last poll ${store.last_poll === null ? 'none' : formatUtc(store.last_poll)}`,
        ),
        figures(store),
        h(
          'section',
          { class: 'week', 'aria-labelledby': 'week-title' },
          h(
            'h2',
            { id: 'week-title' },
            `Week from ${formatLocal(store.week.start.local)} to ${formatLocal(store.week.end.local)}`,
          ),
          legend(),
          h('div', { class: 'chart-wrap' }, weekChart(store)),
          h(
            'p',
            { class: 'hint' },
            'Hours since local midnight, to scale: a day when the clocks change is 23 or 25 hours long (dashed line: the change). ' +
              'Faint lines: 06:00, 12:00 and 18:00 store time.',
          ),
        ),
        incidentTable(store),
      );
    },
    (e: Error) => {
      if (!active) return;
      content.setAttribute('aria-busy', 'false');
      const message =
        e instanceof ApiError && e.status === 404
          ? `No feed has named store ${storeId}.`
          : `The store could not be loaded: ${e.message}`;
      if (!(e instanceof ApiError && e.status === 401))
        content.replaceChildren(h('p', { class: 'error', role: 'alert' }, message));
    },
  );
  return () => {
    active = false;
  };
}
