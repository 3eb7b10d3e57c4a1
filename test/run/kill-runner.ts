// Runs the real `nas` command (node bin/nas.js) in a child process and SIGKILLs it at a chosen
// moment: when its JSON-lines output shows the k-th event of a type, after a wall-clock delay, or
// when a thread of it stops at a pause point of fixtures/pause-points.cjs (a moment inside a write,
// which no printed event marks). After the kill it waits until every process the command had started
// (the pool host) is gone, so nothing still writes when the test looks or resumes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/nas.js');
const HOOK = path.join(ROOT, 'test/run/fixtures/pause-points.cjs');

/** When to kill: after the k-th output event of a type, after `ms` from the start, or at the k-th pass of a pause point. */
export type Moment =
  | { readonly kind: 'event'; readonly type: string; readonly occurrence: number }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'pause'; readonly point: string; readonly occurrence: number };

/** Where a pause point stopped a process: the point, the process and what it was about to do. */
export type Paused = {
  readonly point: string;
  readonly pid: number;
  readonly thread: number;
  readonly detail: Readonly<Record<string, string>>;
};

/** How one run of the command ended. */
export interface Segment {
  readonly killed: boolean;
  readonly code: number | null;
  /** The JSON objects printed on stdout (other lines are left out). */
  readonly events: readonly Record<string, unknown>[];
  readonly stdout: string;
  readonly stderr: string;
  readonly paused?: Paused;
  readonly ms: number;
}

/** `moment` in words, for the table. */
export function describeMoment(m: Moment): string {
  if (m.kind === 'event') return `event ${m.type} #${m.occurrence}`;
  if (m.kind === 'delay') return `after ${m.ms} ms`;
  return `pause ${m.point} #${m.occurrence}`;
}

/**
 * Runs `nas <args>` from the repository root with `env` added (TMPDIR is set to `tmp`, so the
 * command's temporary files are where the test can look) and kills it at `moment`; without a
 * moment it runs to its end.
 */
export async function runNas(
  args: readonly string[],
  o: { readonly tmp: string; readonly moment?: Moment; readonly env?: Readonly<Record<string, string>> },
): Promise<Segment> {
  const markers = fs.mkdtempSync(path.join(o.tmp, 'markers-'));
  const pause =
    o.moment?.kind === 'pause'
      ? { NAS_SOAK_PAUSE: JSON.stringify({ point: o.moment.point, occurrence: o.moment.occurrence, markers }) }
      : {};
  const env = {
    ...process.env,
    ...o.env,
    ...pause,
    TMPDIR: o.tmp,
    NO_COLOR: '1',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${HOOK}`.trim(),
  };
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid as number;
  let stdout = '';
  let stderr = '';
  const events: Record<string, unknown>[] = [];
  let killing: Promise<void> | undefined;
  let paused: Paused | undefined;
  const kill = (also?: number) => (killing ??= killTree(pid, also));

  const moment = o.moment;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const event = parseJson(line);
      if (event === undefined) continue;
      events.push(event);
      if (
        moment?.kind === 'event' &&
        event.type === moment.type &&
        events.filter((e) => e.type === moment.type).length === moment.occurrence
      )
        void kill();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const timer = moment?.kind === 'delay' ? setTimeout(() => void kill(), moment.ms) : undefined;
  const poll =
    moment?.kind === 'pause'
      ? setInterval(() => {
          const marker = fs.readdirSync(markers).find((f) => f.endsWith('.json'));
          if (marker === undefined || killing !== undefined) return;
          paused = JSON.parse(fs.readFileSync(path.join(markers, marker), 'utf8')) as Paused;
          void kill(paused.pid);
        }, 10)
      : undefined;
  const code = await exited;
  clearTimeout(timer);
  clearInterval(poll);
  await killing;
  fs.rmSync(markers, { recursive: true, force: true });
  return {
    killed: killing !== undefined,
    code,
    events,
    stdout,
    stderr,
    ...(paused === undefined ? {} : { paused }),
    ms: Date.now() - started,
  };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** SIGKILLs `pid` (after `also`, a stopped descendant), then waits until every descendant it had is gone. */
async function killTree(pid: number, also?: number): Promise<void> {
  const descendants = descendantsOf(pid);
  // A stopped process whose parent dies may be sent SIGCONT (an orphaned process group's stopped
  // jobs are continued), and would go on writing: it dies first.
  if (also !== undefined && also !== pid) process.kill(also, 'SIGKILL');
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  for (;;) {
    const alive = descendants.filter(isAlive);
    if (alive.length === 0) return;
    // A pool host left running exits when its driver's IPC channel closes; one that does not is killed.
    if (Date.now() > deadline) for (const p of alive) process.kill(p, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Parent pid of each process, from /proc. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      out.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function descendantsOf(pid: number): number[] {
  const ppid = parents();
  const out: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const p = frontier.pop() as number;
    const children = [...ppid].filter(([, parent]) => parent === p).map(([child]) => child);
    out.push(...children);
    frontier.push(...children);
  }
  return out;
}

/** Alive and not a zombie (this container's init may not reap orphans). */
function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
