import { bytes, table } from './units.js';
import type { ExperimentJson } from './experiment-json.js';
import { metricText, metricTitle } from './metrics.js';
import type { ExperimentDisk } from '../commands/ls/disk-usage.js';

/** An experiment of `nas ls --json`: its `nas show --json` entry and the bytes of its saved models and checkpoints. */
export type LsExperimentJson = ExperimentJson & { readonly disk: ExperimentDisk };

/** `nas ls --json`: the storage (a SQLite file's path, a PostgreSQL URL without its password), the SQLite file's bytes with its -wal and -shm files (null for PostgreSQL), and its experiments, oldest first. */
export interface LsJson {
  readonly storage: string;
  readonly storageBytes: number | null;
  readonly experiments: readonly LsExperimentJson[];
}

/** `nas ls` as text: one row per experiment with status, progress, best result, space, strategy and disk use. */
export function lsLines(ls: LsJson, shownPath: string): string[] {
  if (ls.experiments.length === 0) return [`no experiments in ${shownPath} yet; start one with \`nas search\``];
  const rows = ls.experiments.map((e) => [
    e.name,
    e.status,
    `${e.progress.done}/${e.progress.total}`,
    failedText(e),
    e.best === null
      ? '—'
      : `${metricText(e.best.metric, e.best.value)} ${metricTitle(e.best.metric)} (#${e.best.trial})`,
    e.space,
    e.strategy,
    e.dataset,
    bytes(e.disk.models + e.disk.checkpoints),
    e.updatedAt.slice(0, 16).replace('T', ' '),
  ]);
  const header = [
    'experiment',
    'status',
    'trials',
    'failed',
    'best',
    'space',
    'strategy',
    'data',
    'disk',
    'updated (UTC)',
  ];
  return [
    `experiments in ${shownPath}${ls.storageBytes === null ? '' : ` (${bytes(ls.storageBytes)})`}`,
    ...table([header, ...rows], new Set([2, 3, 8])).map((l) => `  ${l}`),
  ];
}

function failedText(e: ExperimentJson): string {
  return e.trials.FAILED === 0 ? '0' : String(e.trials.FAILED);
}
