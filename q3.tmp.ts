import { parseTree } from 'jsonc-parser';
import { fastParseTree } from './server/src/engine/fastParse';
import { configText } from './bench/lib/generate';
const text = configText(11000, 10000, 200);
const O = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };
for (let i = 0; i < 10; i++) { fastParseTree(text); parseTree(text, [], O); JSON.parse(text); }
for (let i = 0; i < 4; i++) {
  let t = performance.now(); parseTree(text, [], O); console.log('jsonc', (performance.now() - t).toFixed(2));
  t = performance.now(); fastParseTree(text); console.log('fast', (performance.now() - t).toFixed(2));
  t = performance.now(); JSON.parse(text); console.log('json', (performance.now() - t).toFixed(2));
}
