/**
 * The destination schema's validator. Here it is compiled at run time (tests, tsx); the
 * production bundles replace this module with the same validator precompiled at build time
 * (scripts/validatorCode.mjs, through scripts/build.mjs), so that a fresh `aep-dest validate`
 * or server start does not compile the schema. test/unit/schemaValidator.test.ts checks that
 * the two give the same errors.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { destinationSchema } from '../engine/schema';

// The schema is checked against the draft-07 meta-schema by a unit test, not at every start-up.
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  allowUnionTypes: true,
  validateSchema: false,
};

export const validateDestination: ValidateFunction = new Ajv(AJV_OPTIONS).compile(
  destinationSchema,
);
