/**
 * Child: validates one config file over and over with one implementation and reports the
 * time per validation.
 *
 *   --impl ours      DestinationLanguageService.validate: syntax, schema, every rule
 *   --impl jsonls    vscode-json-languageservice parseJSONDocument + doValidation with our
 *                    schema (what VS Code's own JSON support does for a file with a schema)
 *   --impl jsonparse JSON.parse: the floor
 *
 * Every validation gets a new TextDocument, and ours a service that has forgotten the one
 * before, so nothing is served from a cache.
 * A sample is a batch of validations long enough (≥ 2 ms) to time; the time per validation
 * is the batch time divided by its size. Warm-up first (JIT), then samples for `--budget` ms.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import schema from '../../schemas/destination.schema.json';
import { DestinationLanguageService } from '../../server/src/languageService';
import { docsBaseUriFor } from '../../server/src/host/packageInfo';
import { args, cpuMs, finish } from '../lib/child';

type Validate = () => number | Promise<number>;

const opts = args();
const file = opts.file as string;
const text = fs.readFileSync(file, 'utf8');
const uri = pathToFileURL(file).href;
let version = 0;
/** What the last validation reported, for the sanity check in the parent. */
let lastCodes: string[] = [];

function ours(): Validate {
  const service = new DestinationLanguageService({ docsBaseUri: docsBaseUriFor(process.cwd()) });
  return () => {
    // Without it the service would take the previous version's tree over (the same text):
    // that is a keystroke's work (suite 2), not a validation of the file.
    service.forget(uri);
    const doc = TextDocument.create(uri, 'aep-destination', ++version, text);
    const findings = service.validate(doc);
    lastCodes = findings.map((f) => f.code);
    return findings.length;
  };
}

function jsonls(): Validate {
  const ls = getLanguageService({});
  ls.configure({
    validate: true,
    allowComments: true,
    schemas: [
      {
        uri: pathToFileURL(`${process.cwd()}/schemas/destination.schema.json`).href,
        fileMatch: ['*.destination.json', '*.destination.jsonc'],
        schema: schema,
      },
    ],
  });
  return async () => {
    const doc = TextDocument.create(uri, 'jsonc', ++version, text);
    const json = ls.parseJSONDocument(doc);
    const diagnostics = await ls.doValidation(doc, json, {
      comments: 'ignore',
      trailingCommas: 'ignore',
    });
    lastCodes = diagnostics.map(
      (d) =>
        `${String(d.code ?? 'schema')}: ${typeof d.message === 'string' ? d.message : d.message.value}`,
    );
    return diagnostics.length;
  };
}

function jsonparse(): Validate {
  return () => {
    const value = JSON.parse(text) as { mappings: unknown[] };
    return value.mappings.length > 0 ? 0 : 1;
  };
}

async function main(): Promise<void> {
  const impl = opts.impl as string;
  const validate = impl === 'ours' ? ours() : impl === 'jsonls' ? jsonls() : jsonparse();
  const warmupMs = Number(opts.warmup ?? 1000);
  const budgetMs = Number(opts.budget ?? 3000);
  const minSamples = Number(opts['min-samples'] ?? 20);
  const maxSamples = Number(opts['max-samples'] ?? 400);

  // Warm-up, which also sizes the batches.
  let runs = 0;
  const warmStart = performance.now();
  while (runs < 5 || performance.now() - warmStart < warmupMs) {
    await validate();
    runs++;
  }
  const perRun = (performance.now() - warmStart) / runs;
  const batch = Math.max(1, Math.ceil(2 / perRun));

  const samples: number[] = [];
  const c0 = cpuMs();
  const start = performance.now();
  while (
    samples.length < maxSamples &&
    (samples.length < minSamples || performance.now() - start < budgetMs)
  ) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await validate();
    samples.push((performance.now() - t0) / batch);
  }
  const cpuPerRun = (cpuMs() - c0) / (samples.length * batch);
  const findings = await validate();
  finish({
    cpuPerRun,
    impl,
    bytes: Buffer.byteLength(text),
    batch,
    samples,
    findings,
    codes: [...new Set(lastCodes)].slice(0, 5),
  });
}

void main();
