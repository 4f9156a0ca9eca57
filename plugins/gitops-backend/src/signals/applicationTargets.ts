import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { ArgoApplication } from '../argocd/types';
import { matchesApplication } from '../binding/decideBinding';
import type { BindingConfig } from '../binding/types';
import { environmentOfApplication } from '../pipeline/entityMapping';
import type { PipelineSet } from '../pipeline/Pipeline';

/** Whose tabs show an Argo CD application, as far as the application side says. @internal */
export interface ApplicationTargets {
  /** Entities the application is bound to by name (its annotation, rules' `entities`). */
  entityRefs: string[];
  /** Owner groups of rules that bind it (`owners`): every entity they own may show it. */
  ownerRefs: string[];
  /** Environments it is, in the pipelines its binding allows (may be empty when none matches). */
  environments: string[];
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

function normalise(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind: 'component' }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Which entities (and which of their environments) an application's change
 * concerns, from the same facts the binding is decided on (see
 * `binding/decideBinding`): the Application's entity annotation and the
 * platform's `gitops.bindings` rules; the environment from the pipelines the
 * binding names (else the default pipeline). Pure.
 *
 * This only decides whom to tell "look again"; what a tab then shows is
 * decided by the read routes, binding included. So a wider answer (an
 * entity that claims the application but is not allowed it) costs a
 * refetch, never a leak.
 *
 * @internal
 */
export function applicationTargets(
  app: ArgoApplication,
  instance: string,
  bindings: BindingConfig,
  pipelines: PipelineSet,
): ApplicationTargets {
  const entityRefs = new Set<string>();
  const ownerRefs = new Set<string>();
  const pipelineNames = new Set<string>();
  const annotations = app.metadata.annotations ?? {};
  if (bindings.applicationAnnotations) {
    const named = list(annotations[bindings.entityAnnotation])
      .map(normalise)
      .filter((r): r is string => !!r);
    named.forEach(r => entityRefs.add(r));
    if (named.length) {
      list(annotations[bindings.pipelineAnnotation]).forEach(p =>
        pipelineNames.add(p),
      );
    }
  }
  const facts = {
    instance,
    name: app.metadata.name,
    project: app.spec?.project,
    labels: app.metadata.labels,
    annotations,
  };
  for (const rule of bindings.rules) {
    if (!matchesApplication(rule.match, facts)) continue;
    rule.entities.forEach(r => entityRefs.add(normalise(r) ?? r));
    rule.owners.forEach(o => ownerRefs.add(o));
    rule.pipelines?.forEach(p => pipelineNames.add(p));
  }
  if (pipelineNames.size === 0) {
    const fallback = bindings.defaultPipeline ?? pipelines.defaultPipeline;
    if (fallback) pipelineNames.add(fallback);
  }
  const environments = new Set<string>();
  for (const name of pipelineNames) {
    const pipeline = pipelines.pipelines.get(name);
    const env = pipeline && environmentOfApplication(pipeline, facts);
    if (env) environments.add(env);
  }
  return {
    entityRefs: [...entityRefs],
    ownerRefs: [...ownerRefs],
    environments: [...environments],
  };
}
