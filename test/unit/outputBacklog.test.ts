/**
 * What the server wrote and the client has not taken yet (lsp/outputBacklog.ts): a stream's
 * backlog past its high-water mark, and the messages of the IPC channel Node has not written.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { IpcBacklogWriter, streamBacklog } from '../../server/src/lsp/outputBacklog';

/** Resolves with whether `promise` settled within a few turns of the event loop. */
async function settles(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('output backlog', () => {
  test('a stream: drained at once when it holds little, else once it has drained', async () => {
    const written: (() => void)[] = [];
    const stream = new Writable({
      highWaterMark: 1024,
      write: (_chunk, _encoding, callback) => void written.push(() => callback()),
    });
    const backlog = streamBacklog(stream);
    stream.write('x'.repeat(100));
    assert.equal(await settles(backlog.drained()), true, 'under the high-water mark');
    written.shift()?.();
    stream.write('x'.repeat(4096));
    const drained = backlog.drained();
    assert.equal(await settles(drained), false, 'a large answer waits to be read');
    written.shift()?.();
    assert.equal(await settles(drained), true);
  });

  test('IPC: drained once every message sent has been written to the channel', async () => {
    const callbacks: ((error: Error | null) => void)[] = [];
    const sent: unknown[] = [];
    const channel = {
      send: (message: unknown, _h: unknown, _o: unknown, callback: (e: Error | null) => void) => {
        sent.push(message);
        callbacks.push(callback);
        return false;
      },
      on: () => channel,
    };
    const writer = new IpcBacklogWriter(channel as unknown as NodeJS.Process);
    assert.equal(await settles(writer.backlog.drained()), true, 'nothing sent');
    await writer.write({ jsonrpc: '2.0' });
    await writer.write({ jsonrpc: '2.0' });
    assert.equal(sent.length, 2);
    const drained = writer.backlog.drained();
    callbacks[0]?.(null);
    assert.equal(await settles(drained), false, 'one message still unwritten');
    callbacks[1]?.(null);
    assert.equal(await settles(drained), true);
  });
});
