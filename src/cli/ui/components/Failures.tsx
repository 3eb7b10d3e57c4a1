import { Box, Text } from 'ink';
import { fit } from '../format.js';
import type { Failure } from '../state.js';

/** Props of {@link Failures}. */
export interface FailuresProps {
  readonly failures: readonly Failure[];
  readonly width: number;
  /** The latest failures listed with their messages; the rest only counted. */
  readonly last?: number;
}

/** Failed trials counted by reason, and the latest ones with their messages. */
export function Failures({ failures, width, last = 2 }: FailuresProps) {
  if (failures.length === 0) return null;
  const byReason = new Map<string, number>();
  for (const f of failures) byReason.set(f.reason ?? 'error', (byReason.get(f.reason ?? 'error') ?? 0) + 1);
  const summary = [...byReason].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return (
    <Box flexDirection="column">
      <Text color="red">
        {failures.length} failed: {summary}
      </Text>
      {(last > 0 ? failures.slice(-last) : []).map((f) => (
        <Text key={f.number} dimColor>
          {fit(
            `  #${f.number} ${f.reason ?? 'error'}${f.message === undefined ? '' : `: ${f.message.split('\n')[0] ?? ''}`}`,
            width,
          ).trimEnd()}
        </Text>
      ))}
    </Box>
  );
}
