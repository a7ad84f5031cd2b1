/**
 * `aep-dest simulate --engine`: which engine runs (the choice of `simulation/duckdb/engineChoice.ts`,
 * which the editor shares; its refusals as CLI errors), and the progress line on stderr.
 */
import type { EnginePhase } from '../simulation/duckdb/engine';
import {
  type EngineChoice,
  EngineChoiceError,
  chooseEngine as choose,
} from '../simulation/duckdb/engineChoice';
import { CliError } from './cliError';

export { ENGINES, type EngineChoice } from '../simulation/duckdb/engineChoice';

/** The engine to run (`engineChoice.ts`, shared with the editor); a refusal is a CliError. */
export async function chooseEngine(
  choice: EngineChoice,
  files: { profiles: string; leads: string },
  encoding: string | undefined,
  note: (line: string) => void,
): Promise<'duckdb' | 'typescript'> {
  try {
    return await choose(choice, files, encoding, note);
  } catch (error) {
    if (error instanceof EngineChoiceError) throw new CliError(error.message, error.kind);
    throw error;
  }
}

/** The one progress line on stderr: phase, rows, rows per second, ETA; rewritten in place. */
export class ProgressLine {
  private last = 0;
  private readonly started = performance.now();
  private phaseStarted = performance.now();
  private phase = '';
  private shown = false;

  constructor(private readonly write: (text: string) => void) {}

  update(phase: EnginePhase | 'simulating', done: number, total: number): void {
    const now = performance.now();
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseStarted = now;
    } else if (now - this.last < 250 && done < total) return;
    this.last = now;
    const seconds = (now - this.phaseStarted) / 1000;
    let text = `aep-dest: ${phase}`;
    if (total > 0) {
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
      text +=
        ` ${done.toLocaleString('en')} of ${total.toLocaleString('en')} profiles` +
        `, ${Math.round(rate).toLocaleString('en')} rows/s` +
        (eta === undefined ? '' : `, ETA ${eta} s`);
    } else text += ` (${((now - this.started) / 1000).toFixed(0)} s)`;
    this.write(`\r${text}\x1b[K`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
