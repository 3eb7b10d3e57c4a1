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

/** The right-hand part of a lane: epoch i/n, the epoch's bar, loss, accuracy, time. */
function progressText(lane: Lane, now: number): string {
  const epoch = `epoch ${lane.epoch}${lane.epochs === undefined ? '' : `/${lane.epochs}`}`.padEnd(11);
  const loss = `loss ${lane.loss === undefined || !Number.isFinite(lane.loss) ? NONE : lane.loss.toFixed(4)}`.padEnd(
    12,
  );
  const acc = `acc ${lane.accuracy === undefined ? NONE : percent(lane.accuracy)}`.padEnd(11);
  return `${epoch}${bar(lane.fraction, BAR)} ${loss}${acc}${duration(now - lane.trial.startedAt).padStart(6)}`;
}

/** One lane per worker: the running trial's number, architecture and live progress; idle lanes dimmed. */
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
        const flags = lane.flags.length === 0 ? '' : `${flagMarker(lane.flags)} `;
        const right = progressText(lane, now);
        const worker = lane.worker === undefined ? '' : `on ${lane.worker} `;
        const room = width - head.length - number.length - flags.length - worker.length - right.length - 1;
        const arch = room >= 6 ? `${fit(lane.note ?? describe(lane.trial.sample), room)} ` : '';
        return (
          <Text key={i} wrap="truncate-end">
            {head}
            <Text bold>{number}</Text>
            <Text color="yellow">{flags}</Text>
            <Text dimColor>{arch}</Text>
            <Text color="cyan">{worker}</Text>
            {right}
          </Text>
        );
      })}
    </Box>
  );
}
