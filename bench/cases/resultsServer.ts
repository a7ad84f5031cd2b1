/**
 * Child: Simulate Export through the built language server (dist/, over stdio), as VS Code
 * sends it, on a generated CSV sample: the run, then from its end to the server's answer the
 * panel opens on (the first page is in it), then the next page. The end of the run is the
 * last progress notification (every outcome read into the columns, or every profile
 * matched); what follows it is the columns moved to the server's thread, the index, the
 * overview, the first page and the answer as JSON, and the client's parse. The server's peak
 * RSS (the worker is a thread of it, DuckDB's memory native in it) and CPU time come from
 * /proc when the run is over.
 *
 *   --server FILE --config FILE --profiles FILE --leads FILE --engine auto|duckdb|typescript
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  SimulateResponse,
  SimulationPageResponse,
  SimulationProgress,
} from '../../common/protocol';
import { DEFAULT_QUERY, PAGE_ROWS } from '../../common/outcomePages';
import { LspTestClient } from '../../test/lspClient';
import { args, finish } from '../lib/child';

const opts = args();

/** VmHWM (peak RSS) of a process, in bytes, and its user + system CPU in ms. */
function processUsage(pid: number): { peakRss: number; cpuMs: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  // Fields 14 and 15 of /proc/<pid>/stat, after the command in parentheses: clock ticks.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { peakRss: Number(hwm?.[1] ?? 0) * 1024, cpuMs: ticks * 10 };
}

async function main(): Promise<void> {
  const client = LspTestClient.ofBundle(opts.server!, 'stdio');
  client.settings = { simulation: { engine: opts.engine || 'auto' } };
  await client.initialize();
  const uri = pathToFileURL(path.resolve(opts.config!)).href;
  await client.open(uri, fs.readFileSync(opts.config!, 'utf8'));
  const pid = client.pid!;
  const before = processUsage(pid);
  let lastProgressAt = 0;
  let last: SimulationProgress | undefined;
  const phases = new Map<string, number>();
  client.connection.onNotification('aepDestination/simulationProgress', (p: SimulationProgress) => {
    lastProgressAt = performance.now();
    last = p;
    if (!phases.has(p.phase)) phases.set(p.phase, lastProgressAt);
  });
  const t0 = performance.now();
  const response = await client.connection.sendRequest<SimulateResponse>(
    'aepDestination/simulate',
    { uri, profiles: path.resolve(opts.profiles!), leads: path.resolve(opts.leads!) },
  );
  const answeredAt = performance.now();
  if (response.kind !== 'result')
    throw new Error(`the simulation failed: ${JSON.stringify(response)}`);
  const next = performance.now();
  const page = await client.connection.sendRequest<SimulationPageResponse>(
    'aepDestination/simulationPage',
    { uri, runId: response.runId, ...DEFAULT_QUERY, offset: PAGE_ROWS, limit: PAGE_ROWS },
  );
  const nextPageMs = performance.now() - next;
  if (page.kind !== 'page' || page.rows.length !== PAGE_ROWS) throw new Error('no second page');
  const usage = processUsage(pid);
  await client.stop(60_000);
  const since = (phase: string): number | undefined => {
    const at = phases.get(phase);
    return at === undefined ? undefined : at - t0;
  };
  finish({
    profiles: response.result.summary.profiles,
    engine: phases.has('writing') ? 'duckdb' : 'typescript',
    runMs: lastProgressAt - t0,
    openMs: answeredAt - lastProgressAt,
    totalMs: answeredAt - t0,
    serverDurationMs: response.durationMs,
    matchingAtMs: since('matching'),
    writingAtMs: since('writing'),
    lastProgress: last,
    firstPageRows: response.firstPage.rows.length,
    nextPageMs,
    serverPeakRss: usage.peakRss,
    serverCpuMs: usage.cpuMs - before.cpuMs,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
