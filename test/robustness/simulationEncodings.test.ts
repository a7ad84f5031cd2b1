/**
 * Encodings and delimiters at their worst (issue 10, part 5): random bytes in every encoding
 * a spreadsheet might write, with any delimiter. Whatever the bytes, a read either succeeds or
 * throws one SimulationInputError naming the file and a line, and a plan never contains U+FFFD.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SimulationInputError,
  leadsFromObjects,
  readProfiles,
  simulate,
} from '../../server/src/simulation/simulate';
import { baseConfig, tempFile } from '../fixtures/simulation/simulationHelpers';

/** A small deterministic generator (mulberry32): failures replay. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Åkesson', 'Øster', 'Müller', 'Zoë', '“Quote”', 'naïve', 'Ann', 'Łukasz'];
const BOMS: Record<string, number[]> = { none: [], utf8: [0xef, 0xbb, 0xbf] };

function profileText(random: () => number, sep: string, rows: number): string {
  const lines = [
    ['identityMap.Email', 'person.name.lastName', 'segmentMembership.ups.seg-winback.status'].join(
      sep,
    ),
  ];
  for (let i = 0; i < rows; i++) {
    const name = NAMES[Math.floor(random() * NAMES.length)] as string;
    lines.push([`p${i}@x.com`, name, 'realized'].join(sep));
  }
  return `${lines.join(random() < 0.5 ? '\n' : '\r\n')}\n`;
}

function encode(text: string, encoding: string): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8bom':
      return Buffer.concat([Buffer.from(BOMS.utf8 as number[]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be': {
      const le = Buffer.from(text, 'utf16le');
      for (let i = 0; i + 1 < le.length; i += 2) {
        const b = le[i] as number;
        le[i] = le[i + 1] as number;
        le[i + 1] = b;
      }
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
    default:
      // latin1 stands in for windows-1252: every name above but the quotes and Ł fits one byte.
      return Buffer.from(text, 'latin1');
  }
}

describe('encodings and delimiters, randomised', () => {
  test('every encoding and delimiter reads the same names, or one located error', () => {
    const random = rng(20261201);
    const leads = leadsFromObjects([{ id: 1, email: 'p0@x.com', lastName: 'Old' }]);
    for (let round = 0; round < 60; round++) {
      const sep = [',', ';', '\t'][round % 3] as string;
      const encoding = ['utf8', 'utf8bom', 'utf16le', 'utf16be', 'latin1'][
        Math.floor(round / 3) % 5
      ] as string;
      const text = profileText(random, sep, 1 + Math.floor(random() * 20));
      const file = tempFile(`p${round}.csv`, encode(text, encoding));
      let profiles;
      try {
        profiles = readProfiles(file);
      } catch (error) {
        assert.ok(error instanceof SimulationInputError, String(error));
        assert.equal(error.file, file);
        assert.ok(error.line >= 1);
        assert.ok(!error.message.includes('\n'), error.message);
        // Only a legacy-encoded file with a non-ASCII name may be refused, and it names the fix.
        assert.equal(encoding, 'latin1', error.message);
        assert.match(error.problem, /^not valid UTF-8 .* --encoding windows-1252/);
        profiles = readProfiles(file, { encoding: 'windows-1252' });
      }
      const result = simulate(baseConfig(), profiles, leads);
      const json = JSON.stringify(result);
      assert.ok(!json.includes('\uFFFD'), `${encoding} ${JSON.stringify(sep)}: U+FFFD in the plan`);
      const expectedNames = text
        .split(/\r?\n/)
        .slice(1, -1)
        .map((line) => line.split(sep)[1]);
      const read = profiles.reader('person.name.lastName');
      const names = Array.from({ length: profiles.count }, (_, i) => read(i));
      if (encoding === 'latin1') {
        // “ ” and Ł do not exist in Latin-1: Buffer wrote other bytes; compare the rest.
        names.forEach((name, i) => {
          const want = expectedNames[i] as string;
          if (/^[\u0000-\u00ff]*$/.test(want)) assert.equal(name, want);
        });
      } else {
        assert.deepEqual(names, expectedNames, `${encoding} ${JSON.stringify(sep)}`);
      }
    }
  });

  test('random bytes never crash a read and never reach a plan as U+FFFD', () => {
    const random = rng(7);
    const leads = leadsFromObjects([{ id: 1, email: 'a@x.com' }]);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(random() * 64);
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = Math.floor(random() * 256);
      const prefix = [[], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]][round % 4] as number[];
      const header = Buffer.from('identityMap.Email;person.name.lastName\n');
      const file = tempFile(`r${round}.csv`, Buffer.concat([Buffer.from(prefix), header, bytes]));
      try {
        const profiles = readProfiles(file);
        assert.ok(!JSON.stringify(simulate(baseConfig(), profiles, leads)).includes('\uFFFD'));
      } catch (error) {
        assert.ok(error instanceof SimulationInputError, String(error));
        assert.equal(error.file, file);
        assert.ok(!error.message.includes('\n'), error.message);
      }
    }
  });
});
