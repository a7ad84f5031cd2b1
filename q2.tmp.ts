import { fastParseTree } from './server/src/engine/fastParse';
import { configText } from './bench/lib/generate';
const text = configText(11000, 10000, 200);
for (let i = 0; i < 20; i++) fastParseTree(text);
for (let i = 0; i < 5; i++) { console.log('---'); const t = performance.now(); fastParseTree(text); console.log((performance.now() - t).toFixed(2)); }
