/**
 * Sorts rows by byte-string keys (simulationTextSort.ts makes them), stably. A radix sort that
 * reads one key byte per row per pass reads each byte from a random place in memory (the
 * rows are permuted): at ten million dedupe values sharing long prefixes
 * (`person0001234@example.com`) that was 20 s of cache misses. Here the next eight key bytes
 * of every row of a segment are read once, packed into two 32-bit numbers beside the row, and
 * the segment is sorted by them with a least-significant-digit radix sort over those arrays,
 * which are read in order; rows still tied on all eight bytes form the segments of the next
 * eight. Key bytes are never 0, so 0 past a key's end sorts a shorter key first, and a tie
 * whose eighth byte is 0 is a tie of whole keys.
 */

/** Keys in row order: row `r`'s key is `bytes[ends[r - 1] .. ends[r])` (from 0 for row 0). */
export interface SortKeys {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** Called now and then during a long sort; throws to abandon it (a newer request came). */
export type Checkpoint = () => void;

/** Segments at most this long are finished by insertion sort on the whole keys. */
const SMALL = 48;
/** Rows handled between two checkpoints. */
const WORK_PER_CHECK = 1 << 16;

function keyStart(ends: Uint32Array, row: number): number {
  return row === 0 ? 0 : ends[row - 1]!;
}

/** Byte order of two keys from `depth`, then the row (file order). */
function compareFrom(keys: SortKeys, a: number, b: number, depth: number): number {
  const { bytes, ends } = keys;
  let i = keyStart(ends, a) + depth;
  let j = keyStart(ends, b) + depth;
  const ei = ends[a]!;
  const ej = ends[b]!;
  while (i < ei && j < ej) {
    const d = bytes[i++]! - bytes[j++]!;
    if (d) return d;
  }
  return Math.max(0, ei - i) - Math.max(0, ej - j) || a - b;
}

function sameFrom(keys: SortKeys, a: number, b: number, depth: number): boolean {
  const { bytes, ends } = keys;
  const i = keyStart(ends, a) + depth;
  const j = keyStart(ends, b) + depth;
  const length = Math.max(0, ends[a]! - i);
  if (length !== Math.max(0, ends[b]! - j)) return false;
  for (let k = 0; k < length; k++) if (bytes[i + k] !== bytes[j + k]) return false;
  return true;
}

class Sorter {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  private readonly rowsB: Uint32Array;
  private readonly hiB: Uint32Array;
  private readonly loB: Uint32Array;
  /** Eight histograms of 256 (digit 0: the lowest byte of `lo`). */
  private readonly counts = new Uint32Array(8 * 256);
  readonly ties: Uint8Array;
  private work = 0;

  constructor(
    private readonly keys: SortKeys,
    private readonly rows: Uint32Array,
    private readonly checkpoint: Checkpoint,
  ) {
    const n = rows.length;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.rowsB = new Uint32Array(n);
    this.hiB = new Uint32Array(n);
    this.loB = new Uint32Array(n);
    this.ties = new Uint8Array(n);
  }

  run(): void {
    const stack: number[] = [0, this.rows.length, 0];
    while (stack.length) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      this.work += end - start;
      if (this.work >= WORK_PER_CHECK) {
        this.work = 0;
        this.checkpoint();
      }
      if (end - start <= SMALL) this.insertionSort(start, end, depth);
      else this.prefixSort(start, end, depth, stack);
    }
  }

  private insertionSort(start: number, end: number, depth: number): void {
    const { rows, keys, ties } = this;
    for (let k = start + 1; k < end; k++) {
      const row = rows[k]!;
      let at = k;
      while (at > start && compareFrom(keys, rows[at - 1]!, row, depth) > 0) {
        rows[at] = rows[at - 1]!;
        at--;
      }
      rows[at] = row;
    }
    for (let k = start + 1; k < end; k++) {
      if (sameFrom(keys, rows[k - 1]!, rows[k]!, depth)) ties[k] = 1;
    }
  }

  /** Packs key bytes `depth .. depth + 8` of the segment's rows, counting their digits. */
  private gather(start: number, end: number, depth: number): void {
    const { rows, hi, lo, counts } = this;
    const { bytes, ends } = this.keys;
    counts.fill(0);
    for (let k = start; k < end; k++) {
      const row = rows[k]!;
      const from = keyStart(ends, row) + depth;
      const available = ends[row]! - from;
      let h = 0;
      let l = 0;
      if (available >= 8) {
        h = ((bytes[from]! << 24) | (bytes[from + 1]! << 16) | (bytes[from + 2]! << 8)) >>> 0;
        h += bytes[from + 3]!;
        l = ((bytes[from + 4]! << 24) | (bytes[from + 5]! << 16) | (bytes[from + 6]! << 8)) >>> 0;
        l += bytes[from + 7]!;
      } else {
        for (let b = 0; b < 8; b++) {
          const byte = b < available ? bytes[from + b]! : 0;
          if (b < 4) h += byte * 2 ** (8 * (3 - b));
          else l += byte * 2 ** (8 * (7 - b));
        }
      }
      hi[k] = h;
      lo[k] = l;
      counts[l & 255]!++;
      counts[256 + ((l >>> 8) & 255)]!++;
      counts[512 + ((l >>> 16) & 255)]!++;
      counts[768 + (l >>> 24)]!++;
      counts[1024 + (h & 255)]!++;
      counts[1280 + ((h >>> 8) & 255)]!++;
      counts[1536 + ((h >>> 16) & 255)]!++;
      counts[1792 + (h >>> 24)]!++;
    }
  }

  private prefixSort(start: number, end: number, depth: number, stack: number[]): void {
    this.gather(start, end, depth);
    const size = end - start;
    const { counts } = this;
    // Ping-pong between the two sets of arrays; a digit every row shares needs no pass.
    let [rows, hi, lo] = [this.rows, this.hi, this.lo];
    let [rowsB, hiB, loB] = [this.rowsB, this.hiB, this.loB];
    for (let digit = 0; digit < 8; digit++) {
      const base = digit * 256;
      const shift = (digit & 3) * 8;
      let used = 0;
      for (let b = 0; b < 256 && used < 2; b++) if (counts[base + b]) used++;
      if (used < 2) continue;
      let sum = start;
      for (let b = 0; b < 256; b++) {
        const c = counts[base + b]!;
        counts[base + b] = sum;
        sum += c;
      }
      const source = digit < 4 ? lo : hi;
      for (let k = start; k < end; k++) {
        const at = counts[base + ((source[k]! >>> shift) & 255)]!++;
        rowsB[at] = rows[k]!;
        hiB[at] = hi[k]!;
        loB[at] = lo[k]!;
      }
      [rows, rowsB] = [rowsB, rows];
      [hi, hiB] = [hiB, hi];
      [lo, loB] = [loB, lo];
    }
    if (rows !== this.rows) {
      this.rows.set(rows.subarray(start, end), start);
      this.hi.set(hi.subarray(start, end), start);
      this.lo.set(lo.subarray(start, end), start);
    }
    this.work += size;
    this.nextSegments(start, end, depth, stack);
  }

  /** Runs of equal prefixes: whole-key ties when the prefix ended, else sorted further. */
  private nextSegments(start: number, end: number, depth: number, stack: number[]): void {
    const { hi, lo, ties } = this;
    let from = start;
    while (from < end) {
      const h = hi[from]!;
      const l = lo[from]!;
      let to = from + 1;
      while (to < end && hi[to] === h && lo[to] === l) to++;
      if (to - from > 1) {
        if ((l & 255) === 0) ties.fill(1, from + 1, to);
        else stack.push(from, to, depth + 8);
      }
      from = to;
    }
  }
}

/**
 * Sorts `rows` (in file order) by their keys, stably, in place; answers the ties: 1 at `k`
 * when the key of `rows[k]` equals that of `rows[k - 1]`.
 */
export function sortByKeys(
  keys: SortKeys,
  rows: Uint32Array,
  checkpoint: Checkpoint = () => {},
): Uint8Array {
  const sorter = new Sorter(keys, rows, checkpoint);
  sorter.run();
  return sorter.ties;
}
