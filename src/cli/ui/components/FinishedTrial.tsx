import { Text } from 'ink';
import type { Trial } from '../../../core/trial.js';
import type { Objective } from '../../../run/config.js';
import type { Describe } from '../columns.js';
import { fit } from '../format.js';
import { finishedText } from '../lines.js';

/** Props of {@link FinishedTrial}. */
export interface FinishedTrialProps {
  readonly trial: Trial;
  readonly objectives: readonly Objective[];
  readonly width: number;
  readonly describe: Describe;
}

const MARK = {
  COMPLETE: ['✓', 'green'],
  FAILED: ['✗', 'red'],
  PRUNED: ['–', 'yellow'],
  RUNNING: ['·', 'gray'],
} as const;

/** A finished trial's line, printed once above the dashboard (inside Ink's `<Static>`). */
export function FinishedTrial({ trial, objectives, width, describe }: FinishedTrialProps) {
  const [mark, color] = MARK[trial.state];
  return (
    <Text>
      <Text color={color}>{mark}</Text> {fit(finishedText(trial, objectives, describe), width - 2).trimEnd()}
    </Text>
  );
}
