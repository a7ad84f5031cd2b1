/**
 * What the server has written that the client has not taken yet. A large answer (the outline
 * of a 5 MB config is 1.3 MB of JSON) goes out through a pipe that holds 64 KB: the rest is
 * written as the client reads, a pipe-full at each turn of the event loop. A validation that
 * runs a slice at every turn stretches that delivery over dozens of slices (a cached outline
 * took 100–500 ms to arrive while a 5 MB config was validated), so validation waits for the
 * output to drain before its next slice (validationScheduler.ts).
 */
import type { Writable } from 'node:stream';
import {
  AbstractMessageWriter,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';

export interface OutputBacklog {
  /** Resolves at once when nothing waits to be written, else once it has been written. */
  drained(): Promise<void>;
}

/** A transport whose backlog is not known: nothing to wait for. */
export const NO_BACKLOG: OutputBacklog = { drained: () => Promise.resolve() };

/**
 * The backlog of a stream (stdout for --stdio): what it holds past its high-water mark. Less
 * than that is one write the pipe takes at once; the stream says when more has drained.
 */
export function streamBacklog(stream: Writable): OutputBacklog {
  return {
    drained: () =>
      !stream.writableNeedDrain || stream.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = (): void => {
              stream.off('drain', done);
              stream.off('close', done);
              resolve();
            };
            stream.on('drain', done);
            stream.on('close', done);
          }),
  };
}

/**
 * vscode-jsonrpc's IPCMessageWriter, which also counts the messages Node has not yet written
 * to the channel (`process.send` calls back once it has): VS Code starts the server over
 * node IPC, and the channel's pipe fills just as stdout's does.
 */
export class IpcBacklogWriter extends AbstractMessageWriter implements MessageWriter {
  private inFlight = 0;
  private errorCount = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly ipc: Pick<NodeJS.Process, 'send' | 'on'>) {
    super();
    // As IPCMessageWriter does; a closed channel calls back every send still in flight.
    ipc.on('error', (error: Error) => this.fireError(error));
    ipc.on('disconnect', () => this.release());
  }

  readonly backlog: OutputBacklog = {
    drained: () =>
      this.inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.waiting.push(resolve)),
  };

  write(msg: Message): Promise<void> {
    if (typeof this.ipc.send !== 'function') return Promise.resolve();
    this.inFlight++;
    try {
      this.ipc.send(msg, undefined, undefined, (error) => {
        this.sent();
        if (error) this.failed(error, msg);
        else this.errorCount = 0;
      });
      return Promise.resolve();
    } catch (error) {
      this.sent();
      this.failed(error, msg);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  end(): void {
    this.release();
  }

  private failed(error: unknown, msg: Message): void {
    this.errorCount++;
    this.fireError(error, msg, this.errorCount);
  }

  private sent(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.release();
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
