/**
 * RFC 6902 JSON Patch (through fast-json-patch) and RFC 7386 JSON Merge Patch
 * (ten lines, no library in the lockfile does only this). Both return new values.
 */
import { applyPatch, JsonPatchError as LibError } from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** Applies an RFC 7386 merge patch. @public */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    return clone(patch);
  const base: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? clone(target as Record<string, unknown>)
      : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete base[k];
    else base[k] = applyMergePatch(base[k], v);
  }
  return base;
}

/** Thrown for an invalid or failing JSON Patch (message: the library's first line). @public */
export class JsonPatchError extends Error {}

/** Applies an RFC 6902 patch (add, remove, replace, move, copy, test). @public */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new JsonPatchError('a JSON patch must be an array of operations');
  try {
    // validate each operation; never mutate the caller's document
    return applyPatch(clone(target), ops as Operation[], true, false)
      .newDocument;
  } catch (e) {
    // LibError: RFC violations; TypeError: __proto__/constructor paths, which the library refuses
    if (e instanceof LibError || e instanceof TypeError)
      throw new JsonPatchError(String(e.message).split('\n')[0]);
    throw e;
  }
}
