import { describe, expect, it } from 'vitest';
import { stopRelay } from '../../../../src/cli/ui/reporters/stop-relay.js';

describe('stopRelay', () => {
  it('passes requests to listeners, including those made before the listener came', () => {
    const relay = stopRelay();
    const heard: string[] = [];
    relay.request('q pressed');
    relay.hook.onStop((why) => heard.push(`a:${why}`));
    relay.request('Ctrl-C again');
    relay.hook.onStop((why) => heard.push(`b:${why}`));
    expect(heard).toEqual(['a:q pressed', 'a:Ctrl-C again', 'b:q pressed', 'b:Ctrl-C again']);
  });
});
