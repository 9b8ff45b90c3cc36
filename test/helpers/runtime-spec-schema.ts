// The OCI runtime-spec JSON schema (draft-04, vendored in test/fixtures/runtime-spec) as a validator for
// every config.json the engine writes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv-draft-04';

// ajv is CommonJS: under NodeNext its class is the default export's `default`
const Ajv = AjvModule.default;
// dist/test/helpers -> test/fixtures/runtime-spec/schema
const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/runtime-spec/schema');

export function runtimeSpecValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(schemaDir, file), 'utf8')), file);
  }
  const validate = ajv.getSchema('config-schema.json');
  assert.ok(validate, 'config-schema.json loaded');
  return validate;
}
