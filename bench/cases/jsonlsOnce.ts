/**
 * Child, a whole process: what VS Code's JSON support does once for a file with our schema
 * (vscode-json-languageservice configure, parseJSONDocument, doValidation), then exit. The
 * counterpart of `aep-dest validate <file>` in a fresh process (bench/suites/freshProcess.ts).
 *
 *   node jsonlsOnce.js --file <config>
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import schema from '../../schemas/destination.schema.json';
import { args } from '../lib/child';

async function main(): Promise<void> {
  const file = args().file as string;
  const ls = getLanguageService({});
  ls.configure({
    validate: true,
    allowComments: true,
    schemas: [
      {
        uri: pathToFileURL(`${process.cwd()}/schemas/destination.schema.json`).href,
        fileMatch: ['*.destination.json', '*.destination.jsonc'],
        schema: schema,
      },
    ],
  });
  const doc = TextDocument.create(
    pathToFileURL(file).href,
    'jsonc',
    1,
    fs.readFileSync(file, 'utf8'),
  );
  const diagnostics = await ls.doValidation(doc, ls.parseJSONDocument(doc), {
    comments: 'ignore',
    trailingCommas: 'ignore',
  });
  process.stdout.write(`${diagnostics.length}\n`);
}

void main();
