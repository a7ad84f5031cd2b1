/**
 * 4. Extension activation outside VS Code (a stub vscode API): the production bundle's
 * `require` and `activate()`, the server's own spawn-to-initialize over node IPC and stdio
 * against a bare node start; and the sizes of the production bundles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { EDITOR_CAPABILITIES, LspTestClient, type Transport } from '../../test/lspClient';
import type { BenchContext } from '../context';
import { type ChildResult, peakOf, runCase, runTimed } from '../lib/child';
import { summarise, times as x } from '../lib/stats';

async function spawnToInitialize(ctx: BenchContext, transport: Transport): Promise<number> {
  const t0 = performance.now();
  const client = LspTestClient.ofBundle(ctx.server, transport);
  await client.initialize(EDITOR_CAPABILITIES);
  const elapsed = performance.now() - t0;
  await client.stop();
  return elapsed;
}

export async function extensionBench(ctx: BenchContext): Promise<void> {
  const { report } = ctx;
  const n = ctx.quick ? 3 : 10;
  const ext: ChildResult[] = [];
  const bare: number[] = [];
  const stdio: number[] = [];
  const ipc: number[] = [];
  for (let i = 0; i < n; i++) {
    ext.push(await runCase(ctx.caseScript('extension'), { root: ctx.root, package: ctx.snapshot }));
    bare.push((await runTimed(process.execPath, ['-e', ''])).wallMs);
    stdio.push(await spawnToInitialize(ctx, 'stdio'));
    ipc.push(await spawnToInitialize(ctx, 'ipc'));
  }
  const sr = summarise(ext.map((r) => r.requireMs as number));
  const sa = summarise(ext.map((r) => r.activateMs as number));
  const sb = summarise(bare);
  const ss = summarise(stdio);
  const si = summarise(ipc);
  const forked = (ext[0]?.forked as string[] | undefined) ?? [];
  if (forked.join() !== 'dist/server/server.js')
    report.note(
      `activate() forked ${JSON.stringify(forked)}, expected dist/server/server.js once.`,
    );
  const bench = '4. Extension activation (outside VS Code: stub vscode API)';
  report.timeRow(
    bench,
    'require(dist/client/extension.js): evaluating the production bundle',
    sr,
    '–',
    undefined,
  );
  report.timeRow(
    bench,
    `activate() until it resolves: set-up, fork of ${forked.join(', ') || '?'} over node IPC, initialize round trip (VS Code API calls are no-ops here)`,
    sa,
    `${x((sr.median + sa.median) / sb.median)} bare node start (require + activate)`,
    peakOf(ext),
  );
  report.timeRow(
    bench,
    'server alone: spawn → initialize response, node IPC (as the extension starts it)',
    si,
    `${x(si.median / sb.median)} bare node start`,
    undefined,
  );
  report.timeRow(
    bench,
    'server alone: spawn → initialize response, stdio',
    ss,
    `${x(ss.median / sb.median)} bare node start`,
    undefined,
  );
  report.timeRow(bench, 'bare `node -e ""` spawn → exit', sb, 'baseline', undefined);
  report.raw.extension = {
    require: sr,
    activate: sa,
    forked,
    bare: sb,
    stdio: ss,
    ipc: si,
  };
  const sizes: string[] = [];
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(ctx.dist).sort()) {
    if (file.endsWith('.vsix')) continue;
    const content = fs.readFileSync(file);
    const gz = zlib.gzipSync(content, { level: 9 }).length;
    sizes.push(
      `| \`${path.relative(ctx.snapshot, file)}\` | ${(content.length / 1024).toFixed(1)} kB | ${(gz / 1024).toFixed(1)} kB |`,
    );
  }
  report.raw.bundles = sizes;
}
