/**
 * Frees the shared memory of a dropped run. The outcome columns live in SharedArrayBuffers
 * (shared with the query worker), and V8 does not count those as memory to collect: a
 * dropped run's 940 MB at 10M outcomes stayed until some full collection, and a re-run or two
 * held several GB. So once a run is dropped the server asks for a full collection itself
 * (the `--expose-gc` flag set at run time; tens of ms for the server's heap, once per run).
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | null | undefined;

export function collectSharedMemory(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
