import { Text } from 'ink';
import type { Phase } from '../selectors.js';

/** Props of {@link StatusLine}. */
export interface StatusLineProps {
  readonly phase: Phase;
  readonly stopReason: string | undefined;
  readonly strategyDone: string | undefined;
}

/** The keys that work now, or what a stop is doing. */
export function StatusLine({ phase, stopReason, strategyDone }: StatusLineProps) {
  const done = strategyDone === undefined ? '' : `strategy done (${strategyDone}) · `;
  switch (phase) {
    case 'starting':
    case 'running':
      return <Text dimColor>{done}q stop (running trials finish; resumable) · Ctrl-C twice cancel running trials</Text>;
    case 'stopping':
      return <Text color="yellow">stopping ({stopReason}): waiting for running trials · Ctrl-C cancel them</Text>;
    case 'cancelling':
      return <Text color="red">cancelling running trials ({stopReason})…</Text>;
    case 'stopped':
      return <Text color="yellow">stopped ({stopReason ?? 'stop requested'}) · continue with `nas resume`</Text>;
    case 'finished':
      return <Text color="green">{done}finished</Text>;
  }
}
