/**
 * A tiny, deterministic stand-in for `helm template` of the emulator's chart:
 * merged values → a Service and a Deployment. Pure.
 */
import { parse as parseYaml } from 'yaml';
import type { ApplicationSource, KubeObject } from './types';

/** Thrown when values cannot be rendered (surfaced as a ComparisonError / failed sync). @public */
export class RenderError extends Error {}

/** Deep merge (objects merge, everything else replaces), as Helm merges values. @public */
export function mergeValues(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    const cur = out[k];
    if (isPlainObject(cur) && isPlainObject(v)) out[k] = mergeValues(cur, v);
    else out[k] = v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a Helm `--set` value (bool/int/null/string) unless forceString. */
function setValue(raw: string, forceString?: boolean): unknown {
  if (forceString) return raw;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9]\d*)$/.test(raw) && Number.isSafeInteger(Number(raw)))
    return Number(raw);
  return raw;
}

/** Applies Helm parameters (`a.b.c=value`) to values; returns a new object. @public */
export function applyHelmParameters(
  values: Record<string, unknown>,
  parameters:
    | { name: string; value?: string; forceString?: boolean }[]
    | undefined,
): Record<string, unknown> {
  let out = values;
  for (const p of parameters ?? []) {
    const path = p.name.split(/(?<!\\)\./).map(s => s.replace(/\\\./g, '.'));
    const patch: Record<string, unknown> = {};
    let cur = patch;
    path.forEach((seg, i) => {
      if (i === path.length - 1)
        cur[seg] = setValue(p.value ?? '', p.forceString);
      else {
        const next: Record<string, unknown> = {};
        cur[seg] = next;
        cur = next;
      }
    });
    out = mergeValues(out, patch);
  }
  return out;
}

/** Parses a YAML values document; an empty document is `{}`. @public */
export function parseValues(
  text: string,
  file: string,
): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new RenderError(`failed to parse ${file}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlainObject(doc))
    throw new RenderError(`${file}: values must be a YAML mapping`);
  return doc;
}

/** Effective values: value files in order, then `helm.values`, `helm.valuesObject`, parameters. @public */
export function effectiveValues(
  valueFiles: { name: string; text: string }[],
  source: ApplicationSource,
): Record<string, unknown> {
  let values: Record<string, unknown> = {};
  for (const f of valueFiles)
    values = mergeValues(values, parseValues(f.text, f.name));
  if (source.helm?.values)
    values = mergeValues(
      values,
      parseValues(source.helm.values, 'helm.values'),
    );
  if (isPlainObject(source.helm?.valuesObject))
    values = mergeValues(values, source.helm!.valuesObject!);
  return applyHelmParameters(values, source.helm?.parameters);
}

/** Chart.yaml fields the renderer uses. @public */
export interface ChartMeta {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
}

/** Everything a render needs. @public */
export interface RenderInput {
  appName: string;
  releaseName?: string;
  namespace: string;
  chart: ChartMeta;
  values: Record<string, unknown>;
}

/** The image reference a values object describes. @public */
export function imageOf(values: Record<string, unknown>): string {
  const image = values.image;
  if (!isPlainObject(image))
    throw new RenderError(
      'values: image must be a mapping with repository and tag',
    );
  const repo = image.repository;
  const tag = image.tag;
  if (typeof repo !== 'string' || repo === '')
    throw new RenderError(
      'values: image.repository must be a non-empty string',
    );
  if (tag === undefined || tag === null || tag === '')
    throw new RenderError('values: image.tag must be set');
  return `${repo}:${String(tag)}`;
}

function intValue(v: unknown, dflt: number, what: string): number {
  if (v === undefined || v === null) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new RenderError(`values: ${what} must be a non-negative integer`);
  return n;
}

/** Extra containers from values (`initContainers`, `sidecars`): `{name, image, restartPolicy?}` each. */
function extraContainers(v: unknown, what: string): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw new RenderError(`values: ${what} must be a list of containers`);
  return v.map((c, i) => {
    if (
      !isPlainObject(c) ||
      typeof c.name !== 'string' ||
      typeof c.image !== 'string'
    )
      throw new RenderError(`values: ${what}[${i}] needs a name and an image`);
    return {
      name: c.name,
      image: c.image,
      ...(Array.isArray(c.args) ? { args: c.args } : {}),
      // restartPolicy Always on an init container = a Kubernetes native sidecar
      ...(c.restartPolicy === 'Always' ? { restartPolicy: 'Always' } : {}),
    };
  });
}

/** Annotation that makes a manifest an Argo CD resource hook. @public */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';

/** Whether a rendered object is a resource hook (run by a sync, never compared). @public */
export function isHook(o: KubeObject): boolean {
  return Boolean(o.metadata?.annotations?.[HOOK_ANNOTATION]);
}

/**
 * Renders the chart: Service + Deployment, in Argo CD's kind order, plus a
 * PostSync smoke-test Job (a resource hook) when `smokeTest.enabled` is set. The pod
 * has the app's container first, then `sidecars` (service mesh proxy, log
 * shipper, ...) and `initContainers`, as injected/added charts produce them.
 * @public
 */
export function renderManifests(input: RenderInput): KubeObject[] {
  const { values, chart, namespace } = input;
  const release = input.releaseName || input.appName;
  const image = imageOf(values);
  const replicas = intValue(values.replicaCount, 1, 'replicaCount');
  const service = isPlainObject(values.service) ? values.service : {};
  const port = intValue(service.port, 80, 'service.port');
  const containerPort = intValue(values.containerPort, 8080, 'containerPort');
  const selector = {
    'app.kubernetes.io/name': chart.name,
    'app.kubernetes.io/instance': release,
  };
  const labels: Record<string, string> = {
    ...selector,
    'app.kubernetes.io/managed-by': 'Helm',
    'helm.sh/chart': `${chart.name}-${chart.version}`,
  };
  const tag = image.slice(image.lastIndexOf(':') + 1);
  labels['app.kubernetes.io/version'] = tag;
  const env = Array.isArray(values.env) ? values.env : [];
  const sidecars = extraContainers(values.sidecars, 'sidecars');
  const initContainers = extraContainers(
    values.initContainers,
    'initContainers',
  );
  const smoke = isPlainObject(values.smokeTest) && values.smokeTest.enabled;
  const hooks: KubeObject[] = smoke
    ? [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: {
            name: `${release}-smoke-test`,
            namespace,
            labels,
            annotations: {
              [HOOK_ANNOTATION]: 'PostSync',
              'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
            },
          },
          spec: {
            backoffLimit: 0,
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [
                  { name: 'smoke-test', image, args: ['smoke-test'] },
                ],
              },
            },
          },
        },
      ]
    : [];
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: release, namespace, labels },
      spec: {
        type: typeof service.type === 'string' ? service.type : 'ClusterIP',
        ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }],
        selector,
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: release, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            ...(initContainers.length ? { initContainers } : {}),
            containers: [
              {
                name: chart.name,
                image,
                ports: [{ name: 'http', containerPort, protocol: 'TCP' }],
                ...(env.length ? { env } : {}),
              },
              ...sidecars,
            ],
          },
        },
      },
    },
    ...hooks,
  ];
}
