/**
 * A validator for Argo CD API responses: the vendored swagger (v3.5.1) made
 * strict, for contract tests (the emulator's own and the benchmark seed's).
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv-draft-04';
/*
 * Validates emulator responses against Argo CD's own OpenAPI document
 * (v3.5.1), vendored with the recorded samples in the package's `test-data/` (see its
 * README for provenance and checksums).
 *
 * The swagger is turned into a strict JSON schema: every object with declared
 * properties gets `additionalProperties: false` (so a misspelt field fails),
 * `allOf` is flattened, and the documented wire quirks are allowed:
 * - int64 fields (`integer`/`string` + `format: int64`) accept a JSON number or a string;
 * - embedded Go structs are inlined on the wire (`hook.force` instead of `hook.syncStrategyApply.force`);
 * - `metadata.managedFields[].fieldsV1` is raw JSON on the wire (the swagger shows `{Raw: bytes}`).
 */
/** The vendored Argo CD API document and recorded samples (inside the repository). */
export const TEST_DATA = path.resolve(__dirname, '../../test-data');

function strictify(schema: any, defs: Record<string, any>): any {
  if (Array.isArray(schema)) return schema.map(s => strictify(s, defs));
  if (!schema || typeof schema !== 'object') return schema;
  let s: any = { ...schema };
  if (s.allOf) {
    const merged: any = { type: 'object', properties: {} };
    for (const part of [...s.allOf, { properties: s.properties ?? {} }]) {
      const resolved = part.$ref
        ? defs[part.$ref.replace('#/definitions/', '')]
        : part;
      Object.assign(merged.properties, resolved.properties ?? {});
    }
    const { allOf: _a, ...rest } = s;
    s = { ...rest, ...merged };
  }
  if (s.format === 'int64' || s.format === 'uint64') {
    const { type: _t, format: _f, ...rest } = s;
    s = { ...rest, type: ['integer', 'string'], pattern: '^-?\\d+$' };
  }
  if (s.format === 'date-time') {
    const { format: _f, ...rest } = s;
    s = {
      ...rest,
      pattern:
        '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
    };
  }
  if (s.format === 'byte' || s.format === 'int32') {
    const { format: _f, ...rest } = s;
    s = rest;
  }
  delete s.title;
  delete s.description;
  if (s.properties) {
    s.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, strictify(v, defs)]),
    );
    if (s.additionalProperties === undefined) s.additionalProperties = false;
  }
  if (s.items) s.items = strictify(s.items, defs);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    s.additionalProperties = strictify(s.additionalProperties, defs);
  return s;
}

/** A validator for named swagger definitions.  */
export class SwaggerValidator {
  readonly #ajv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(file = path.join(TEST_DATA, 'argocd-swagger.json')) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (doc.swagger !== '2.0')
      throw new Error(`${file} is not a swagger 2.0 document`);
    const defs: Record<string, any> = doc.definitions;
    const strict: Record<string, any> = {};
    for (const [name, schema] of Object.entries(defs))
      strict[name] = strictify(schema, defs);
    // wire quirk: SyncStrategyHook embeds SyncStrategyApply, so `force` is inlined
    strict.v1alpha1SyncStrategyHook.properties.force = { type: 'boolean' };
    // wire quirk: FieldsV1 (managedFields) is raw JSON on the wire, not {Raw: bytes}
    strict.v1FieldsV1 = { type: 'object' };
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    this.#ajv.addSchema({ id: 'argocd', definitions: strict } as any);
  }

  /** Errors of `value` against definition `name` (empty when valid). */
  errors(name: string, value: unknown): string[] {
    let v = this.#cache.get(name);
    if (!v) {
      v = this.#ajv.compile({ $ref: `argocd#/definitions/${name}` });
      this.#cache.set(name, v);
    }
    if (v(value)) return [];
    return (v.errors ?? []).map(
      e =>
        `${e.instancePath || '/'} ${e.message}${
          e.params && (e.params as any).additionalProperty
            ? `: ${(e.params as any).additionalProperty}`
            : ''
        }`,
    );
  }
}
