/**
 * 2. Keystroke to diagnostics: the built server over stdio, one-character edits of a mapping
 * target in the middle of a small and of a 1 MB config, timed from `didChange` to the
 * `publishDiagnostics` of that version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { configText } from '../../test/fixtures/generate';
import { EDITOR_CAPABILITIES, LspTestClient } from '../../test/lspClient';
import type { BenchContext } from '../context';
import { mb, ms, spreadOf, summarise, times as x } from '../lib/stats';

/** Offset of the first character of the value of the n-th `"target": "` of the text. */
export function nthTargetOffset(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf('"target": "', at + 1);
  return at + '"target": "'.length;
}

export function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

interface KeystrokeResult {
  openMs: number;
  samples: number[];
  findings: number;
  vmHwm: number;
  /** Mean server CPU time per measured edit (includes V8's helper threads). */
  cpuPerEdit: number;
}

async function keystrokes(
  ctx: BenchContext,
  file: string,
  edits: number,
  warmup: number,
): Promise<KeystrokeResult> {
  const text = fs.readFileSync(file, 'utf8');
  const client = LspTestClient.ofBundle(ctx.server, 'stdio');
  await client.initialize(EDITOR_CAPABILITIES);
  const uri = pathToFileURL(file).href;
  const t0 = performance.now();
  await client.open(uri, text, 1);
  const openMs = performance.now() - t0;
  const count = (text.match(/"target": "/g) ?? []).length;
  const offset = nthTargetOffset(text, Math.floor(count / 2));
  const position = positionOf(text, offset);
  const original = text.charAt(offset);
  const flipped =
    original === original.toUpperCase() ? original.toLowerCase() : original.toUpperCase();
  const samples: number[] = [];
  let version = 1;
  let findings = 0;
  let cpuStart = 0;
  for (let i = 0; i < warmup + edits; i++) {
    if (i === warmup) cpuStart = client.cpuMs();
    version++;
    const expected = version;
    const next = client.nextDiagnostics(uri, (d) => d.version === expected);
    const start = performance.now();
    void client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        {
          range: {
            start: position,
            end: { line: position.line, character: position.character + 1 },
          },
          rangeLength: 1,
          text: version % 2 === 0 ? flipped : original,
        },
      ],
    });
    const published = await next;
    const elapsed = performance.now() - start;
    findings = published.diagnostics.length;
    if (i >= warmup) samples.push(elapsed);
    await sleep(50); // typing cadence: the next key comes later
  }
  const cpuPerEdit = (client.cpuMs() - cpuStart) / edits;
  const vmHwm = client.procStatus().VmHWM ?? NaN;
  await client.stop();
  return { openMs, samples, findings, vmHwm, cpuPerEdit };
}

/**
 * `inProcess1MB`: the median in-process validation of the 1 MB config (validation suite), for
 * the ratio of the big config; without it that row is a reference too.
 */
export async function keystrokeBench(
  ctx: BenchContext,
  inProcess1MB: number | undefined,
): Promise<void> {
  const { report } = ctx;
  const edits = ctx.quick ? 20 : 100;
  for (const mappings of [50, 10_000]) {
    const file = path.join(ctx.generated, `config-${mappings}.destination.json`);
    if (!fs.existsSync(file))
      fs.writeFileSync(file, configText(1000 + mappings, mappings, mappings > 50 ? 200 : 3));
    const result = await keystrokes(ctx, file, edits, 10);
    const s = summarise(result.samples);
    const big = mappings === 10_000;
    const ratio =
      big && inProcess1MB !== undefined
        ? `${x(s.median / inProcess1MB)} in-process validation (${ms(inProcess1MB)})`
        : 'reference (small config)';
    report.row({
      bench: `2. Keystroke → publishDiagnostics (stdio, built server): ${mappings.toLocaleString('en')} mappings, ${(fs.statSync(file).size / 1024).toFixed(0)} kB`,
      case: `${edits} one-character didChange edits (p90 ${ms(s.p90)}; didOpen → diagnostics ${ms(result.openMs)})`,
      median: ms(s.median),
      spread: spreadOf(s, ms),
      ratio,
      peak: `${mb(result.vmHwm)} (server VmHWM)`,
      cpu: `${ms(result.cpuPerEdit)} (server, mean)`,
    });
    report.raw[`keystroke-${mappings}`] = {
      ...s,
      openMs: result.openMs,
      findings: result.findings,
      vmHwm: result.vmHwm,
      cpuPerEdit: result.cpuPerEdit,
    };
    if (big) {
      // JSON.parse of the same text in this process, measured in this run: the floor.
      const text = fs.readFileSync(file, 'utf8');
      const parses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        JSON.parse(text);
        parses.push(performance.now() - t0);
      }
      const floor = summarise(parses.slice(10)).median;
      const ratio = s.median / floor;
      report.target(
        'Issue 12 target 2: keystroke → diagnostics, 1 MB config (median) vs JSON.parse of the same text',
        '≤ 6× JSON.parse',
        `${x(ratio)} (${ms(s.median)} vs JSON.parse ${ms(floor)})`,
        ratio <= 6,
        ratio <= 6 ? `met with ${x(6 / ratio)} to spare` : `missed by ${x(ratio / 6)}`,
      );
      report.target(
        'Keystroke → diagnostics, 1 MB config (median)',
        '≤ 50 ms',
        `${ms(s.median)} (p90 ${ms(s.p90)}); server CPU per edit ${ms(result.cpuPerEdit)}`,
        s.median <= 50,
        s.median <= 50
          ? `met with ${ms(50 - s.median)} to spare`
          : `missed by ${ms(s.median - 50)} (${x(s.median / 50)})`,
      );
    }
  }
}
