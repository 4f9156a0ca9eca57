/**
 * `metadata.managedFields` of an Application as the Kubernetes API server
 * records them (server-side field tracking) and Argo CD returns them:
 * `argocd-server` owns what the API writes (metadata labels, annotations,
 * finalizers, spec, operation), `argocd-application-controller` owns status.
 * Shape as in a recorded sync response (test-data/argocd-samples/sync-response.json):
 * `{manager, operation: Update, apiVersion, time, fieldsType: FieldsV1, fieldsV1}`,
 * `fieldsV1` a tree of `f:<field>` keys with `.` for the object itself and
 * `v:<json>` for the members of a list used as a set. Pure.
 */
import type { Application } from '../../logic/types';

type FieldSet = Record<string, unknown>;

/** The FieldsV1 tree of a JSON value: objects recurse; lists of strings are sets; other values are leaves. */
export function fieldsV1(value: unknown): FieldSet {
  if (Array.isArray(value)) {
    if (value.length && value.every(v => typeof v === 'string'))
      return Object.fromEntries([
        ['.', {}],
        ...value.map(v => [`v:${JSON.stringify(v)}`, {}]),
      ]);
    return {};
  }
  if (value && typeof value === 'object') {
    const out: FieldSet = { '.': {} };
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      if (v !== undefined) out[`f:${k}`] = fieldsV1(v);
    return out;
  }
  return {};
}

function entry(manager: string, time: string, fields: FieldSet) {
  return {
    manager,
    operation: 'Update',
    apiVersion: 'argoproj.io/v1alpha1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
}

/** The managedFields of `app` (whose status is composed): server fields at `serverTime`, status at `statusTime`. */
export function managedFieldsOf(
  app: Application,
  serverTime: string,
  statusTime: string,
) {
  const meta: FieldSet = {};
  for (const k of ['labels', 'annotations', 'finalizers'] as const)
    if (app.metadata[k] !== undefined)
      meta[`f:${k}`] = fieldsV1(app.metadata[k]);
  const server: FieldSet = {
    ...(Object.keys(meta).length ? { 'f:metadata': meta } : {}),
    'f:spec': fieldsV1(app.spec),
    ...(app.operation ? { 'f:operation': fieldsV1(app.operation) } : {}),
  };
  const status = app.status ?? {};
  const controller: FieldSet = {
    'f:status': Object.fromEntries(
      Object.keys(status).map(k => [`f:${k}`, {}]),
    ),
  };
  return [
    entry('argocd-application-controller', statusTime, controller),
    entry('argocd-server', serverTime, server),
  ];
}
