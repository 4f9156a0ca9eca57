import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BindingApplication,
  BindingConfig,
  BindingDecision,
  BindingEntity,
  BindingMatch,
} from './types';

interface Claim {
  via: string;
  entities: string[];
  owners: string[];
  pipelines?: string[];
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

function normaliseRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'component' }),
    );
  } catch {
    return undefined;
  }
}

function glob(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map(ch => {
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      return ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Whether a rule's match covers the application. Pure. */
export function matchesApplication(
  match: BindingMatch,
  app: BindingApplication,
): boolean {
  if (match.instances && !match.instances.includes(app.instance)) return false;
  if (match.projects && !(app.project && match.projects.includes(app.project)))
    return false;
  if (match.names && !match.names.some(n => glob(n).test(app.name)))
    return false;
  for (const [k, v] of Object.entries(match.labels ?? {})) {
    if (app.labels?.[k] !== v) return false;
  }
  return true;
}

function claimsOf(cfg: BindingConfig, app: BindingApplication): Claim[] {
  const claims: Claim[] = [];
  if (cfg.applicationAnnotations) {
    const raw = app.annotations?.[cfg.entityAnnotation]?.trim();
    if (raw) {
      claims.push({
        via: `annotation ${cfg.entityAnnotation} of the Argo CD Application`,
        entities: list(raw).map(r => normaliseRef(r) ?? `invalid ref '${r}'`),
        owners: [],
        pipelines: list(app.annotations?.[cfg.pipelineAnnotation]).length
          ? list(app.annotations?.[cfg.pipelineAnnotation])
          : undefined,
      });
    }
  }
  for (const rule of cfg.rules) {
    if (matchesApplication(rule.match, app)) {
      claims.push({
        via: rule.path,
        entities: rule.entities,
        owners: rule.owners,
        pipelines: rule.pipelines,
      });
    }
  }
  return claims;
}

/**
 * May `entity` steer `app` under `pipeline`? Decided only from what the
 * application side controls (its annotations) and the platform config. Pure.
 *
 * - bound when the Application's annotation names the entity, or a rule
 *   matching the application lists the entity or one of its owners;
 * - two different entities named for one application (annotation and rules
 *   together) are a configuration error for every entity that asks;
 * - the pipeline must be one the binding names (else the default pipeline):
 *   an entity cannot move an application to a pipeline with fewer gates.
 */
export function decideBinding(
  cfg: BindingConfig,
  app: BindingApplication,
  entity: BindingEntity,
  pipeline: string,
): BindingDecision {
  const what = `Argo CD application '${app.name}' on instance '${app.instance}'`;
  const claims = claimsOf(cfg, app);
  const named = [...new Set(claims.flatMap(c => c.entities))];
  if (named.length > 1) {
    return {
      bound: false,
      conflict: true,
      reason: `${what} is bound to more than one entity (${claims
        .filter(c => c.entities.length)
        .map(c => `${c.entities.join(', ')} by ${c.via}`)
        .join(
          '; ',
        )}): a configuration error; nothing can be changed until exactly one binding remains`,
    };
  }
  const grants = claims.filter(
    c =>
      c.entities.includes(entity.ref) ||
      c.owners.some(o => entity.owners.includes(o)),
  );
  if (grants.length === 0) {
    const bound = claims.length
      ? `it is bound to ${
          [
            ...named,
            ...claims.flatMap(c => c.owners.map(o => `entities owned by ${o}`)),
          ].join(', ') || 'nobody'
        } (${claims.map(c => c.via).join('; ')})`
      : `it names no entity (annotation ${cfg.entityAnnotation}) and no gitops.bindings rule maps it`;
    return {
      bound: false,
      conflict: false,
      reason: `${what} is not bound to ${entity.ref}: ${bound}. This entity can neither read nor change it.`,
    };
  }
  const namedPipelines = [...new Set(grants.flatMap(c => c.pipelines ?? []))];
  let pipelines = namedPipelines;
  if (!pipelines.length && cfg.defaultPipeline) {
    pipelines = [cfg.defaultPipeline];
  }
  if (!pipelines.includes(pipeline)) {
    return {
      bound: false,
      conflict: false,
      reason: `${what} runs under pipeline ${
        pipelines.length
          ? pipelines.map(p => `'${p}'`).join(' or ')
          : '(none named)'
      } (${grants
        .map(c => c.via)
        .join(
          '; ',
        )}), not '${pipeline}': an entity's gitops/pipeline cannot choose another pipeline for it.`,
    };
  }
  return { bound: true, via: grants.map(c => c.via), pipelines };
}

/**
 * Namespaces whose Helm releases `entity` may read next to `app`, which its
 * binding lets it steer: the namespace the application deploys to
 * (`spec.destination.namespace`) and the `helmNamespaces` of the platform
 * rules that match the application and bind this entity. An entity's
 * `gitops/helm-release` cannot reach other namespaces of the cluster. Pure.
 */
export function allowedHelmNamespaces(
  cfg: BindingConfig,
  app: BindingApplication & { destinationNamespace?: string },
  entity: BindingEntity,
): string[] {
  const fromRules = cfg.rules
    .filter(
      r =>
        matchesApplication(r.match, app) &&
        (r.entities.includes(entity.ref) ||
          r.owners.some(o => entity.owners.includes(o))),
    )
    .flatMap(r => r.helmNamespaces ?? []);
  return [
    ...new Set(
      [app.destinationNamespace, ...fromRules].filter((n): n is string => !!n),
    ),
  ];
}
