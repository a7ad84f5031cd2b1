import assert from 'node:assert/strict';
import { test } from 'node:test';
import Ajv from 'ajv';
import { destinationSchema } from '../../server/src/engine/schema';

test('the destination schema is a valid draft-07 schema (the engine skips this check at start-up)', () => {
  const ajv = new Ajv({ strict: false, allowUnionTypes: true });
  assert.equal(ajv.validateSchema(destinationSchema), true, ajv.errorsText(ajv.errors));
});

test('a schema that breaks the meta-schema is caught by that check', () => {
  const ajv = new Ajv({ strict: false });
  assert.equal(
    ajv.validateSchema({ type: 'object', properties: { a: { type: 'no-such-type' } } }),
    false,
  );
});
