import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The house rules of docs/architecture.md, checked on the sources: which folder may import
 * which (dependencies point one way, no cycle between folders), and where SQL may stand.
 */
const SRC = resolve(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.tz-spec.ts') ? [path] : [];
  });
}

/** The top folder of src/ a file lives in ('' for files at the root: main.ts, app.module.ts …). */
const folderOf = (path: string) => {
  const parts = relative(SRC, path).split('/');
  return parts.length > 1 ? parts[0] : '';
};

const FILES = sourceFiles(SRC);

/** Folder → the src folders its files import. */
const edges = new Map<string, Set<string>>();
for (const file of FILES) {
  const from = folderOf(file);
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(/(?:from|import|import\(|require\()\s*'(\.{1,2}\/[^']+)'/g)) {
    const to = folderOf(resolve(dirname(file), spec));
    if (to !== from && !resolve(dirname(file), spec).startsWith(resolve(SRC, '..', 'node_modules'))) {
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
}

/** What each folder may import: the layers below it. */
const ALLOWED: Record<string, string[]> = {
  common: [],
  engine: ['common'],
  config: ['database'],
  // a data migration applies the engine's rules (resolveStoredZone): pure functions, no I/O
  database: ['common', 'engine'],
  repositories: ['database', 'common', 'engine'],
  stores: ['repositories', 'database', 'common', 'engine'],
  // the lease machine: leased work of any feature (reports, imports, singleton workers)
  jobs: ['repositories', 'config', 'database', 'common'],
  monitor: ['jobs', 'stores', 'repositories', 'metrics', 'config', 'database', 'common', 'engine'],
  ingestion: ['monitor', 'stores', 'jobs', 'repositories', 'metrics', 'config', 'database', 'common', 'engine'],
  reports: ['jobs', 'repositories', 'metrics', 'config', 'database', 'common', 'engine'],
  health: ['database', 'common'],
  logging: [],
  metrics: [],
  http: ['database', 'common'],
  seed: ['ingestion', 'engine', 'common'],
  inbox: ['ingestion', 'repositories', 'config', 'common'],
  // serves the owner's page (its files, built from web/); it speaks to the service over HTTP only
  web: [],
  // the CLI's entry without Nest: the commands' names, descriptions and options, for the help
  cli: ['database', 'ingestion', 'monitor', 'reports', 'seed', 'stores', 'common'],
};

describe('architecture', () => {
  it('knows every folder of src/', () => {
    const folders = [...new Set(FILES.map(folderOf))].filter((f) => f !== '').sort();
    expect(folders).toEqual(Object.keys(ALLOWED).sort());
  });

  it.each(Object.entries(ALLOWED))('src/%s imports only from the layers below it', (folder, allowed) => {
    const imported = [...(edges.get(folder) ?? [])].sort();
    expect(imported.filter((to) => !allowed.includes(to))).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (done.has(node)) return;
      if (visiting.has(node)) return void cycles.push([...path, node].join(' → '));
      visiting.add(node);
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
      visiting.delete(node);
      done.add(node);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('keeps every SQL statement and dialect test in src/database and src/repositories', () => {
    const SQL =
      /\b(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b[^'"`]*\b(FROM|INTO|SET)\b|GROUP_CONCAT|LOAD DATA|PRAGMA|\.dialect\b|options\.type === '(mysql|sqlite)'/;
    const stray = FILES.filter((f) => !['database', 'repositories'].includes(folderOf(f))).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.trim(), at: `${relative(SRC, file)}:${i + 1}` }))
        .filter(({ line }) => !/^(\*|\/\/|\/\*)/.test(line) && SQL.test(line))
        .map(({ at, line }) => `${at} ${line}`),
    );
    expect(stray).toEqual([]);
  });

  // Each import worker thread loads what its entry imports, before it can begin: Nest alone is a
  // tenth of a second of CPU per worker (warnings load it lazily: src/common/warn.ts).
  it.each(['ingestion/polls-import.worker.ts', 'ingestion/store-feed-import.worker.ts', 'ingestion/polls-parser.worker.ts'])(
    'keeps Nest out of what %s loads',
    (entry) => {
      const seen = new Set<string>();
      const nest: string[] = [];
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = readFileSync(file, 'utf8');
        // Static imports only (`import type` is erased; a dynamic import() loads when called).
        for (const [, kind, spec] of text.matchAll(/^(?:import|export) (type )?[^;]*? from '([^']+)';/gms)) {
          if (kind) continue;
          const path = resolve(dirname(file), spec);
          if (spec.startsWith('@nestjs/')) nest.push(`${relative(SRC, file)} imports ${spec}`);
          else if (spec.startsWith('.')) visit(existsSync(`${path}.ts`) ? `${path}.ts` : join(path, 'index.ts'));
        }
      };
      visit(resolve(SRC, entry));
      expect(seen.size).toBeGreaterThan(5);
      expect(nest).toEqual([]);
    },
  );
});
