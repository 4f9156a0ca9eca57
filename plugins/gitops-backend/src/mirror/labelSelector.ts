/**
 * Kubernetes label selectors (the `?selector=` form Argo CD takes) matched
 * against an application's labels, so that a live mirror answers selector
 * lists itself. Pure. `undefined` from {@link parseLabelSelector}: a selector
 * we do not understand (the caller asks Argo CD, which answers the error).
 */

type Requirement = (labels: Record<string, string>) => boolean;

const KEY =
  /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE = /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?$/;

function splitTopLevel(input: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of input) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth < 0 || depth > 1) return undefined;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (depth !== 0) return undefined;
  parts.push(cur);
  return parts;
}

function requirement(raw: string): Requirement | undefined {
  const s = raw.trim();
  let m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(s);
  if (m) {
    const [, key, op, list] = m;
    const values = list.split(',').map(v => v.trim());
    if (!KEY.test(key) || values.some(v => !VALUE.test(v))) return undefined;
    return op === 'in'
      ? l => key in l && values.includes(l[key])
      : l => !(key in l) || !values.includes(l[key]);
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(s);
  if (m) {
    const [, key, op, value] = m;
    if (!KEY.test(key) || !VALUE.test(value)) return undefined;
    return op === '!='
      ? l => l[key] !== value
      : l => key in l && l[key] === value;
  }
  m = /^(!?)\s*(\S+)$/.exec(s);
  if (m && KEY.test(m[2])) {
    const [, not, key] = m;
    return not ? l => !(key in l) : l => key in l;
  }
  return undefined;
}

/** A matcher for `selector`; every labels object matches the empty selector. */
export function parseLabelSelector(
  selector: string | undefined,
): ((labels: Record<string, string> | undefined) => boolean) | undefined {
  if (!selector || !selector.trim()) return () => true;
  const parts = splitTopLevel(selector);
  if (!parts) return undefined;
  const reqs: Requirement[] = [];
  for (const p of parts) {
    const r = requirement(p);
    if (!r) return undefined;
    reqs.push(r);
  }
  return labels => reqs.every(r => r(labels ?? {}));
}
