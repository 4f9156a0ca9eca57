import {
  EnvironmentState,
  FleetEnvironment,
} from '@internal/plugin-gitops-common';
import type { OpenChangeSummary } from '../store/openChanges';

/**
 * One environment of the tab's state as the fleet shows it, with its open
 * change and window. Only a running operation is kept. Pure.
 *
 * @internal
 */
export function toFleetEnvironment(
  s: EnvironmentState,
  pending: OpenChangeSummary | undefined,
  window: FleetEnvironment['window'],
): FleetEnvironment {
  const op = s.operation;
  const running = op && (op.phase === 'Running' || op.phase === 'Terminating');
  return {
    name: s.name,
    order: s.order,
    ...(s.promotesFrom ? { promotesFrom: s.promotesFrom } : {}),
    ...(s.application
      ? {
          application: {
            name: s.application.name,
            instance: s.application.instance,
            ...(s.application.url ? { url: s.application.url } : {}),
          },
        }
      : {}),
    ...(s.version ? { version: s.version } : {}),
    ...versionStatus(s),
    ...(s.syncStatus ? { syncStatus: s.syncStatus } : {}),
    ...(s.health ? { health: s.health.status } : {}),
    ...(running
      ? {
          operation: {
            phase: op!.phase,
            ...(op!.startedAt ? { startedAt: op!.startedAt } : {}),
            ...(op!.changeId ? { changeId: op!.changeId } : {}),
          },
        }
      : {}),
    ...(pending
      ? {
          pendingChange: {
            id: pending.id,
            state: pending.state,
            kind: pending.kind,
            ...(pending.version ? { version: pending.version } : {}),
          },
        }
      : {}),
    ...(window ? { window } : {}),
    ...(s.error ? { error: s.error } : {}),
  };
}

function versionStatus(
  s: EnvironmentState,
): Pick<FleetEnvironment, 'versionStatus'> {
  if (s.versionIdentity) return { versionStatus: s.versionIdentity.status };
  return s.version ? { versionStatus: 'known' } : {};
}
