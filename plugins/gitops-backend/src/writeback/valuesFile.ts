import { isMap, isScalar, parseDocument } from 'yaml';

/**
 * Pure edits of a Helm values file that keep its comments, key order,
 * quoting style and blank lines (the `yaml` package's Document API).
 */

/** Splits `image.tag` into `['image', 'tag']`; rejects empty segments. @internal */
export function parseKeyPath(key: string): string[] {
  const parts = key.split('.');
  if (parts.length === 0 || parts.some(p => p.trim() === '')) {
    throw new Error(
      `key path '${key}' must be dot-separated names, e.g. image.tag`,
    );
  }
  return parts;
}

/** Reads the scalar at a key path; undefined when absent or not a scalar. @internal */
export function readValuesKey(text: string, key: string): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`values file is not valid YAML: ${doc.errors[0].message}`);
  }
  const node = doc.getIn(parseKeyPath(key), true);
  if (isScalar(node) && node.value !== null && node.value !== undefined) {
    return String(node.value);
  }
  return undefined;
}

/** Result of {@link setValuesKey}. @internal */
export interface ValuesEdit {
  text: string;
  /** false when the key already had this value (nothing to commit). */
  changed: boolean;
  previous?: string;
}

/**
 * Sets a string at a key path, creating intermediate maps when missing.
 * An existing scalar keeps its node (so its quoting style and trailing
 * comment stay); only the value changes. The value is always written as a
 * string, so `1.10` never becomes the number 1.1.
 *
 * @internal
 */
export function setValuesKey(
  text: string,
  key: string,
  value: string,
): ValuesEdit {
  const path = parseKeyPath(key);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error(`values file is not valid YAML: ${doc.errors[0].message}`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new Error('values file must be a YAML mapping at the top level');
  }
  // A scalar on the way (e.g. `image: nginx`) cannot hold a nested key.
  for (let i = 1; i < path.length; i++) {
    const parent = doc.getIn(path.slice(0, i), true);
    if (parent !== undefined && parent !== null && !isMap(parent)) {
      throw new Error(
        `cannot set '${key}': '${path.slice(0, i).join('.')}' is not a mapping`,
      );
    }
  }
  const existing = doc.getIn(path, true);
  const previous =
    isScalar(existing) &&
    existing.value !== null &&
    existing.value !== undefined
      ? String(existing.value)
      : undefined;
  if (
    previous === value &&
    isScalar(existing) &&
    typeof existing.value === 'string'
  ) {
    return { text, changed: false, previous };
  }
  if (isScalar(existing)) {
    existing.value = value;
    if (existing.type === 'PLAIN' && looksNonString(value)) {
      existing.type = 'QUOTE_DOUBLE';
    }
  } else {
    const node = doc.createNode(value);
    if (looksNonString(value)) {
      node.type = 'QUOTE_DOUBLE';
    }
    doc.setIn(path, node);
  }
  return { text: doc.toString(), changed: true, previous };
}

/** Whether a plain YAML scalar with this text would not load as a string. */
function looksNonString(value: string): boolean {
  const doc = parseDocument(value);
  return typeof doc.contents === 'object' && isScalar(doc.contents)
    ? typeof doc.contents.value !== 'string'
    : true;
}
