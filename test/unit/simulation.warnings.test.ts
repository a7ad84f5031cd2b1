import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseConfig,
  type LeadSpec,
  type ProfileSpec,
} from '../fixtures/simulation/simulationHelpers';
import { simulateSpecs as run } from '../fixtures/simulation/results';
import { NO_MEMBERSHIP_WARNING, type SimulationResult } from '../../server/src/simulation/simulate';

const ANN_LEAD: LeadSpec = { id: 101, email: 'ann@x.com', lastName: 'A', updatedAt: '2024-03-01' };
const ANN: ProfileSpec = { email: 'ann@x.com', firstName: 'Ann', lastName: 'Andersson' };

/**
 * The global warnings but the one about a profiles file without memberships: these
 * fixtures have none, and the membership tests check that warning.
 */
function others(result: SimulationResult): string[] {
  return result.warnings.filter((w) => w !== NO_MEMBERSHIP_WARNING);
}

describe('simulation: global warnings', () => {
  test('leads without a dedupe value never match and are counted', () => {
    const result = run(baseConfig(), [ANN], [ANN_LEAD, { id: 5, email: '' }, { id: 6 }]);
    assert.deepEqual(others(result), ['2 leads have no value for dedupeField email']);
  });

  test('a leads file without the dedupe field at all says so', () => {
    const result = run(baseConfig(), [ANN], [{ id: 1, firstName: 'Ann' }]);
    assert.deepEqual(others(result), [
      '1 lead has no value for dedupeField email (the leads file has no email field, so no profile can match)',
    ]);
    assert.equal(result.outcomes[0]?.action, 'create');
  });

  test('profiles sharing a dedupe value, matched or not, in order of first appearance', () => {
    const result = run(
      baseConfig(),
      [
        { email: 'new@x.com' },
        ANN,
        { email: 'ANN@x.com' },
        { email: 'new@x.com' },
        { email: 'Ann@x.com ' },
        { email: 'solo@x.com' },
      ],
      [ANN_LEAD],
    );
    assert.deepEqual(others(result), [
      '2 profiles share the dedupe value new@x.com',
      '3 profiles share the dedupe value ann@x.com',
    ]);
  });

  test('shared values are listed up to 20, the rest counted', () => {
    const profiles: ProfileSpec[] = [];
    for (let i = 0; i < 23; i++) profiles.push({ email: `p${i}@x.com` }, { email: `p${i}@x.com` });
    const result = run(baseConfig(), profiles, []);
    assert.equal(others(result).length, 21);
    assert.equal(others(result)[0], '2 profiles share the dedupe value p0@x.com');
    assert.equal(others(result)[20], '… and 3 more dedupe values are shared by several profiles');
  });

  test('profiles outside the audiences do not count as sharing', () => {
    const result = run(
      baseConfig(),
      [ANN, { email: 'ann@x.com', segments: { 'seg-winback': 'exited' } }],
      [ANN_LEAD],
    );
    assert.deepEqual(others(result), []);
  });

  test('Lead ID, ECID dedupe fields and an ECID DedupeField source', () => {
    const result = run(
      baseConfig({
        dedupeField: 'id',
        mappings: [{ source: 'identityMap.ECID', target: 'DedupeField' }],
      }),
      [],
      [],
    );
    assert.deepEqual(others(result), [
      'dedupeField "id" is not supported: Marketo Lead ID and ECID cannot deduplicate, so a real export would fail (simulated as if it worked)',
      'the DedupeField mapping reads identityMap.ECID: ECID is not supported as a deduplication field',
    ]);
    const ecid = run(baseConfig({ dedupeField: 'ECID' }), [], []);
    assert.match(ecid.warnings[0] as string, /^dedupeField "ECID" is not supported/);
  });

  test('a config without a DedupeField mapping skips every profile', () => {
    const config = baseConfig({
      mappings: [{ source: 'person.name.lastName', target: 'lastName' }],
    });
    const result = run(config, [ANN], [ANN_LEAD]);
    assert.deepEqual(others(result), [
      'no mapping targets DedupeField: no profile has a dedupe value, so every profile is skipped',
    ]);
    assert.equal(
      result.outcomes[0]?.reason,
      'no value for the dedupe field (no mapping targets DedupeField)',
    );
  });

  test('several DedupeField sources are all named in the skip reason', () => {
    const config = baseConfig({
      mappings: [
        { source: 'workEmail.address', target: 'DedupeField' },
        { source: 'identityMap.Email', target: 'DedupeField' },
      ],
    });
    const result = run(config, [{ firstName: 'X' }], []);
    assert.equal(
      result.outcomes[0]?.reason,
      'no value for the dedupe field (source workEmail.address, identityMap.Email)',
    );
  });
});

describe('simulation: per-outcome warnings', () => {
  test('creating a lead with a non-ASCII email', () => {
    const result = run(baseConfig(), [{ email: 'jörg@x.com', firstName: 'J', lastName: 'K' }], []);
    assert.deepEqual(result.outcomes[0]?.warnings, [
      'email "jörg@x.com" is not ASCII: Marketo refuses non-ASCII email addresses',
    ]);
  });

  test('an update of a single matching lead has no warning', () => {
    const result = run(baseConfig(), [ANN], [ANN_LEAD]);
    assert.deepEqual(result.outcomes[0]?.warnings, []);
    assert.deepEqual(result.outcomes[0]?.otherMatches, []);
  });
});
