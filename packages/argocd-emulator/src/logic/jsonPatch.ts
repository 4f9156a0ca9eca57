/** RFC 6902 JSON Patch and RFC 7386 JSON Merge Patch (pure, return new values). */

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

/** Thrown for an invalid or failing JSON Patch. @public */
export class JsonPatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new JsonPatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: any, path: string[]): any {
  let cur = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !(seg in cur)) {
      throw new JsonPatchError(`path "/${path.join('/')}" does not exist`);
    }
    cur = cur[seg];
  }
  return cur;
}

function containerOf(doc: any, path: string[]): { parent: any; key: string } {
  const parent = getAt(doc, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') {
    throw new JsonPatchError(
      `parent of "/${path.join('/')}" is not a container`,
    );
  }
  return { parent, key: path[path.length - 1] };
}

function add(doc: any, path: string[], value: unknown): any {
  if (path.length === 0) return clone(value);
  const { parent, key } = containerOf(doc, path);
  if (Array.isArray(parent)) {
    const idx = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length)
      throw new JsonPatchError(`invalid array index "${key}"`);
    parent.splice(idx, 0, clone(value));
  } else parent[key] = clone(value);
  return doc;
}

function remove(doc: any, path: string[]): any {
  if (path.length === 0)
    throw new JsonPatchError('cannot remove the document root');
  const { parent, key } = containerOf(doc, path);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length)
      throw new JsonPatchError(`invalid array index "${key}"`);
    parent.splice(idx, 1);
  } else {
    if (!(key in parent))
      throw new JsonPatchError(`path "/${path.join('/')}" does not exist`);
    delete parent[key];
  }
  return doc;
}

/** Applies an RFC 6902 patch (add, remove, replace, move, copy, test). @public */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new JsonPatchError('a JSON patch must be an array of operations');
  let doc: any = clone(target);
  for (const op of ops) {
    const path = parsePointer(String(op?.path ?? ''));
    switch (op?.op) {
      case 'add':
        doc = add(doc, path, op.value);
        break;
      case 'remove':
        doc = remove(doc, path);
        break;
      case 'replace':
        getAt(doc, path);
        doc =
          path.length === 0
            ? clone(op.value)
            : add(remove(doc, path), path, op.value);
        break;
      case 'move': {
        const from = parsePointer(String(op.from ?? ''));
        const v = getAt(doc, from);
        doc = add(remove(doc, from), path, v);
        break;
      }
      case 'copy':
        doc = add(doc, path, getAt(doc, parsePointer(String(op.from ?? ''))));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) {
          throw new JsonPatchError(
            `test operation for path "${op.path}" failed`,
          );
        }
        break;
      default:
        throw new JsonPatchError(`unknown JSON patch operation "${op?.op}"`);
    }
  }
  return doc;
}
