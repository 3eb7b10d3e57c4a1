import { Box, Text } from 'ink';
import { duration, title } from '../format.js';
import type { DashboardHeader } from '../header.js';
import type { Phase } from '../selectors.js';

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly header: DashboardHeader;
  readonly resumed: boolean;
  readonly phase: Phase;
}

const PHASE_COLOR: Readonly<Record<Phase, string>> = {
  starting: 'gray',
  running: 'green',
  stopping: 'yellow',
  cancelling: 'red',
  finished: 'green',
  stopped: 'yellow',
};

/** The experiment: name and phase; space, strategy, data set and seed; budget, workers and objectives. */
export function Header({ header, resumed, phase }: HeaderProps) {
  const budget = `${header.budget.trials} trials${header.budget.seconds === undefined ? '' : ` or ${duration(header.budget.seconds * 1000)}`}`;
  const objectives = header.objectives.map((o) => `${o.direction} ${title(o.metric)}`).join(', ');
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>nas · {header.experiment}</Text>
        {resumed ? ' (resumed)' : ''} <Text color={PHASE_COLOR[phase]}>{phase}</Text>
      </Text>
      <Text dimColor>
        space {header.space} · strategy {header.strategy} · data {header.dataset} · seed {header.seed}
      </Text>
      <Text dimColor>
        budget {budget} · {header.workers} worker{header.workers === 1 ? '' : 's'} · {objectives}
      </Text>
    </Box>
  );
}
