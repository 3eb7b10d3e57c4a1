import { Box, Text } from 'ink';
import type { Trial } from '../../../core/trial.js';
import type { Objective } from '../../../run/config.js';
import { trialColumns, trialTable, type Describe } from '../columns.js';
import { title } from '../format.js';

/** Props of {@link Leaderboard}. */
export interface LeaderboardProps {
  readonly trials: readonly Trial[];
  readonly objectives: readonly Objective[];
  readonly width: number;
  readonly describe: Describe;
}

/** The best trials so far by the primary objective, best first, with accuracy, params, MACs and latency. */
export function Leaderboard({ trials, objectives, width, describe }: LeaderboardProps) {
  const primary = objectives[0];
  const heading = `Top ${trials.length > 0 ? trials.length : 'trials'} by ${primary === undefined ? '?' : `${title(primary.metric)} (${primary.direction})`}`;
  const [head, ...rows] = trialTable(trials, trialColumns(objectives), { width, describe, ranked: true });
  return (
    <Box flexDirection="column">
      <Text bold>{heading}</Text>
      {trials.length === 0 ? (
        <Text dimColor>no complete trial yet</Text>
      ) : (
        <>
          <Text dimColor>{head}</Text>
          {rows.map((row, i) => (
            <Text key={i} wrap="truncate-end" {...(i === 0 ? { color: 'green' } : {})}>
              {row}
            </Text>
          ))}
        </>
      )}
    </Box>
  );
}
