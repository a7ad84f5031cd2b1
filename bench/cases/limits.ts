/**
 * Child: one in-process check whose time limit was an assertion of `npm test`, on the input of
 * its test (test/fixtures/largeInputs.ts), timing the work the test timed and checking the
 * outcome the test asserts, so a fast wrong answer is not reported as OK.
 *
 *   --check service-50mb | service-deep | service-long-line | service-long-string
 *           csv-bad-line (--file) | csv-parse | table-rows (--profiles --leads --config)
 *   --root  the repository (fixtures, docs base URI)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_VIEW_STATE, queryOf } from '../../client/webview/tableModel';
import { PAGE_ROWS, compareText, searchText } from '../../common/outcomePages';
import { docsBaseUriFor } from '../../server/src/host/packageInfo';
import { DestinationLanguageService } from '../../server/src/languageService';
import { OutcomeIndex } from '../../server/src/lsp/outcomeIndex';
import { columnsOf } from '../../server/src/lsp/simulationColumns';
import { parseCsv } from '../../server/src/simulation/csv';
import {
  SimulationInputError,
  configFromJson,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import {
  RAGGED_PROFILES,
  UPDATES_BY_LEAD_ID,
  bigNameConfig,
  deepNestingCases,
  longDescriptionConfig,
  longSingleLineConfig,
  plainLeadsCsv,
} from '../../test/fixtures/largeInputs';
import { args, cpuMs, finish } from '../lib/child';
import type { Measured } from '../suites/limits';

const opts = args();
const root = opts.root as string;

function timed(work: () => Omit<Measured, 'ms' | 'cpuMs'>): Measured {
  const c0 = cpuMs();
  const t0 = performance.now();
  const outcome = work();
  return { ms: performance.now() - t0, cpuMs: cpuMs() - c0, ...outcome };
}

/**
 * What the hostile-file tests time: validation, then completion and hover at `offsets`,
 * symbols, formatting (applied) and code actions; a fresh service, as each test has.
 */
function everyFeature(
  name: string,
  text: string,
  offsets: (text: string) => number[],
  expected: string[],
  tabSize = 2,
): Measured {
  const service = new DestinationLanguageService({ docsBaseUri: docsBaseUriFor(root) });
  const doc = TextDocument.create(`file:///x/${name}.destination.json`, 'x', 1, text);
  return timed(() => {
    const findings = service.validate(doc);
    for (const offset of offsets(text)) {
      const position = doc.positionAt(offset);
      service.complete(doc, position);
      service.hover(doc, position);
    }
    service.documentSymbols(doc);
    TextDocument.applyEdits(doc, service.format(doc, { tabSize, insertSpaces: true }));
    if (findings[0]) service.codeActions(doc, findings[0].range, findings);
    const codes = findings.map((f) => f.code);
    return {
      ok: codes.join() === expected.join(),
      detail: `findings: ${codes.join(', ') || 'none'}`,
    };
  });
}

/** Each deep case on its own, as the test limits each; the slowest is the measurement. */
function deepCases(): Measured {
  let slowest: Measured | undefined;
  let ok = true;
  for (const [name, text] of Object.entries(deepNestingCases(100_000))) {
    const m = everyFeature('deep', text, (t) => [0, 1, 5, t.length >> 1, t.length], ['syntax']);
    ok &&= m.ok;
    if (!slowest || m.ms > slowest.ms) slowest = { ...m, detail: `slowest: ${name}` };
  }
  return { ...slowest!, ok };
}

function badLine(file: string): Measured {
  return timed(() => {
    try {
      readProfiles(file);
      return { ok: false, detail: 'the read succeeded' };
    } catch (error) {
      if (!(error instanceof SimulationInputError)) throw error;
      return { ok: error.line === RAGGED_PROFILES.badLine, detail: `error on line ${error.line}` };
    }
  });
}

function csvParse(): Measured {
  const text = plainLeadsCsv(100_000);
  return timed(() => {
    const table = parseCsv(text, 'big.csv');
    return { ok: table.rowCount === 100_000, detail: `${table.rowCount} rows` };
  });
}

/**
 * The results view's query on the outcomes of a real simulation of as many profiles, as the
 * server answers it: the columns the worker builds (not timed: that is the run's), then the
 * first page of the query on a fresh index (its first sort and search: timed). Checked
 * against a plain filter of the outcomes and the order of the page.
 */
function tableRows(): Measured {
  const config = configFromJson(JSON.parse(fs.readFileSync(opts.config as string, 'utf8')));
  const { outcomes } = simulate(
    config,
    readProfiles(opts.profiles as string),
    readLeads(opts.leads as string),
  );
  const index = new OutcomeIndex('limits', columnsOf(outcomes));
  const query = queryOf({ ...DEFAULT_VIEW_STATE, ...UPDATES_BY_LEAD_ID });
  const needle = UPDATES_BY_LEAD_ID.search;
  const expected = outcomes.filter(
    (o) => o.action === UPDATES_BY_LEAD_ID.action && searchText(o).includes(needle),
  ).length;
  return timed(() => {
    const page = index.page(query, 0, PAGE_ROWS);
    const ids = page.rows.map((o) => o.leadId ?? '');
    const ordered = ids.every((id, k) => k === 0 || compareText(ids[k - 1]!, id) >= 0);
    return {
      ok: page.matching === expected && expected > 0 && ordered,
      detail: `${page.matching} of ${page.total} rows`,
    };
  });
}

const MB = 1024 * 1024;
const checks: Record<string, () => Measured> = {
  'service-50mb': () =>
    everyFeature('big', bigNameConfig(50_000_000), () => [25_000_000], ['file-too-large']),
  'service-deep': deepCases,
  'service-long-line': () =>
    everyFeature(
      'line',
      longSingleLineConfig(MB),
      (t) => [0, 1, t.indexOf('custom7'), t.length >> 1, t.length - 3],
      ['too-many-mapped-attributes'],
    ),
  'service-long-string': () =>
    everyFeature(
      'string',
      longDescriptionConfig(
        fs.readFileSync(path.join(root, 'test/fixtures/hostile/valid.destination.json'), 'utf8'),
      ),
      (t) => [t.indexOf('long text') + 5, t.length >> 1, t.lastIndexOf('text ')],
      [],
      4,
    ),
  'csv-bad-line': () => badLine(opts.file as string),
  'csv-parse': csvParse,
  'table-rows': tableRows,
};

const check = checks[opts.check as string];
if (!check) throw new Error(`unknown --check ${opts.check}: ${Object.keys(checks).join(', ')}`);
finish({ ...check() });
