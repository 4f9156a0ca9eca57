import { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { BindingConfig } from '../binding/types';
import { DeploymentService } from '../deployments/DeploymentService';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { PipelineSet } from '../pipeline';
import { GitOpsStateService } from '../state/GitOpsStateService';

/** What the fleet's read side is built from (the tab's collaborators). @internal */
export interface FleetReadSideOptions {
  client: ArgoCdClient;
  pipelines: PipelineSet;
  bindings?: BindingConfig;
  deployments?: DeploymentService;
  mirrors?: ApplicationMirrors;
  logger?: LoggerService;
}

/** Calls within this time share one look at the deployment record. */
const FRESHEN_SHARE_MS = 1_000;

/**
 * The deployment service as a fleet view uses it:
 * - `changedInstances` is shared by the calls of one view: the read side asks
 *   it once per entity, which for 700 entities would be 700 queries. The first
 *   call queries; calls within the next second wait for it (and its
 *   invalidation of the read cache, which runs first) and see nothing new;
 * - `observe` (the health observations the tab records, one write per
 *   application every 30 s) is not done: a fleet view is a read of
 *   thousands of applications and writes nothing;
 * - every other method is the service's own.
 *
 * @internal
 */
export function fleetDeployments(
  deployments: DeploymentService,
  now: () => number = Date.now,
): DeploymentService {
  let last: { at: number; done: Promise<unknown> } | undefined;
  const changedInstances = () => {
    const t = now();
    if (last && t - last.at < FRESHEN_SHARE_MS) {
      return last.done.then(
        () => [] as string[],
        () => [] as string[],
      );
    }
    const done = deployments.changedInstances();
    last = { at: t, done };
    return done;
  };
  const observeNothing = async () => undefined;
  return new Proxy(deployments, {
    get(target, prop) {
      if (prop === 'changedInstances') return changedInstances;
      if (prop === 'observe') return observeNothing;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The fleet's read side: the tab's `GitOpsStateService` (same locator,
 * bindings, mirrors, read cache and version identity), without its window
 * reads — Argo CD's syncwindows endpoint is one call per application; the
 * fleet evaluates the policy windows itself, once per pipeline environment —
 * and with the deployment record looked at once per view and no health
 * observations written ({@link fleetDeployments}).
 *
 * @internal
 */
export function createFleetReadSide(
  o: FleetReadSideOptions,
): GitOpsStateService {
  return GitOpsStateService.create({
    client: o.client,
    pipelines: o.pipelines,
    bindings: o.bindings,
    deployments: o.deployments ? fleetDeployments(o.deployments) : undefined,
    mirrors: o.mirrors,
    logger: o.logger,
  });
}
