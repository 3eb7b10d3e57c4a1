/** A stop hook as `startSearch` / `resumeSearch` take it. */
export interface StopHook {
  readonly onStop: (listener: (why: string) => void) => void;
}

/** The two ends of a {@link stopRelay}. */
export interface StopRelay {
  /** Asks the search to stop: once gracefully, again to cancel running trials. */
  readonly request: (why: string) => void;
  /** Pass as `stop` in the search hooks. */
  readonly hook: StopHook;
}

/**
 * Joins whatever asks for a stop (the dashboard's `q` and Ctrl-C, a SIGINT handler) to the search.
 * Requests made before the search listens are passed on, in order, when it does.
 */
export function stopRelay(): StopRelay {
  const asked: string[] = [];
  const listeners: ((why: string) => void)[] = [];
  return {
    request: (why) => {
      asked.push(why);
      for (const listener of listeners) listener(why);
    },
    hook: {
      onStop: (listener) => {
        listeners.push(listener);
        for (const why of asked) listener(why);
      },
    },
  };
}
