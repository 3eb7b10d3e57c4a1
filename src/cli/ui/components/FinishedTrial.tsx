import { Text } from 'ink';
import type { Trial } from '../../../core/trial.js';
import type { Objective } from '../../../run/config.js';
import type { Describe } from '../columns.js';
import { fit } from '../format.js';
import { finishedText } from '../lines.js';
import type { Rungs } from '../rungs.js';

/** Props of {@link FinishedTrial}. */
export interface FinishedTrialProps {
  readonly trial: Trial;
  readonly objectives: readonly Objective[];
  readonly width: number;
  readonly describe: Describe;
  /** The rungs of a successive-halving run (the row shows the trial's rung). */
  readonly rungs?: Rungs | undefined;
}

const MARK = {
  COMPLETE: ['✓', 'green'],
  FAILED: ['✗', 'red'],
  PRUNED: ['–', 'yellow'],
  RUNNING: ['·', 'gray'],
} as const;

/** A finished trial's line, printed once above the dashboard (inside Ink's `<Static>`). */
export function FinishedTrial({ trial, objectives, width, describe, rungs }: FinishedTrialProps) {
  const [mark, color] = MARK[trial.state];
  return (
    <Text>
      <Text color={color}>{mark}</Text> {fit(finishedText(trial, objectives, describe, rungs), width - 2).trimEnd()}
    </Text>
  );
}
