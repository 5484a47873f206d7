/** Polling GET /get_report until a report is no longer Running: shared by the bench and the e2e tests. */
import http from 'node:http';
import { HttpAnswer, request } from './http';
import { bounded, sleep } from './wait';

/** What GET /get_report answers in JSON while a report is not Complete (Running, Failed) or on an error. */
export interface ReportStatusBody {
  report_id?: string;
  status: string;
  progress?: number;
  error?: string;
}

export interface ReportAnswer extends HttpAnswer {
  /** The JSON body of an answer that is not the CSV. */
  json?: ReportStatusBody;
}

export interface ReportPolling {
  /** Milliseconds between the departures of two requests. */
  everyMs: number;
  /**
   * Requests that may be unanswered at once (default 1: each waits for the one before). More makes
   * an open loop, where each request leaves on its tick whether or not the ones before it have
   * answered, so a stalled server shows in every request it stalls, not in one.
   */
  maxInFlight?: number;
  /** Bound of the whole wait, counted from `startedAt`. */
  timeoutMs: number;
  /** performance.now() that the ticks and the bound count from (default: now). */
  startedAt?: number;
  /** Sees every answer, in arrival order, before it is judged; a throw ends the polling with that error. */
  onAnswer?: (answer: ReportAnswer) => void;
}

export interface ReportDone {
  /** The first answer that was not Running. */
  res: ReportAnswer;
  /** performance.now() when it arrived. */
  at: number;
  /** The report when Complete. */
  csv?: string;
  /** The status otherwise (Failed). */
  body?: ReportStatusBody;
  /** Requests sent. */
  sent: number;
}

export async function pollReport(base: string, id: string, options: ReportPolling): Promise<ReportDone> {
  const started = options.startedAt ?? performance.now();
  const maxInFlight = options.maxInFlight ?? 1;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  let done: Omit<ReportDone, 'sent'> | undefined;
  let failure: Error | undefined;
  let inFlight = 0;
  let sent = 0;
  const judge = (res: HttpAnswer) => {
    const complete = res.headers.get('x-report-status') === 'Complete';
    const answer: ReportAnswer = complete ? res : { ...res, json: parseJson(res.body) };
    options.onAnswer?.(answer);
    if (done) return; // a later answer of an open loop
    if (complete) done = { res: answer, at: performance.now(), csv: res.body.toString() };
    else if (!answer.json) throw new Error(`GET /get_report answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
    else if (answer.json.status !== 'Running') done = { res: answer, at: performance.now(), body: answer.json };
  };
  try {
    for (let tick = 1; done === undefined && failure === undefined; tick++) {
      if (performance.now() - started > options.timeoutMs)
        throw new Error(`report ${id} still Running after ${options.timeoutMs / 1000} s`);
      if (inFlight < maxInFlight) {
        inFlight++;
        sent++;
        request(base, 'GET', `/get_report?report_id=${id}`, { timeoutMs: 60_000, agent })
          .then(judge)
          .catch((error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(String(error));
          })
          .finally(() => inFlight--);
      }
      await sleep(Math.max(0, started + tick * options.everyMs - performance.now()));
    }
    await bounded(`the last GET /get_report of report ${id}`, 60_000, async () => {
      while (inFlight > 0) await sleep(5);
    });
  } finally {
    agent.destroy();
  }
  if (failure !== undefined) throw failure;
  return { ...done!, sent };
}

function parseJson(body: Buffer): ReportStatusBody | undefined {
  try {
    return JSON.parse(body.toString()) as ReportStatusBody;
  } catch {
    return undefined;
  }
}
