import { Box, Text } from 'ink';
import type { Trial } from '../../../core/trial.js';
import type { Objective } from '../../../run/config.js';
import { metricColumn, trialTable, type Describe } from '../columns.js';
import { title } from '../format.js';

/** Props of {@link ParetoFront}. */
export interface ParetoFrontProps {
  readonly trials: readonly Trial[];
  readonly objectives: readonly Objective[];
  readonly width: number;
  readonly describe: Describe;
  /** Rows shown at most; the rest are counted. */
  readonly limit?: number;
}

/** The complete trials no other beats on every objective, by the first objective (multi-objective runs). */
export function ParetoFront({ trials, objectives, width, describe, limit = 6 }: ParetoFrontProps) {
  const heading = `Pareto front: ${trials.length} trial${trials.length === 1 ? '' : 's'} (${objectives.map((o) => `${o.direction} ${title(o.metric)}`).join(', ')})`;
  const shown = trials.slice(0, limit);
  const [head, ...rows] = trialTable(
    shown,
    objectives.map((o) => metricColumn(o.metric)),
    { width, describe, ranked: false },
  );
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {heading}
      </Text>
      {shown.length > 0 && <Text dimColor>{head}</Text>}
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row}
        </Text>
      ))}
      {trials.length > limit && <Text dimColor>… and {trials.length - limit} more</Text>}
    </Box>
  );
}
