import { EventEmitter } from 'node:events';

/** A terminal's output for Ink: keeps what is written; 100 columns. */
export class FakeStdout extends EventEmitter {
  readonly columns = 100;
  readonly rows = 40;
  readonly isTTY = true;
  readonly chunks: string[] = [];

  write = (chunk: string): boolean => {
    this.chunks.push(chunk);
    return true;
  };
}

/** A terminal's keyboard for Ink (raw mode, readable events), as ink-testing-library's. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;

  /** Types `text` as if on the keyboard. */
  type(text: string): void {
    this.data = text;
    this.emit('readable');
    this.emit('data', text);
  }

  read = (): string | null => {
    const data = this.data;
    this.data = null;
    return data;
  };

  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
