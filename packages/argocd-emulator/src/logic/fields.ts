/**
 * The `fields` query parameter of Argo CD's list and watch calls, as its UI
 * uses it: comma-separated dot paths of the response message
 * (`items.metadata.name`, `result.application.status.sync`); a leading `-`
 * drops those paths instead of keeping only them. A path through an array
 * applies to every element. Pure.
 */

type Tree = Map<string, Tree | true>;

/** Parsed `fields`: undefined when absent or empty. @public */
export interface FieldsProjection {
  exclude: boolean;
  tree: Tree;
}

export function parseFields(
  raw: string | undefined,
): FieldsProjection | undefined {
  if (!raw || !raw.trim()) return undefined;
  let s = raw.trim();
  const exclude = s.startsWith('-');
  if (exclude) s = s.slice(1);
  const tree: Tree = new Map();
  for (const path of s
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)) {
    let node = tree;
    const parts = path.split('.');
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const cur = node.get(part);
      if (last || cur === true) {
        node.set(part, true);
        return;
      }
      if (!cur) {
        const next: Tree = new Map();
        node.set(part, next);
        node = next;
      } else {
        node = cur;
      }
    });
  }
  return tree.size ? { exclude, tree } : undefined;
}

function keep(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map(v => keep(v, tree));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of tree) {
    if (!(k in (value as object))) continue;
    const v = (value as Record<string, unknown>)[k];
    out[k] = sub === true ? v : keep(v, sub);
  }
  return out;
}

function drop(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map(v => drop(v, tree));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {
    ...(value as Record<string, unknown>),
  };
  for (const [k, sub] of tree) {
    if (!(k in out)) continue;
    if (sub === true) delete out[k];
    else out[k] = drop(out[k], sub);
  }
  return out;
}

/** The message with only (or without) the projected paths. */
export function projectFields<T>(
  message: T,
  p: FieldsProjection | undefined,
): T {
  if (!p) return message;
  return (p.exclude ? drop(message, p.tree) : keep(message, p.tree)) as T;
}
