/**
 * Child: one Simulate Export in process, end to end from the CSV files: read and parse the
 * profiles and the leads, index the leads, match every profile, summarise. Times each phase.
 * Module loading and reading the (tiny) config are not timed.
 */
import * as fs from 'node:fs';
import {
  configFromJson,
  readLeads,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import { args, cpuMs, finish, gcMs, watchGc } from '../lib/child';

const opts = args();
const config = configFromJson(JSON.parse(fs.readFileSync(opts.config as string, 'utf8')));

watchGc();
const c0 = cpuMs();
const t0 = performance.now();
const profiles = readProfiles(opts.profiles as string);
const t1 = performance.now();
const leads = readLeads(opts.leads as string);
const t2 = performance.now();
const result = simulate(config, profiles, leads);
const t3 = performance.now();
// The figures the DuckDB query computes, for the cross-check.
let updateChanges = 0;
let multi = 0;
for (const o of result.outcomes) {
  if (o.action === 'update') updateChanges += o.changes.length;
  if (o.otherMatches.length > 0) multi++;
}
const t4 = performance.now();
const cpu = cpuMs() - c0;

void gcMs().then((gc) =>
  finish({
    totalMs: t4 - t0,
    cpuMs: cpu,
    gcMs: gc,
    phases: { readProfiles: t1 - t0, readLeads: t2 - t1, simulate: t3 - t2, summarise: t4 - t3 },
    summary: result.summary,
    updateChanges,
    multi,
    apiCalls: result.apiPlan.totalCalls,
    warnings: result.warnings.length,
  }),
);
