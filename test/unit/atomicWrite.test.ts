import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeAtomically } from '../../server/src/cli/atomicWrite';
import { tempFiles } from '../helpers';

test('a regular target is replaced through a temp file, leaving nothing else behind', () => {
  const dir = tempFiles({ 'report.json': 'old' });
  writeAtomically(path.join(dir, 'report.json'), ['{"a":', '1}']);
  assert.equal(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'), '{"a":1}');
  assert.deepEqual(fs.readdirSync(dir), ['report.json']);
});

test('a device target such as /dev/null stays a device (never renamed over)', () => {
  writeAtomically('/dev/null', ['discarded']);
  assert.ok(fs.statSync('/dev/null').isCharacterDevice());
});
