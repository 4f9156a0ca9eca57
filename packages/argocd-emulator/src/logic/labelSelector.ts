/**
 * Kubernetes label selector parsing and matching (the string form used in
 * `?selector=` / `?labelSelector=`): `k=v`, `k==v`, `k!=v`, `k`, `!k`,
 * `k in (a,b)`, `k notin (a,b)`, comma-separated requirements ANDed.
 */

/** One parsed requirement. @public */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; values: [string] }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists'; values: [] };

/** Thrown for a selector Kubernetes would reject. @public */
export class LabelSelectorError extends Error {}

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0)
      throw new LabelSelectorError(`unbalanced parentheses in "${input}"`);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (depth !== 0)
    throw new LabelSelectorError(`unbalanced parentheses in "${input}"`);
  parts.push(cur);
  return parts;
}

function checkKey(key: string, whole: string) {
  if (!KEY.test(key)) {
    throw new LabelSelectorError(
      `invalid label key "${key}" in selector "${whole}"`,
    );
  }
}
function checkValue(value: string, whole: string) {
  if (value.length > 63 || !VALUE.test(value)) {
    throw new LabelSelectorError(
      `invalid label value "${value}" in selector "${whole}"`,
    );
  }
}

/** Parses a selector string; empty string = matches everything. @public */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const trimmed = selector.trim();
  if (trimmed === '') return [];
  return splitTopLevel(trimmed).map(raw => {
    const part = raw.trim();
    if (part === '')
      throw new LabelSelectorError(
        `empty requirement in selector "${selector}"`,
      );
    let m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3].split(',').map(v => v.trim());
      checkKey(m[1], selector);
      values.forEach(v => checkValue(v, selector));
      return { key: m[1], op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (m) {
      checkKey(m[1], selector);
      const value = m[3].trim();
      checkValue(value, selector);
      return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', values: [value] };
    }
    m = /^(!?)\s*([^!=\s()]+)$/.exec(part);
    if (m) {
      checkKey(m[2], selector);
      return { key: m[2], op: m[1] ? 'notexists' : 'exists', values: [] };
    }
    throw new LabelSelectorError(
      `unable to parse requirement "${part}" in selector "${selector}"`,
    );
  });
}

/** Whether a label set satisfies every requirement. @public */
export function matchesLabelSelector(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.values[0];
      case 'neq':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}
