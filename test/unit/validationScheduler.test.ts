/**
 * The validation scheduler (lsp/validationScheduler.ts) on its own, with a clock the test
 * moves: a validation yields to the event loop only once it has run SLICE_MS, and a newer
 * version (or a close) makes the running job stop at its next pause.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SLICE_MS,
  type ValidationJob,
  ValidationScheduler,
} from '../../server/src/lsp/validationScheduler';

interface Doc {
  uri: string;
  version: number;
  getText(): string;
}

const doc = (version: number, text = '{}'): Doc => ({
  uri: 'file:///a.destination.json',
  version,
  getText: () => text,
});

/** A scheduler whose `run` hands its job to the test, and the clock the test sets. */
function harness(open: () => Doc | undefined, drained?: () => Promise<void>) {
  const clock = { now: 0 };
  const jobs: { document: Doc; job: ValidationJob }[] = [];
  let started: () => void = () => undefined;
  const scheduler = new ValidationScheduler<Doc>({
    latest: () => open(),
    now: () => clock.now,
    ...(drained ? { drained } : {}),
    run: (document, job) => {
      jobs.push({ document, job });
      started();
      return Promise.resolve();
    },
  });
  const nextJob = (): Promise<void> => new Promise((resolve) => (started = resolve));
  return { clock, jobs, scheduler, nextJob };
}

describe('validation scheduler', () => {
  test('pauses within SLICE_MS run nothing else; the first pause after it lets the event loop in', async () => {
    const v1 = doc(1);
    const { clock, jobs, scheduler, nextJob } = harness(() => v1);
    const running = nextJob();
    scheduler.schedule(v1);
    await running;
    const { job } = jobs[0] as { job: ValidationJob };
    let other = false;
    setImmediate(() => (other = true));
    for (let i = 0; i < 5; i++) {
      clock.now += (SLICE_MS - 1) / 5;
      assert.equal(await job.pause(), true);
    }
    assert.equal(other, false, 'no turn of the event loop within the slice');
    clock.now += 1;
    assert.equal(await job.pause(), true);
    assert.equal(other, true, 'the slice was over: the pause yielded');
    // A new slice starts at that yield.
    let again = false;
    setImmediate(() => (again = true));
    assert.equal(await job.pause(), true);
    assert.equal(again, false);
  });

  test('a newer version stops the running job at its next pause and validates the newest', async () => {
    let open: Doc | undefined = doc(1);
    const { jobs, scheduler, nextJob } = harness(() => open);
    let running = nextJob();
    scheduler.schedule(open);
    await running;
    const first = (jobs[0] as { job: ValidationJob }).job;
    open = doc(2);
    running = nextJob();
    scheduler.schedule(open);
    assert.equal(first.current(), false);
    assert.equal(await first.pause(), false);
    await running;
    assert.equal(jobs[1]?.document.version, 2);
    assert.equal(jobs[1]?.job.current(), true);
    scheduler.cancel(open.uri);
    open = undefined;
    assert.equal(jobs[1]?.job.current(), false, 'closed: nothing is published');
  });

  test('after a yield, the next slice waits until the output has drained', async () => {
    const v1 = doc(1);
    let release: () => void = () => undefined;
    let pending = false;
    const drained = (): Promise<void> =>
      pending ? new Promise((resolve) => (release = resolve)) : Promise.resolve();
    const { clock, jobs, scheduler, nextJob } = harness(() => v1, drained);
    const running = nextJob();
    scheduler.schedule(v1);
    await running;
    const { job } = jobs[0] as { job: ValidationJob };
    pending = true;
    clock.now += SLICE_MS;
    let resumed = false;
    const paused = job.pause().then((current) => (resumed = current));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(resumed, false, 'a large answer is still being written');
    pending = false;
    release();
    await paused;
    assert.equal(resumed, true);
  });
});
