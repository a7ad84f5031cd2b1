import * as path from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SimulationInputError,
  readLeads,
  readProfiles,
} from '../../server/src/simulation/simulate';
import { tempFile, tempFiles } from '../fixtures/simulation/simulationHelpers';

/** Asserts that `read(file)` throws a SimulationInputError at `line` with `problem`. */
function assertInputError(
  read: (file: string) => unknown,
  file: string,
  line: number,
  problem: string | RegExp,
): void {
  assert.throws(
    () => read(file),
    (error: unknown) => {
      assert.ok(
        error instanceof SimulationInputError,
        `not a SimulationInputError: ${String(error)}`,
      );
      assert.equal(error.file, file);
      assert.equal(error.line, line, error.message);
      if (typeof problem === 'string') assert.equal(error.problem, problem);
      else assert.match(error.problem, problem);
      assert.equal(error.message, `${file}:${line}: ${error.problem}`);
      return true;
    },
  );
}

describe('simulation input errors: files', () => {
  test('a missing file', () => {
    const file = path.join(tempFiles(), 'nope.csv');
    assertInputError(readProfiles, file, 1, 'no such file');
    assertInputError(readLeads, file, 1, 'no such file');
  });

  test('a directory given as file', () => {
    const dir = tempFiles({ 'x/keep.txt': 'x' });
    assertInputError(readProfiles, path.join(dir, 'x'), 1, 'is a directory, not a file');
  });

  test('an empty file, or one of only whitespace', () => {
    assertInputError(readProfiles, tempFile('empty.csv', ''), 1, 'the file is empty');
    assertInputError(readLeads, tempFile('blank.json', ' \n\t\n'), 1, 'the file is empty');
    assertInputError(readLeads, tempFile('bom.ndjson', '\ufeff\n'), 1, 'the file is empty');
  });

  test('a binary file (NUL bytes) names the line of the first NUL', () => {
    const bytes = Buffer.concat([
      Buffer.from('id,email\n1,a@x.com\n'),
      Buffer.from([0x50, 0x4b, 0x00, 0x03]),
    ]);
    assertInputError(
      readLeads,
      tempFile('leads.csv', bytes),
      3,
      'binary file (it contains NUL bytes); expected CSV, JSON or NDJSON text in UTF-8',
    );
    // UTF-16 with a BOM is text (Excel's "Unicode text"), decoded: see simulation.inputFiles.
    const utf16 = Buffer.from('\ufeffid,email\n1,a@x.com\n', 'utf16le');
    assert.equal(readLeads(tempFile('utf16.csv', utf16)).id(0), '1');
  });
});

describe('simulation input errors: CSV', () => {
  test('an unterminated quote in the middle of the file names the line where the field started', () => {
    const text = 'id,email,lastName\n1,a@x.com,A\n2,b@x.com,"Berg\n3,c@x.com,C\n4,d@x.com,D\n';
    assertInputError(
      readLeads,
      tempFile('leads.csv', text),
      3,
      'unterminated quoted field: the quote opened on this line is never closed',
    );
  });

  test('an unclosed quote that a later quote "closes" still points at the field start', () => {
    const text = 'id,email,lastName\n1,a@x.com,"A\n2,b@x.com,B\n3,c@x.com,"C"\n';
    assertInputError(
      readLeads,
      tempFile('leads.csv', text),
      2,
      'unexpected "C" after the closing quote of field 3 on line 4: the quoted field starting on this line spans 3 lines, probably an unterminated quote',
    );
  });

  test('text after a closing quote', () => {
    assertInputError(
      readProfiles,
      tempFile('p.csv', 'a,b\n1,2\n"x"y,3\n'),
      3,
      'unexpected "y" after the closing quote of field 1 (a quote inside a quoted field must be doubled; a closing quote must be followed by a comma or the end of the line)',
    );
  });

  test('a ragged row names the line and both counts', () => {
    const header = 'id,email,firstName\n';
    assertInputError(
      readLeads,
      tempFile('fewer.csv', `${header}1,a@x.com,A\n2,b@x.com\n3,c@x.com,C\n`),
      3,
      'ragged row: 2 fields but the header (line 1) has 3',
    );
    assertInputError(
      readLeads,
      tempFile('more.csv', `${header}1,a@x.com,A\r\n2,b@x.com,B,extra\r\n`),
      3,
      'ragged row: 4 fields but the header (line 1) has 3',
    );
    assertInputError(
      readProfiles,
      tempFile('quoted.csv', `${header}1,"a,x",A\n2,"b@x.com"\n`),
      3,
      'ragged row: 2 fields but the header (line 1) has 3',
    );
    assertInputError(
      readProfiles,
      tempFile('one.csv', `\n\n${header}x\n`),
      4,
      'ragged row: 1 field but the header (line 3) has 3',
    );
  });

  test('a leads CSV without an id column, or with an empty id', () => {
    assertInputError(
      readLeads,
      tempFile('leads.csv', 'leadId,email\n1,a@x.com\n'),
      1,
      'no "id" column: every lead needs its Marketo lead id (columns: leadId, email)',
    );
    assertInputError(
      readLeads,
      tempFile('leads2.csv', 'id,email\n1,a@x.com\n  ,b@x.com\n'),
      3,
      'lead 2 has an empty id',
    );
  });

  test('a leads CSV with an invalid updatedAt', () => {
    const text =
      'id,email,updatedAt\n1,a@x.com,2024-01-01T00:00:00Z\n2,b@x.com,\n3,c@x.com,yesterday\n';
    assertInputError(
      readLeads,
      tempFile('leads.csv', text),
      4,
      'lead 3 has an invalid updatedAt "yesterday": expected ISO 8601, such as 2024-05-01T12:00:00Z, or Marketo\'s UI format, such as 5/1/2024 12:00 PM',
    );
    assertInputError(
      readLeads,
      tempFile('feb.csv', 'id,updatedAt\n1,2023-02-29T00:00:00Z\n'),
      2,
      /^lead 1 has an invalid updatedAt "2023-02-29T00:00:00Z"/,
    );
  });
});

describe('simulation input errors: JSON and NDJSON', () => {
  test('malformed JSON names the line of the error', () => {
    assertInputError(
      readProfiles,
      tempFile('p.json', '[\n  {"a": 1},\n  {"a": 2,,}\n]\n'),
      3,
      /^malformed JSON: .* \(column \d+\)$/,
    );
    assertInputError(readLeads, tempFile('l.json', '[\n{"id": 1}\n'), 3, /^malformed JSON/);
    assertInputError(
      readLeads,
      tempFile('t.json', '[\n{"id": 1, "x": tru}\n]'),
      2,
      /^malformed JSON: Unexpected token/,
    );
  });

  test('JSON that is not an array of objects', () => {
    assertInputError(
      readProfiles,
      tempFile('p.json', '{"profiles": []}'),
      1,
      'expected a JSON array of records (or an object with a "result" array, or a Profile access API answer), found a object',
    );
    assertInputError(
      readProfiles,
      tempFile('q.json', '[\n  {"a": 1},\n  "x"\n]'),
      3,
      'record 2 is a string, not an object',
    );
  });

  test('a JSON lead without id, or with an id that is not a string or number', () => {
    const text = JSON.stringify(
      { result: [{ id: 1, email: 'a@x.com' }, { email: 'b@x.com' }] },
      null,
      2,
    );
    assertInputError(
      readLeads,
      tempFile('l.json', text),
      7,
      'lead 2 has no "id": every lead needs its Marketo lead id',
    );
    assertInputError(
      readLeads,
      tempFile('m.json', '[{"id": 1}, {"id": true}]'),
      1,
      'lead 2 has an invalid "id" (true): expected a string or a number',
    );
  });

  test('a JSON lead with an invalid updatedAt', () => {
    const text =
      '[\n{"id": 1, "updatedAt": "2024-01-01"},\n{"id": 2, "updatedAt": "01/02/2024"}\n]';
    assertInputError(
      readLeads,
      tempFile('l.json', text),
      3,
      'lead 2 has an invalid updatedAt "01/02/2024": expected ISO 8601, such as 2024-05-01T12:00:00Z',
    );
  });

  test('a malformed NDJSON line, and a line that is not an object', () => {
    const good = '{"id": 1, "email": "a@x.com"}';
    assertInputError(
      readLeads,
      tempFile('l.ndjson', `${good}\n\n{"id": 2, "email": }\n${good}\n`),
      3,
      /^malformed JSON: .* \(column 20\)$/,
    );
    assertInputError(
      readLeads,
      tempFile('m.ndjson', `${good}\n[1, 2]\n`),
      2,
      'expected one JSON object a line, found an array',
    );
    assertInputError(
      readLeads,
      tempFile('n.jsonl', `${good}\n{"id": 2}, {"id": 3}\n`),
      2,
      /^malformed JSON/,
    );
    assertInputError(
      readLeads,
      tempFile('o.ndjson', `${good}\n{"email": "x@x.com"}\n`),
      2,
      /^lead 2 has no "id"/,
    );
  });
});
