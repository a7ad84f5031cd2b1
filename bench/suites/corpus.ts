/**
 * 2. A corpus of everyday configs (1,000; 200 with --quick) in a temp dir: the built server's
 * memory with all of them open, and `aep-dest validate` over the directory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { smallConfig } from '../../test/fixtures/generate';
import { EDITOR_CAPABILITIES, LspTestClient } from '../../test/lspClient';
import type { BenchContext } from '../context';
import { runTimed } from '../lib/child';
import { mb, medianOf, ms, spreadOf, summarise } from '../lib/stats';

/** Writes the corpus, runs the parts asked for on it, and removes it. */
export async function corpusBench(
  ctx: BenchContext,
  parts: { serverMemory: boolean; cliValidate: boolean },
): Promise<void> {
  const count = ctx.quick ? 200 : 1000;
  const corpus = writeCorpus(count);
  try {
    if (parts.serverMemory) {
      ctx.report.section('2. server memory');
      await serverMemoryBench(ctx, corpus.files);
    }
    if (parts.cliValidate) {
      ctx.report.section('2. CLI validate');
      await cliValidateBench(ctx, corpus.dir, count);
    }
  } finally {
    fs.rmSync(corpus.dir, { recursive: true, force: true });
  }
}

/** Writes the corpus to a fresh temp dir. */
function writeCorpus(count: number): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aep-dest-bench-'));
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    const { name, text } = smallConfig(i);
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    files.push(file);
  }
  return { dir, files };
}

async function serverMemoryBench(ctx: BenchContext, files: string[]): Promise<void> {
  const client = LspTestClient.ofBundle(ctx.server, 'stdio', [
    '--expose-gc',
    '--require',
    ctx.caseScript('settle'),
  ]);
  await client.initialize(EDITOR_CAPABILITIES);
  const settle = async (): Promise<{ rss: number; heapUsed: number }> => {
    const line = client.stderrLine('SETTLED ');
    client.signal('SIGUSR2');
    const usage = JSON.parse((await line).slice('SETTLED '.length)) as { heapUsed: number };
    await sleep(200);
    return { rss: client.procStatus().VmRSS ?? NaN, heapUsed: usage.heapUsed };
  };
  await sleep(300);
  const idle = await settle();
  let bytes = 0;
  let findings = 0;
  const t0 = performance.now();
  const c0 = client.cpuMs();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    findings += (await client.open(pathToFileURL(file).href, text)).diagnostics.length;
  }
  const openAllMs = performance.now() - t0;
  const openCpu = client.cpuMs() - c0;
  await sleep(1000);
  const unforced = client.procStatus().VmRSS ?? NaN;
  const settled = await settle();
  const status = client.procStatus();
  await client.stop();
  ctx.report.row({
    bench: `2. Server memory: ${files.length} typical configs open (${(bytes / 1024).toFixed(0)} kB in all, ${findings} findings)`,
    case: `VmRSS after a forced full GC (unforced, 1 s idle: ${mb(unforced)}; heap used ${mb(settled.heapUsed)}; all opened in ${ms(openAllMs)})`,
    median: mb(settled.rss),
    spread: '– (one measurement)',
    ratio: `+${mb(settled.rss - idle.rss)} over the idle server (${mb(idle.rss)})`,
    peak: `${mb(status.VmHWM ?? NaN)} (server VmHWM)`,
    cpu: `${ms(openCpu)} (server, opening all)`,
  });
  ctx.report.raw.serverMemory = {
    idle,
    unforced,
    settled,
    vmHwm: status.VmHWM,
    openAllMs,
    findings,
    bytes,
  };
  const limit = 200 * 1024 * 1024;
  ctx.report.target(
    `Server memory after opening ${files.length} configs`,
    '≤ 200 MB',
    mb(settled.rss),
    settled.rss <= limit,
    settled.rss <= limit
      ? `met with ${mb(limit - settled.rss)} to spare`
      : `missed by ${mb(settled.rss - limit)}`,
  );
}

async function cliValidateBench(ctx: BenchContext, dir: string, count: number): Promise<void> {
  const runs = ctx.quick ? 2 : 5;
  const startup: number[] = [];
  const walls: number[] = [];
  const cpus: number[] = [];
  let peak = 0;
  let reported = 0;
  for (let i = 0; i < runs; i++) {
    startup.push((await runTimed(process.execPath, [ctx.cli, '--version'])).wallMs);
    const r = await runTimed(process.execPath, [ctx.cli, 'validate', dir, '--format', 'json']);
    if (r.code !== 0 && r.code !== 1)
      throw new Error(`aep-dest validate exited ${r.code}: ${r.stderr}`);
    reported = (JSON.parse(r.stdout) as { files: unknown[] }).files.length;
    walls.push(r.wallMs);
    cpus.push(r.cpuMs);
    peak = Math.max(peak, r.peakRss);
  }
  const s = summarise(walls);
  const st = summarise(startup);
  const perSecond = (count / s.median) * 1000;
  ctx.report.row({
    bench: `2. CLI: aep-dest validate <dir of ${count} configs> --format json`,
    case: `${perSecond.toFixed(0)} files/s (${reported} files reported; wall time per run, process start included)`,
    median: ms(s.median),
    spread: spreadOf(s, ms),
    ratio: `start-up (aep-dest --version) ${ms(st.median)} = ${((st.median / s.median) * 100).toFixed(0)}%`,
    peak: mb(peak),
    cpu: ms(medianOf(cpus)),
  });
  ctx.report.raw.cliValidate = { walls: s, startup: st, perSecond, reported };
  if (reported !== count)
    ctx.report.note(`aep-dest validate reported ${reported} files, expected ${count}.`);
}
