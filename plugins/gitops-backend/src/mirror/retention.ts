/**
 * What a mirror keeps of an application. Pure.
 *
 * Only applications a binding can map to a catalog entity are kept whole:
 * those whose own annotation names an entity (`gitops.bindings.entityAnnotation`,
 * when `applicationAnnotations` is on) or that a platform rule matches. An
 * entity can read nothing of any other application (the read side refuses
 * it with the binding's reason), so of those only the facts that reason and
 * the list filters need are kept: name, namespace, project, labels, and the
 * binding annotations.
 */
import { matchesApplication } from '../binding/decideBinding';
import { BindingConfig } from '../binding/types';
import { ArgoApplication } from '../argocd/types';

/** Whether a binding could map the application to some entity. */
export function isBindable(
  bindings: BindingConfig,
  instance: string,
  app: ArgoApplication,
): boolean {
  if (
    bindings.applicationAnnotations &&
    app.metadata.annotations?.[bindings.entityAnnotation]?.trim()
  ) {
    return true;
  }
  const facts = {
    instance,
    name: app.metadata.name,
    project: app.spec?.project,
    labels: app.metadata.labels,
    annotations: app.metadata.annotations,
  };
  return bindings.rules.some(r => matchesApplication(r.match, facts));
}

/** The small stand-in kept for an application no binding maps. */
export function skeletonOf(
  bindings: BindingConfig,
  app: ArgoApplication,
): ArgoApplication {
  const annotations: Record<string, string> = {};
  for (const key of [bindings.entityAnnotation, bindings.pipelineAnnotation]) {
    const v = app.metadata.annotations?.[key];
    if (v !== undefined) annotations[key] = v;
  }
  return {
    metadata: {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: app.metadata.labels,
      annotations: Object.keys(annotations).length ? annotations : undefined,
      resourceVersion: app.metadata.resourceVersion,
    },
    spec: {
      project: app.spec?.project,
      destination: {},
    },
  } as ArgoApplication;
}

/** Application fields the read side uses (everything else, e.g. managedFields, is not sent). */
export const APPLICATION_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.labels',
  'metadata.annotations',
  'metadata.resourceVersion',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'spec',
  'operation',
  'status.sync',
  'status.health',
  'status.history',
  'status.operationState',
  'status.resources',
  'status.summary',
  'status.conditions',
  'status.reconciledAt',
  'status.sourceType',
  'status.sourceTypes',
];

/** `fields` of the list call (`GET /api/v1/applications`). */
export const LIST_FIELDS = [
  'metadata.resourceVersion',
  ...APPLICATION_FIELDS.map(f => `items.${f}`),
];

/** `fields` of the watch (`GET /api/v1/stream/applications`). */
export const WATCH_FIELDS = [
  'result.type',
  ...APPLICATION_FIELDS.map(f => `result.application.${f}`),
];
