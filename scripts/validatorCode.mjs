// The destination schema's validator as standalone JavaScript (ajv/dist/standalone), generated at
// build time so that no process compiles the schema at start-up: scripts/build.mjs puts this
// code in the bundles in place of server/src/rules/schemaValidator.ts, which compiles the schema
// at run time (tests, tsx). test/unit/schemaValidator.test.ts checks that both agree.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/** The Ajv options of server/src/rules/schemaValidator.ts (a test checks they are the same). */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  allowUnionTypes: true,
  validateSchema: false,
};

/** CommonJS source of a module whose `validateDestination` export validates a config value. */
export function validatorModuleCode() {
  const { default: Ajv } = require('ajv');
  const { default: standaloneCode } = require('ajv/dist/standalone');
  const schema = JSON.parse(
    readFileSync(path.join(root, 'schemas/destination.schema.json'), 'utf8'),
  );
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const validate = ajv.compile(schema);
  return standaloneCode(ajv, { validateDestination: validate.schemaEnv.schema.$id ?? '#' });
}
