// The one engine choice of the CLI (--engine) and the editor (aepDestination.simulation.engine):
// auto takes DuckDB for Parquet and for CSV of 400 MB or more; a platform without DuckDB gets
// a clear line, and auto then the TypeScript engine when its heap holds the inputs. The large
// inputs are sparse files: only their size is read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDbUnavailable } from '../../server/src/simulation/duckdb/engine';
import {
  AUTO_DUCKDB_BYTES,
  CLI_KNOB,
  type ChoiceOptions,
  type EngineChoice,
  SETTING_KNOB,
  chooseEngine,
} from '../../server/src/simulation/duckdb/engineChoice';
import { tempFiles } from '../helpers';

const GB = 2 ** 30;
const UNAVAILABLE = (): Promise<never> =>
  Promise.reject(
    new DuckDbUnavailable(
      'the DuckDB simulation engine is not available on plan9-mips (no binary); install a build of this tool for your platform, or simulate a smaller sample with --engine typescript',
    ),
  );

/** Profiles and leads CSV files, `bytes` of them together (sparse). */
function inputs(bytes: number, ext = 'csv'): { profiles: string; leads: string } {
  const dir = tempFiles();
  const files = { profiles: path.join(dir, `p.${ext}`), leads: path.join(dir, 'l.csv') };
  fs.writeFileSync(files.profiles, '');
  fs.writeFileSync(files.leads, '');
  fs.truncateSync(files.profiles, bytes);
  return files;
}

async function choose(
  choice: EngineChoice,
  files: { profiles: string; leads: string },
  options: ChoiceOptions = {},
): Promise<{ engine: string; notes: string[] }> {
  const notes: string[] = [];
  const engine = await chooseEngine(choice, files, undefined, (n) => notes.push(n), {
    heapLimit: 8 * GB,
    ...options,
  });
  return { engine, notes };
}

describe('engine choice', () => {
  test('auto: TypeScript below 400 MB of CSV, DuckDB from there and for Parquet', async () => {
    let loads = 0;
    const load = (): Promise<void> => (loads++, Promise.resolve());
    assert.deepEqual(await choose('auto', inputs(1000), { load }), {
      engine: 'typescript',
      notes: [],
    });
    assert.equal(loads, 0, 'DuckDB is not even loaded');
    assert.equal((await choose('auto', inputs(AUTO_DUCKDB_BYTES), { load })).engine, 'duckdb');
    assert.equal((await choose('auto', inputs(10, 'parquet'), { load })).engine, 'duckdb');
    assert.equal((await choose('duckdb', inputs(10), { load })).engine, 'duckdb');
  });

  test('without DuckDB, auto falls back to TypeScript when it holds the inputs, with a note', async () => {
    const large = inputs(AUTO_DUCKDB_BYTES + 1);
    const { engine, notes } = await choose('auto', large, {
      load: UNAVAILABLE,
      knob: SETTING_KNOB,
    });
    assert.equal(engine, 'typescript');
    assert.deepEqual(notes, [
      'the DuckDB simulation engine is not available on plan9-mips (no binary); install a build of this tool for your platform, or simulate a smaller sample with aepDestination.simulation.engine "typescript"; using the TypeScript engine',
    ]);
    await assert.rejects(choose('auto', large, { load: UNAVAILABLE, heapLimit: GB }), {
      name: 'EngineChoiceError',
      kind: 'file',
      message:
        /not available on plan9-mips .*--engine typescript; the TypeScript engine cannot hold these inputs \(400 MB\) in memory either$/,
    });
  });

  test('without DuckDB, asking for it or a Parquet sample is one clear line', async () => {
    for (const [choice, files] of [
      ['duckdb', inputs(10)],
      ['auto', inputs(10, 'parquet')],
    ] as const) {
      await assert.rejects(choose(choice, files, { load: UNAVAILABLE }), {
        kind: 'file',
        message: /^the DuckDB simulation engine is not available on plan9-mips/,
      });
    }
  });

  test('the refusals name the flag on the command line, the setting in the editor', async () => {
    const parquet = inputs(10, 'parquet');
    for (const [knob, named] of [
      [CLI_KNOB, '--engine duckdb'],
      [SETTING_KNOB, 'aepDestination.simulation.engine "duckdb"'],
    ] as const) {
      await assert.rejects(choose('typescript', parquet, { knob }), {
        kind: 'usage',
        message: `Parquet input needs ${named} (or auto)`,
      });
      await assert.rejects(choose('typescript', inputs(GB), { knob, heapLimit: GB }), {
        kind: 'file',
        message: new RegExp(
          `too large for the TypeScript engine.*; use ${named}, or give node more`,
        ),
      });
    }
  });
});
