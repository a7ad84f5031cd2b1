/**
 * Child: where the time of one full validation goes, phase by phase, on one config file.
 * Each phase is timed on its own over many fresh document versions (median per phase):
 * jsonc-parser `parseTree` alone; the whole `DestinationDocument` construction (parseTree
 * plus the nesting checks); its plain value (`jsonValue`, what the schema rule validates);
 * the mapping and audience lists; the TextDocument line index (first `positionAt`); Ajv on
 * the value alone; then every rule's `check` on the prepared document. For comparison:
 * `JSON.parse` and the whole `validate`. CPU time is recorded too: on a shared machine it is
 * the steadier figure.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import { parseTree } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import schema from '../../schemas/destination.schema.json';
import { DestinationDocument } from '../../server/src/engine/document';
import { DestinationLanguageService } from '../../server/src/languageService';
import { docsBaseUriFor } from '../../server/src/host/packageInfo';
import { CONFIG_RULES, DOCUMENT_RULES } from '../../server/src/rules/ruleTable';
import type { CatalogState } from '../../server/src/engine/catalogLoader';
import { args, finish } from '../lib/child';
import { summarise } from '../lib/stats';

const opts = args();
const file = opts.file as string;
const text = fs.readFileSync(file, 'utf8');
const uri = pathToFileURL(file).href;
const rounds = Number(opts.rounds ?? 30);
const catalog = { status: 'none' } as CatalogState;
const service = new DestinationLanguageService({ docsBaseUri: docsBaseUriFor(process.cwd()) });
const validateValue = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
  schema,
);

let version = 0;
/** Per phase: wall-clock and CPU (user + system, whole process) milliseconds of each round. */
const times = new Map<string, { wall: number[]; cpu: number[] }>();
function time<T>(name: string, run: () => T): T {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = run();
  const elapsed = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const entry = times.get(name) ?? { wall: [], cpu: [] };
  entry.wall.push(elapsed);
  entry.cpu.push((c.user + c.system) / 1000);
  times.set(name, entry);
  return result;
}

const OF_WHICH = '↳ of which ';
for (let round = 0; round < rounds + 5; round++) {
  if (round === 5) times.clear(); // the first rounds warm up the JIT
  time('validate (everything)', () =>
    service.validate(TextDocument.create(uri, 'aep-destination', ++version, text)),
  );
  const textDocument = TextDocument.create(uri, 'aep-destination', ++version, text);
  const doc = time(
    'new DestinationDocument (parseTree + nesting checks)',
    () => new DestinationDocument(textDocument),
  );
  time(`${OF_WHICH}jsonc-parser parseTree (timed separately)`, () =>
    parseTree(text, [], { allowTrailingComma: true, disallowComments: false }),
  );
  const value = time(
    'doc.jsonValue (tree → plain value, for the schema rule)',
    () => doc.jsonValue,
  );
  time('doc.mappings + doc.audiences (lists the rules share)', () => [doc.mappings, doc.audiences]);
  time('TextDocument line index (first positionAt)', () => doc.positionAt(text.length));
  for (const rule of [...DOCUMENT_RULES, ...CONFIG_RULES]) {
    time(`rule ${rule.code}`, () =>
      rule.check({
        doc,
        catalog,
        partitions: { status: 'none' },
        mappingFile: { status: 'none' },
        access: () => undefined,
        report: (at) => ('start' in at ? at : doc.rangeOf(at)),
      }),
    );
    if (rule.code === 'schema')
      time(`${OF_WHICH}Ajv validate of the value (timed separately)`, () => validateValue(value));
  }
  time('JSON.parse of the same text (the floor, for scale)', () => JSON.parse(text) as unknown);
}

const phases = [...times].map(([name, t]) => ({
  name,
  ...summarise(t.wall),
  cpu: summarise(t.cpu).median,
}));
finish({ bytes: Buffer.byteLength(text), phases });
