import {
  ChangeRequest,
  ChangeRequestDetail,
} from '@internal/plugin-gitops-common';
import { StoredChange } from '../store/ChangeStore';

/** The API view of a stored change (no claims, no execution internals). @internal */
export function toApiChange(c: StoredChange): ChangeRequest {
  return {
    id: c.id,
    entityRef: c.entityRef,
    environment: c.environment,
    kind: c.kind,
    state: c.state,
    ...(c.version ? { version: c.version } : {}),
    ...(c.fromVersion ? { fromVersion: c.fromVersion } : {}),
    ...(c.sourceEnvironment ? { sourceEnvironment: c.sourceEnvironment } : {}),
    ...(c.rollbackTo ? { rollbackTo: c.rollbackTo } : {}),
    requestedBy: c.requestedBy,
    ...(c.reason ? { reason: c.reason } : {}),
    override: c.override,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    checks: c.checks,
    approvals: c.approvals.map(({ claims: _claims, ...a }) => a),
    requiredApprovals: c.requiredApprovals,
    ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
    ...(c.state === 'waiting_for_window' && c.runAfter
      ? { runAfter: c.runAfter }
      : {}),
    ...(c.result ? { result: c.result } : {}),
    ...(c.target
      ? {
          target: {
            instance: c.target.instance,
            application: c.target.application,
            ...(c.target.appNamespace
              ? { appNamespace: c.target.appNamespace }
              : {}),
            ...(c.target.project ? { project: c.target.project } : {}),
            pipeline: c.pipeline,
            ...(c.target.writeBack ? { writeBack: c.target.writeBack } : {}),
          },
        }
      : {}),
  };
}

/** The API view of a change with its events (requester claims removed). @internal */
export function toApiDetail(
  c: StoredChange & Pick<ChangeRequestDetail, 'events'>,
): ChangeRequestDetail {
  return {
    ...toApiChange(c),
    events: c.events.map(e => {
      if (!e.data || !('requesterClaims' in e.data)) return e;
      const { requesterClaims: _claims, ...data } = e.data;
      return { ...e, data };
    }),
  };
}
