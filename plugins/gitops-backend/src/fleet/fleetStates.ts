import {
  FleetEnvironment,
  FleetPromotion,
  FleetState,
  FLEET_STATES,
} from '@internal/plugin-gitops-common';

/**
 * The states of one environment (see `FleetState`): OutOfSync, Degraded or
 * Missing health, an open change, a closed policy window, a version waiting
 * to be promoted into it. Pure.
 *
 * @internal
 */
export function environmentStates(
  env: FleetEnvironment,
  waiting: FleetPromotion[],
): FleetState[] {
  const states = new Set<FleetState>();
  if (env.syncStatus === 'OutOfSync') states.add('out-of-sync');
  if (env.health === 'Degraded' || env.health === 'Missing') {
    states.add('degraded');
  }
  if (env.pendingChange) states.add('pending-change');
  if (env.window && !env.window.open) states.add('blocked-by-window');
  if (waiting.some(w => w.to === env.name)) states.add('promotable');
  return FLEET_STATES.filter(s => states.has(s));
}

/** The union of the environments' states, in `FLEET_STATES` order. Pure. @internal */
export function entityStates(
  envs: FleetEnvironment[],
  waiting: FleetPromotion[],
): FleetState[] {
  const all = new Set(envs.flatMap(e => environmentStates(e, waiting)));
  return FLEET_STATES.filter(s => all.has(s));
}

/** Whether an entity is in any of the wanted states (every entity when none is asked for). Pure. @internal */
export function matchesStates(
  states: FleetState[],
  wanted: FleetState[] | undefined,
): boolean {
  return !wanted?.length || wanted.some(s => states.includes(s));
}
