/** The machine the figures were measured on: CPUs, memory, load, Node, SQLite and MariaDB versions. */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { BenchArgs } from './args';
import { round } from './common';
import { Db, MariadbSettings, mariadbSettings, sqliteVersion } from './databases';

export interface MachineInfo extends Partial<MariadbSettings> {
  date: string;
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  loadAverageAtStart: number;
  node: string;
  sqlite?: string;
}

export async function machine(dbs: Db[], args: BenchArgs): Promise<MachineInfo> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const info: MachineInfo = {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    kernel: `${os.type()} ${os.release()}`,
    /** 1-minute load average when the bench started: other work on the machine skews every figure. */
    loadAverageAtStart: round(os.loadavg()[0], 2),
    node: process.version,
  };
  const sqlite = await sqliteVersion();
  if (sqlite !== null) info.sqlite = sqlite;
  if (dbs.includes('mysql')) Object.assign(info, await mariadbSettings(args));
  return info;
}
