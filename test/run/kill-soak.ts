// The kill-anywhere loop: run a `nas` command, SIGKILL it at a moment drawn from a seeded generator,
// look at what it left, run the resuming command (killed again at the next moment), … and finally
// let the resuming command run to its end. Each kill is a row of the table the test prints.
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { describeState, inspectRun, strayFiles, type RunState, type Where } from './kill-inspect.js';
import { describeMoment, runNas, type Moment, type Segment } from './kill-runner.js';

export interface Scenario {
  readonly label: string;
  /** The command killed first (`search …`, `export …`) and the one that resumes it each time. */
  readonly first: readonly string[];
  readonly again: readonly string[];
  readonly where: Where;
  readonly kills: number;
  /** The i-th moment (0-based), drawn from `rng`, knowing what the last kill left. */
  readonly moment: (i: number, rng: Rng, last: RunState | undefined) => Moment;
  /** Where the rows go as they are made (so that a run that fails still shows its kills). */
  readonly rows: Row[];
}

export type Row = { scenario: string; kill: number; moment: string; at: string; found: string; resumed: string };

export type SoakResult = { readonly final: Segment; readonly runs: readonly Segment[] };

/** Runs the scenario's kills, then its resuming command to the end; a command that fails by itself throws with its stderr. */
export async function soak(s: Scenario, seed: number): Promise<SoakResult> {
  const rng = new Rng(seed).derive(s.label);
  const modelRoot = path.join(path.dirname(s.where.storage), s.where.name);
  const rows: Row[] = [];
  const runs: Segment[] = [];
  const add = (row: Row) => {
    rows.push(row);
    s.rows.push(row);
  };
  let last: RunState | undefined;
  for (let i = 0; i < s.kills; i++) {
    const moment = s.moment(i, rng, last);
    const run = await runNas(i === 0 ? s.first : s.again, { tmp: s.where.tmp, moment });
    runs.push(run);
    const before = last;
    last = await inspectRun(s.where);
    if (before !== undefined) (rows.at(-1) as Row).resumed = resumedAs(run, before, last, modelRoot);
    if (!run.killed) {
      add({
        scenario: s.label,
        kill: i + 1,
        moment: describeMoment(moment),
        at: 'never came',
        found: '',
        resumed: `ended with code ${run.code}`,
      });
      throw new Error(
        `${s.label}: kill ${i + 1} (${describeMoment(moment)}) never came: the command ended with code ${run.code}\n${run.stderr}`,
      );
    }
    add({
      scenario: s.label,
      kill: i + 1,
      moment: describeMoment(moment),
      at: hitAt(run, moment, last),
      found: describeState(last, modelRoot),
      resumed: '',
    });
  }
  const final = await runNas(s.again, { tmp: s.where.tmp });
  runs.push(final);
  if (last !== undefined) (rows.at(-1) as Row).resumed = resumedAs(final, last, await inspectRun(s.where), modelRoot);
  if (final.code !== 0)
    throw new Error(
      `${s.label}: the last \`nas ${s.again.join(' ')}\` failed with code ${final.code}\n${final.stderr}`,
    );
  return { final, runs };
}

/** What a pause point stops in the middle of, when it is not about one trial, epoch or file. */
const POINT_WORDS: Readonly<Record<string, string>> = {
  'snapshot-write': 'new snapshot stored, the older not yet deleted',
  'interrupt-write': 'RUNNING trials being marked interrupted (transaction open)',
  'export-record': 'files all written, the export not recorded',
  'export-recorded': 'export recorded, the command not ended',
};

/** Where the kill landed: the trial, epoch or file of the paused write, the event that triggered it, or the time. */
function hitAt(run: Segment, moment: Moment, state: RunState): string {
  if (run.paused !== undefined) {
    const d = run.paused.detail as { file?: string; trial?: number; trialId?: number; epoch?: number };
    const thread = run.paused.thread === 0 ? '' : ` (worker thread ${run.paused.thread})`;
    if (d.file !== undefined) return `${path.basename(path.dirname(d.file))}/${path.basename(d.file)}${thread}`;
    const trial = d.trial ?? state.trials.find((t) => t.id === d.trialId)?.number;
    const parts = [
      ...(trial === undefined ? [] : [`trial #${trial}`]),
      ...(d.epoch === undefined ? [] : [`epoch ${d.epoch}`]),
    ];
    return parts.join(', ') || (POINT_WORDS[run.paused.point] ?? 'the write');
  }
  if (moment.kind === 'event') {
    const e = run.events.filter((x) => x.type === moment.type).at(-1) as
      { trial?: { number: number }; number?: number; epoch?: number | { epoch: number } } | undefined;
    const n = e?.trial?.number ?? e?.number;
    const epoch = typeof e?.epoch === 'object' ? e.epoch.epoch : e?.epoch;
    return n !== undefined ? `trial #${n}` : epoch !== undefined ? `epoch ${epoch}` : 'at the event';
  }
  return `${run.ms} ms after start`;
}

/** The stray files of `before` that are gone in `after`. */
function cleaned(before: RunState, after: RunState, modelRoot: string): string[] {
  const now = new Set(strayFiles(after, modelRoot));
  return strayFiles(before, modelRoot).filter((f) => !now.has(f));
}

/** What a resuming run did, from its events and the files: trials run again, where the supernet went on, a lease taken over, stray files removed. */
function resumedAs(run: Segment, before: RunState, after: RunState, modelRoot: string): string {
  const parts: string[] = [];
  const proposed = before.proposed;
  if (
    proposed !== undefined &&
    !before.trials.some((t) => t.number === proposed) &&
    after.trials.some((t) => t.number === proposed && t.retryOf === undefined)
  )
    parts.push(`ran the unrecorded proposal as #${proposed}`);
  const removed = cleaned(before, after, modelRoot);
  for (const e of run.events) {
    if (e.type === 'owner-takeover') parts.push('took the lease over');
    if (e.type === 'oneshot-started')
      parts.push(`supernet from epoch ${(e.start as { startEpoch: number }).startEpoch}`);
    const trial = e.trial as { number: number; retryOf?: number } | undefined;
    if (e.type === 'trial-started' && trial?.retryOf !== undefined)
      parts.push(`#${trial.retryOf} again as #${trial.number}`);
  }
  if (removed.length > 0) parts.push(`removed ${removed.join(', ')}`);
  if (!run.killed) parts.push(run.code === 0 ? 'ran to the end' : `failed (code ${run.code})`);
  return parts.join('; ') || 'went on';
}

/** The rows as a Markdown table, written to `file` and returned. */
export function writeTable(rows: readonly Row[], file: string): string {
  const cell = (s: string | number) => String(s).replace(/\|/g, '\\|');
  const lines = [
    '| search | kill | moment | hit at | what resume found | what resume did |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows)
    lines.push(`| ${[r.scenario, r.kill, r.moment, r.at, r.found, r.resumed].map(cell).join(' | ')} |`);
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(file, text);
  return text;
}
