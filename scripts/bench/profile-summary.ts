/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): where the server's CPU time
 * went, by area (a project file, a package, GC, idle) and by function, self and inclusive.
 *
 *   node dist/scripts/bench/profile-summary.js bench-data/profiles/sqlite-import.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}
export interface ProfileSummary {
  wallMs: number;
  /** Sampled time not idle: what the process's main thread spent working. */
  busyMs: number;
  byArea: ProfileLine[];
  selfByFunction: ProfileLine[];
  /** Inclusive time of project functions (dist/src or a bench snapshot of it), each counted once per sample. */
  inclusiveProject: ProfileLine[];
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist(?:-snapshot)?\/((?:src|scripts)\/.+?)(?:\.js)?$/.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${area(url, functionName)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

function top(map: Map<string, number>, total: number, n: number): ProfileLine[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }));
}

export function summarizeProfile(path: string, n = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);

  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const a = area(node.callFrame.url, node.callFrame.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    if (a !== '(idle)') busy += us;
    const name = label(node);
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    // Inclusive time of project functions: walk up the stack, each function once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      if (!/\/dist(?:-snapshot)?\/src\//.test(frame.callFrame.url)) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const wall = profile.endTime - profile.startTime;
  return {
    wallMs: Math.round(wall / 1000),
    busyMs: Math.round(busy / 1000),
    byArea: top(byArea, wall, n),
    selfByFunction: top(byFunction, wall, n),
    inclusiveProject: top(inclusive, wall, n),
  };
}

/** A stretch of the main thread's samples with no idle sample in it: the event loop held that long. */
export interface LongTask {
  /** Since the profile started. */
  atMs: number;
  ms: number;
  /** The project functions (or else the leaf functions) seen most in it, with their share of its samples. */
  top: string[];
}

/**
 * The main thread's long tasks: runs of samples without an idle one, of at least `minMs` (a
 * request arriving then waits until the run ends), longest first.
 */
export function longTasks(path: string, minMs = 50, n = 10): LongTask[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const tasks: LongTask[] = [];
  let at = 0;
  let start = -1;
  let us = 0;
  const frames = new Map<string, number>();
  let samples = 0;
  const close = () => {
    if (start >= 0 && us >= minMs * 1000) {
      const top = [...frames]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([name, k]) => `${name} ${Math.round((100 * k) / samples)}%`);
      tasks.push({ atMs: Math.round(start / 1000), ms: Math.round(us / 1000), top });
    }
    start = -1;
    us = 0;
    samples = 0;
    frames.clear();
  };
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i])!;
    if (node.callFrame.functionName === '(idle)') {
      close();
      continue;
    }
    if (start < 0) start = at;
    us += profile.timeDeltas[i + 1] ?? 0;
    samples++;
    // The innermost project frame names the step; native or package leaves otherwise.
    let name = label(node);
    for (let up: number | undefined = node.id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!;
      if (/\/dist(?:-snapshot)?\/src\//.test(frame.callFrame.url)) {
        name = label(frame);
        break;
      }
    }
    frames.set(name, (frames.get(name) ?? 0) + 1);
  }
  close();
  return tasks.sort((a, b) => b.ms - a.ms).slice(0, n);
}

export function formatProfileSummary(title: string, s: ProfileSummary): string {
  const block = (heading: string, lines: ProfileLine[]) =>
    [
      `  ${heading}`,
      ...lines.map((l) => `    ${String(l.ms).padStart(7)} ms ${l.share.toFixed(1).padStart(5)} %  ${l.name}`),
    ].join('\n');
  return [
    `${title}: ${s.wallMs} ms sampled, ${s.busyMs} ms busy (not idle)`,
    block('by area (self time)', s.byArea),
    block('by function (self time)', s.selfByFunction),
    block('project functions (inclusive time)', s.inclusiveProject),
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--top');
  const n = at >= 0 ? Number(args[at + 1]) : 25;
  const files = args.filter((a, i) => a !== '--top' && (at < 0 || i !== at + 1));
  if (files.length === 0) {
    process.stderr.write('usage: node dist/scripts/bench/profile-summary.js <file.cpuprofile>… [--top N]\n');
    process.exit(2);
  }
  for (const file of files) process.stdout.write(`${formatProfileSummary(file, summarizeProfile(file, n))}\n\n`);
}
