import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sleep } from '../scripts/support/wait';
import type { AlertEventDto, AlertEventListDto } from '../src/monitor/dto/alert-event.dto';
import { Instance } from './support/instances';
import { FeedPoll, pollsCsv, randomFeed, ReferenceMonitor } from './support/random-feed';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

const SECRET = 'a webhook secret';

interface Received {
  eventId: string;
  signatureOk: boolean;
  body: { id: string; type: string; store_id: string };
  answered: number;
}

/** The test's own webhook receiver: answers 503 to the first delivery of every third event, 204 to the rest. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const eventId = String(req.headers['x-store-monitor-event-id']);
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-store-monitor-signature'] ?? ''));
      const signatureOk = given.length === expected.length && timingSafeEqual(given, expected);
      const first = !seen.has(eventId);
      seen.add(eventId);
      const answered = first && Number(eventId) % 3 === 0 ? 503 : 204;
      received.push({ eventId, signatureOk, body: JSON.parse(raw.toString('utf8')), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const keyOf = (e: AlertEventDto) => {
  const us = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`) * 1000 + Number(iso.slice(20, 26));
  return [e.store_id, e.type, us(e.incident_start.utc), ...(e.incident_end ? [us(e.incident_end.utc)] : [])].join(' ');
};

describe.each(TEST_DATABASES)('incident webhooks across instances on %s', (kind) => {
  const db = new TestDatabase(kind, 'webhooks');
  const instances: Instance[] = [];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    receiver?.server.close();
    await db.drop();
  });

  const start = async (name: string) => {
    const instance = await Instance.start(name, {
      DATABASE_URL: db.url,
      ALERT_WEBHOOK_URLS: receiver.url,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_BACKOFF_S: '0.2',
      ALERT_TIMEOUT_S: '2',
      JOB_LEASE_S: '2',
      LOG_FORMAT: 'json',
    });
    instances.push(instance);
    return instance;
  };

  const allEvents = async (via: Instance) => {
    const events: AlertEventDto[] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: AlertEventListDto } = await via.json<AlertEventListDto>(
        `/events?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      events.push(...body.events);
      cursor = body.next_cursor;
    } while (cursor !== null);
    return events.reverse();
  };

  it('delivers every incident once as store.down and once as store.up, signed, through a kill -9, with the engine’s instants', async () => {
    const feed = randomFeed(11);
    const a = await start('a');
    const b = await start('b');
    const files = {
      business_hours: `store_id,dayOfWeek,start_time_local,end_time_local\n${feed.hoursCsv}`,
      timezones: `store_id,timezone_str\n${feed.zonesCsv}`,
    };
    expect((await postImport(a.base, files)).status).toBe(200);
    const model = new ReferenceMonitor(feed);
    let through = [a, b];
    for (const [i, slice] of feed.slices.entries()) {
      if (i === 2) {
        // kill -9 of one instance between slices; a new one takes its place.
        await through[0].crash();
        through = [await start('c'), b];
      }
      expect((await postImport(through[i % 2].base, { polls: pollsCsv(slice) })).status).toBe(200);
      model.evaluate(Math.max(...slice.map((p: FeedPoll) => p.tsUs)));
    }

    // Every event delivered (the failed first attempts retried), bounded.
    let events: AlertEventDto[] = [];
    for (const until = Date.now() + 90_000; Date.now() < until; await sleep(200)) {
      events = await allEvents(b);
      if (events.length > 0 && events.every((e) => e.delivery.state === 'delivered')) break;
    }
    expect(events.map((e) => e.delivery.state)).toEqual(events.map(() => 'delivered'));
    expect(events.map(keyOf).sort()).toEqual(model.events.sort());

    const ok = receiver.received.filter((r) => r.answered === 204);
    // Each event taken once (at least once by the spec; once here, as no instance died mid-delivery of it).
    expect(ok.map((r) => r.eventId).sort()).toEqual(events.map((e) => e.id).sort());
    expect(receiver.received.every((r) => r.signatureOk)).toBe(true);
    expect(receiver.received.some((r) => r.answered === 503)).toBe(true);
    for (const r of ok) expect(r.body.id).toBe(r.eventId);
    // In order per store: each store's events were taken in the order they were recorded.
    const byStore = new Map<string, number[]>();
    for (const r of ok) byStore.set(r.body.store_id, [...(byStore.get(r.body.store_id) ?? []), Number(r.eventId)]);
    for (const ids of byStore.values()) expect(ids).toEqual([...ids].sort((x, y) => x - y));
    const failedFirst = events.filter((e) => Number(e.id) % 3 === 0);
    expect(failedFirst.every((e) => e.delivery.attempts === 2)).toBe(true);

    // The same files again, and a backfill older than the lookback: nothing new to announce.
    const countBefore = receiver.received.length;
    expect((await postImport(b.base, { polls: pollsCsv(feed.polls) })).status).toBe(200);
    const week = 7 * 24 * 3600e6;
    const backfill = feed.polls.map((p: FeedPoll) => ({ ...p, tsUs: p.tsUs - week, active: !p.active }));
    expect((await postImport(through[0].base, { polls: pollsCsv(backfill) })).status).toBe(200);
    await sleep(1500);
    expect(await allEvents(b)).toHaveLength(events.length);
    expect(receiver.received).toHaveLength(countBefore);
  });
});
