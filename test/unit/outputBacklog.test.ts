/**
 * What the server wrote and the client has not taken yet (lsp/outputBacklog.ts): a stream's
 * backlog past its high-water mark, the messages of the IPC channel Node has not written, and
 * what a socket (the CLI's --socket and --pipe) holds for a client that does not read.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { type Message, SocketMessageReader } from 'vscode-languageserver/node';
import { socketStreams } from '../../server/src/cli/lspCommand';
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

  test('a socket (--socket, --pipe): drained once the client has read a large answer', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const { port } = server.address() as net.AddressInfo;
    const socket = net.createConnection(port, '127.0.0.1');
    const { writer, backlog } = socketStreams(socket);
    const client = await accepted;
    try {
      client.pause(); // a client busy elsewhere: it reads nothing yet
      // An outline-sized answer: far more than the socket and the kernel take at once.
      const answer = { jsonrpc: '2.0', id: 1, result: 'x'.repeat(16 * 1024 * 1024) };
      // The writer's promise settles once the socket has taken the whole message.
      const written = writer.write(answer);
      // The writer hands the message to the socket a few turns of the event loop later.
      for (let turn = 0; turn < 100 && !socket.writableNeedDrain; turn++)
        await new Promise((resolve) => setImmediate(resolve));
      const drained = backlog.drained();
      assert.equal(await settles(drained), false, 'the answer waits for the client');
      const received = new Promise<Message>((resolve) =>
        new SocketMessageReader(client).listen(resolve),
      );
      client.resume();
      await drained;
      await written;
      assert.deepEqual(await received, answer);
      assert.equal(await settles(backlog.drained()), true, 'nothing left to write');
    } finally {
      socket.destroy();
      client.destroy();
      server.close();
    }
  });
});
