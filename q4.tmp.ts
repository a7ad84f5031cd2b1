import { parseTree } from 'jsonc-parser';
import { fastParseTree } from './server/src/engine/fastParse';
import { configText } from './bench/lib/generate';
const O = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };
for (const [m, a] of [[50, 3], [10000, 200]]) {
const text = configText(1000 + m, m, a);
const n = m === 50 ? 2000 : 10;
for (const [name, f] of [['fast', () => fastParseTree(text)], ['jsonc', () => parseTree(text, [], O)], ['json', () => JSON.parse(text)], ['fast', () => fastParseTree(text)]] as const) {
  for (let i = 0; i < 10 * n; i++) f();
  const ts: number[] = [];
  for (let r = 0; r < 15; r++) { const t = performance.now(); for (let i = 0; i < n; i++) f(); ts.push((performance.now() - t) / n); }
  ts.sort((a, b) => a - b);
  console.log(m, name, (ts[0] * 1000).toFixed(1), (ts[7] * 1000).toFixed(1), 'µs');
}
}
