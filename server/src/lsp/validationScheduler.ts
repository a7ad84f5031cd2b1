/**
 * When a document's validation runs, and when it stops. Requests (completion, hover, code
 * actions, outline) never wait for a validation:
 *
 * - edits are coalesced: a burst of didChange starts one validation, of the latest version; a
 *   large document (LARGE_DOCUMENT_CHARS and more) waits until edits pause for DEBOUNCE_MS, so
 *   that while someone types, the event loop is free for their requests;
 * - a validation runs in slices (the parse, then one rule at a time) and, once it has run for
 *   SLICE_MS since it last did, yields to the event loop between two slices, where requests
 *   that came in are answered first (from the newest text: they parse it when validation has
 *   not yet). On a small config the whole validation is one slice: a turn of the event loop
 *   per rule would cost more than the rules;
 * - a yield lasts until the server's output has drained (outputBacklog.ts): a large answer
 *   (an outline) is written a pipe-full per turn of the event loop, and a slice at each turn
 *   would hold back its delivery;
 * - at every yield the validation checks that it is still wanted: a newer version, a close or
 *   a new schedule of the same document (settings changed) abandons it, and the diagnostics of
 *   an abandoned validation are never published.
 */

/** From this many UTF-16 code units, validation waits for a pause in the edits. */
export const LARGE_DOCUMENT_CHARS = 2 * 1024 * 1024;
/** How long edits of a large document must pause before it is validated. */
export const DEBOUNCE_MS = 150;

/**
 * How long a validation runs before it yields to the event loop (at its next pause): what a
 * request that comes in meanwhile may wait, besides the slice running when the time is up.
 */
export const SLICE_MS = 8;

/** One run of a document's validation, as the scheduler hands it to `run`. */
export interface ValidationJob {
  /** Whether the result is still wanted (same version, not closed, not rescheduled). */
  readonly current: () => boolean;
  /**
   * Resolves with `current()` (a validation stops at false); first yields to the event loop
   * (requests waiting are answered first, and their answers written out) when the job has
   * run SLICE_MS since it last did.
   */
  readonly pause: () => Promise<boolean>;
}

export interface SchedulerHost<D extends { uri: string; version: number; getText(): string }> {
  /** The open document at `uri`, latest version, or undefined when closed. */
  latest(uri: string): D | undefined;
  /** Validates and publishes; must check `job.current()` before publishing. */
  run(document: D, job: ValidationJob): Promise<void>;
  /** Resolves once what the server wrote has been taken by the client (outputBacklog.ts). */
  drained?: () => Promise<void>;
  /** Milliseconds on a monotonic clock (tests pass their own); performance.now by default. */
  now?: () => number;
}

/**
 * Resolves after the event loop has gone round once more: a setImmediate queued from inside a
 * check phase runs in the next one, after the I/O poll in between and after the callbacks
 * vscode-jsonrpc queued for the messages that poll read (it handles one message per
 * setImmediate). A single setImmediate would run before them.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export class ValidationScheduler<D extends { uri: string; version: number; getText(): string }> {
  /** Per URI, the generation of its latest schedule: an older job is abandoned. */
  private readonly generations = new Map<string, number>();
  /** Generations are unique across URIs and reopenings. */
  private nextGeneration = 1;
  private readonly timers = new Map<string, { cancel(): void }>();

  constructor(private readonly host: SchedulerHost<D>) {}

  /** Validates the latest version of `document`'s URI soon; any earlier run is abandoned. */
  schedule(document: D): void {
    const uri = document.uri;
    const generation = this.bump(uri);
    const start = (): void => {
      this.timers.delete(uri);
      const latest = this.host.latest(uri);
      if (!latest || this.generations.get(uri) !== generation) return;
      const version = latest.version;
      const current = (): boolean =>
        this.generations.get(uri) === generation && this.host.latest(uri)?.version === version;
      const now = this.host.now ?? (() => performance.now());
      const drained = this.host.drained ?? (() => Promise.resolve());
      let sliceStart = now();
      const job: ValidationJob = {
        current,
        pause: () => {
          if (now() - sliceStart < SLICE_MS) return Promise.resolve(current());
          return yieldToEventLoop()
            .then(drained)
            .then(() => {
              sliceStart = now();
              return current();
            });
        },
      };
      void this.host.run(latest, job);
    };
    if (document.getText().length >= LARGE_DOCUMENT_CHARS) {
      const timer = setTimeout(start, DEBOUNCE_MS);
      this.timers.set(uri, { cancel: () => clearTimeout(timer) });
    } else {
      const immediate = setImmediate(start);
      this.timers.set(uri, { cancel: () => clearImmediate(immediate) });
    }
  }

  /** Stops what is pending or running for `uri` (the document closed). */
  cancel(uri: string): void {
    this.bump(uri);
    this.generations.delete(uri);
  }

  private bump(uri: string): number {
    this.timers.get(uri)?.cancel();
    this.timers.delete(uri);
    const generation = this.nextGeneration++;
    this.generations.set(uri, generation);
    return generation;
  }
}
