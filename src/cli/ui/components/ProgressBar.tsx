import { Text } from 'ink';
import { bar, duration, NONE } from '../format.js';

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  readonly done: number;
  readonly total: number;
  readonly running: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly etaMs: number | undefined;
  readonly width: number;
}

/** The overall progress: a bar of trials done / budget, running and failed counts, elapsed time and ETA. */
export function ProgressBar({ done, total, running, failed, elapsedMs, etaMs, width }: ProgressBarProps) {
  const counts = ` ${done}/${total} trials · ${running} running${failed > 0 ? ` · ${failed} failed` : ''}`;
  const times = ` · elapsed ${duration(elapsedMs)} · ETA ${etaMs === undefined ? NONE : duration(etaMs)}`;
  const barWidth = Math.max(10, Math.min(40, width - counts.length - times.length));
  return (
    <Text>
      <Text color="cyan">{bar(total > 0 ? done / total : 0, barWidth)}</Text>
      {counts}
      <Text dimColor>{times}</Text>
    </Text>
  );
}
