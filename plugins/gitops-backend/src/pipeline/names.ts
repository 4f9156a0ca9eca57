import { CommonValidatorFunctions as K8s } from '@backstage/catalog-model';

/**
 * Validators for every name that ends up in an Argo CD or Kubernetes URL or
 * query. Each returns `undefined` when the value is valid, else a short
 * reason (without the annotation, which the caller adds). Pure.
 */

const DNS_LABEL =
  "DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
const DNS_SUBDOMAIN =
  "DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters";

/** A Kubernetes namespace (also Argo CD's application namespace). */
export function checkNamespace(value: string): string | undefined {
  return K8s.isValidDnsLabel(value)
    ? undefined
    : `namespace '${value}' is not a valid Kubernetes namespace (${DNS_LABEL})`;
}

/** An Argo CD application name (a Kubernetes object name). */
export function checkApplicationName(value: string): string | undefined {
  return K8s.isValidDnsSubdomain(value)
    ? undefined
    : `'${value}' is not a valid Argo CD application name (${DNS_SUBDOMAIN})`;
}

/** An Argo CD project name (a Kubernetes object name). */
export function checkProjectName(value: string): string | undefined {
  return K8s.isValidDnsSubdomain(value)
    ? undefined
    : `'${value}' is not a valid Argo CD project name (${DNS_SUBDOMAIN})`;
}

/** A Helm release name: what `helm install` accepts (DNS-1123 subdomain, at most 53 characters). */
export function checkHelmReleaseName(value: string): string | undefined {
  return K8s.isValidDnsSubdomain(value) && value.length <= 53
    ? undefined
    : `'${value}' is not a valid Helm release name (lowercase letters, digits, '-' and '.', at most 53 characters)`;
}

/** A pipeline environment name as used in annotations and routes. */
export function checkEnvironmentName(value: string): string | undefined {
  return /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/.test(value)
    ? undefined
    : `'${value}' is not an environment name (letters, digits, '_' and '-', at most 63 characters)`;
}

const SELECTOR_TERM =
  /^\s*!?\s*[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?\s*((==?|!=)\s*[A-Za-z0-9._-]*|\s+(in|notin)\s*\(\s*[A-Za-z0-9._-]*(\s*,\s*[A-Za-z0-9._-]*)*\s*\))?\s*$/;

/**
 * A Kubernetes label selector (`a=b,c!=d,e in (x,y),!f`): each requirement is
 * a label key, optionally an operator and values. At most 1024 characters.
 */
export function checkLabelSelector(value: string): string | undefined {
  const bad = `'${value}' is not a Kubernetes label selector (e.g. 'app=api,env in (dev,prod)')`;
  if (value.length > 1024) return bad;
  // split on commas outside parentheses
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth < 0) return bad;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  if (depth !== 0) return bad;
  return terms.every(t => SELECTOR_TERM.test(t)) ? undefined : bad;
}
