/**
 * The schema validator the bundles ship (precompiled at build time by scripts/validatorCode.mjs,
 * Ajv standalone code) against the one tests and tsx compile at run time
 * (server/src/rules/schemaValidator.ts): the same Ajv options, and the same verdict and errors
 * on every example, every hostile fixture, the generated configs, and random breakages of them
 * (fast-check, fixed seed).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import * as vm from 'node:vm';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configText, smallConfig } from '../fixtures/generate';
import { DestinationDocument } from '../../server/src/engine/document';
import { AJV_OPTIONS, validateDestination } from '../../server/src/rules/schemaValidator';

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = 20_251_202;

interface Generator {
  AJV_OPTIONS: unknown;
  validatorModuleCode(): string;
}

async function generator(): Promise<Generator> {
  const url = pathToFileURL(path.join(ROOT, 'scripts', 'validatorCode.mjs')).href;
  return (await import(url)) as Generator;
}

/** The precompiled validator, evaluated as the bundle would run it. */
async function precompiled(): Promise<ValidateFunction> {
  const code = (await generator()).validatorModuleCode();
  const module = { exports: {} as { validateDestination?: ValidateFunction } };
  // The bundle wraps it as CommonJS does.
  const load = vm.runInThisContext(`(function (module, exports, require) {${code}\n})`) as (
    m: typeof module,
    e: typeof module.exports,
    r: NodeJS.Require,
  ) => void;
  load(module, module.exports, createRequire(path.join(ROOT, 'package.json')));
  assert.ok(module.exports.validateDestination);
  return module.exports.validateDestination;
}

function valueOf(text: string): unknown {
  return new DestinationDocument(TextDocument.create('file:///x.json', 'json', 1, text)).jsonValue;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile() && /\.jsonc?$/.test(file))
    .sort();
}

/** The items of an array, or none. */
function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function outcome(validate: ValidateFunction, value: unknown): unknown {
  const valid = validate(value);
  return { valid, errors: validate.errors ?? null };
}

describe('the precompiled schema validator', () => {
  test('uses the run-time validator’s Ajv options', async () => {
    assert.deepStrictEqual((await generator()).AJV_OPTIONS, AJV_OPTIONS);
  });

  test('gives the same errors on every example, hostile fixture and generated config', async () => {
    const standalone = await precompiled();
    const texts = [
      ...filesUnder(path.join(ROOT, 'examples')),
      ...filesUnder(path.join(ROOT, 'test', 'fixtures', 'hostile')),
    ].map((file) => fs.readFileSync(file, 'utf8'));
    texts.push(configText(5, 200, 5));
    for (let seed = 0; seed < 40; seed++) texts.push(smallConfig(seed).text);
    let invalid = 0;
    for (const text of texts) {
      const value = valueOf(text);
      if (value === undefined) continue;
      const expected = outcome(validateDestination, value);
      assert.deepStrictEqual(outcome(standalone, value), expected);
      if (!(expected as { valid: boolean }).valid) invalid++;
    }
    assert.ok(invalid >= 3, `${invalid} invalid values: the errors are compared too`);
  });

  test('gives the same errors on random breakages of a config (fast-check)', async () => {
    const standalone = await precompiled();
    const replacement = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.string({ maxLength: 6 }),
      fc.constant(''),
      fc.constant('  '),
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    );
    fc.assert(
      fc.property(
        fc.nat({ max: 30 }),
        fc.array(fc.tuple(fc.nat(), replacement), { maxLength: 4 }),
        (seed, breaks) => {
          const parsed = valueOf(smallConfig(seed).text);
          if (!parsed || typeof parsed !== 'object') return;
          const value = parsed as Record<string, unknown>;
          for (const [pick, replaced] of breaks) {
            const holders: Record<string, unknown>[] = [value];
            for (const item of [...listOf(value.mappings), ...listOf(value.audiences)])
              if (item && typeof item === 'object') holders.push(item as Record<string, unknown>);
            const holder = holders[pick % holders.length] as Record<string, unknown>;
            const keys = Object.keys(holder);
            const key = keys[pick % Math.max(1, keys.length)] ?? 'extra';
            if (replaced === undefined) delete holder[key];
            else holder[key] = replaced;
          }
          assert.deepStrictEqual(outcome(standalone, value), outcome(validateDestination, value));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
