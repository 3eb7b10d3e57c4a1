import { Box, Text } from 'ink';
import type { Describe } from '../columns.js';
import { bar, duration, fit, flagMarker, NONE, percent } from '../format.js';
import type { Lane } from '../state.js';

/** Props of {@link Lanes}. */
export interface LanesProps {
  readonly lanes: readonly Lane[];
  readonly workers: number;
  readonly now: number;
  readonly width: number;
  readonly describe: Describe;
}

const BAR = 12;
const LOSS = 12;

/**
 * The right-hand part of a lane in three: epoch i/n; the epoch's bar and loss, or, once the
 * pruner stopped the trial, "pruned (rung r)" in their place; accuracy and time.
 */
function progressParts(lane: Lane, now: number): readonly [string, string, string] {
  const epoch = `epoch ${lane.epoch}${lane.epochs === undefined ? '' : `/${lane.epochs}`}`.padEnd(11);
  const loss = `loss ${lane.loss === undefined || !Number.isFinite(lane.loss) ? NONE : lane.loss.toFixed(4)}`;
  const rung = lane.pruned?.rung === undefined ? '' : ` (rung ${lane.pruned.rung})`;
  const middle =
    lane.pruned === undefined
      ? `${bar(lane.fraction, BAR)} ${loss.padEnd(LOSS)}`
      : `pruned${rung}`.padEnd(BAR + 1 + LOSS);
  const acc = `acc ${lane.accuracy === undefined ? NONE : percent(lane.accuracy)}`.padEnd(11);
  return [epoch, middle, `${acc}${duration(now - lane.trial.startedAt).padStart(6)}`];
}

/** One lane per worker: the running trial's number, rung, architecture and live progress; idle lanes dimmed. */
export function Lanes({ lanes, workers, now, width, describe }: LanesProps) {
  const count = Math.max(workers, ...lanes.map((l) => l.index + 1));
  const slots = Array.from({ length: count }, (_, i) => lanes.find((l) => l.index === i));
  return (
    <Box flexDirection="column">
      {slots.map((lane, i) => {
        const head = `w${i + 1} `.padEnd(4);
        if (lane === undefined)
          return (
            <Text key={i} dimColor>
              {head}idle
            </Text>
          );
        const number = `#${lane.trial.number}`.padEnd(6);
        const rung = lane.rung === undefined ? '' : `rung ${lane.rung} `;
        const flags = lane.flags.length === 0 ? '' : `${flagMarker(lane.flags)} `;
        const [epoch, middle, end] = progressParts(lane, now);
        const right = epoch.length + middle.length + end.length;
        const worker = lane.worker === undefined ? '' : `on ${lane.worker} `;
        const room = width - head.length - number.length - rung.length - flags.length - worker.length - right - 1;
        const arch = room >= 6 ? `${fit(lane.note ?? describe(lane.trial.sample), room)} ` : '';
        return (
          <Text key={i} wrap="truncate-end">
            {head}
            <Text bold>{number}</Text>
            {rung}
            <Text color="yellow">{flags}</Text>
            <Text dimColor>{arch}</Text>
            <Text color="cyan">{worker}</Text>
            {epoch}
            {lane.pruned === undefined ? middle : <Text color="yellow">{middle}</Text>}
            {end}
          </Text>
        );
      })}
    </Box>
  );
}
