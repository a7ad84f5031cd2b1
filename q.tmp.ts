import { parseTree, type ParseError } from 'jsonc-parser';
import { fastParseTree } from '/work/main/server/src/engine/fastParse';
import * as fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
function strip(n: any): any { const o: any = {}; for (const k of Object.keys(n)) { if (k === 'parent') o[k] = n[k] === undefined ? 'undef' : 'p'; else if (k === 'children') o[k] = n[k].map(strip); else o[k] = n[k]; } return o; }
for (const f of ['bench/generated/config-50.destination.json','bench/generated/config-10000.destination.json','examples/winback.destination.json','examples/broken.destination.jsonc','examples/marketo/describe2.json']) {
  const t = fs.readFileSync(f,'utf8'); const errs: ParseError[] = [];
  const a = parseTree(t, errs, {allowTrailingComma:true, disallowComments:false, allowEmptyContent:false});
  const b = fastParseTree(t);
  console.log(f, errs.length, b === undefined ? 'undef' : isDeepStrictEqual(strip(a), strip(b)));
}
for (const t of ['{}', '[]', ' 1 ', '-0', '1e400', '{"a":[1,2,],}', '[,]', '{,}', '"\\ud83d\\ude00"', 'true', 'nul', '{"a"/*x*/:/**/1//c\n}', '12345678901234567890123']) {
  const errs: ParseError[] = [];
  const a = parseTree(t, errs, {allowTrailingComma:true, disallowComments:false, allowEmptyContent:false});
  const b = fastParseTree(t);
  console.log(JSON.stringify(t), errs.length, b === undefined ? 'undef' : isDeepStrictEqual(strip(a), strip(b)), JSON.stringify(Object.keys(b ?? {})), JSON.stringify(Object.keys(a ?? {})));
}
