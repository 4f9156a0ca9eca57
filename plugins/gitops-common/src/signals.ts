/**
 * Live updates through Backstage signals: the channels the GitOps backend
 * publishes on and what their messages carry.
 *
 * Signals are broadcast (every signed-in browser that subscribes to a channel
 * receives its messages; Backstage cannot check the catalog visibility of an
 * entity for each recipient). So a message carries only ids, refs, state names
 * and timestamps, never a version, a commit, a reason or anything read from
 * Argo CD: it only says "look again", and the browser refetches through the
 * authorized API, which applies the caller's visibility and permissions.
 */
import type { ChangeState } from './changes';

/** Channel of the approvals inbox: every change request transition. @public */
export const GITOPS_CHANGES_CHANNEL = 'gitops:changes';

/**
 * Channel of the fleet page: something changed somewhere (an environment, a
 * change request). At most one message per second; no refs at all.
 *
 * @public
 */
export const GITOPS_FLEET_CHANNEL = 'gitops:fleet';

/**
 * Channel of one entity's GitOps tab: its environments and its change
 * requests, e.g. `gitops:entity:component:default/python-api-base`.
 *
 * @public
 */
export function gitopsEntityChannel(entityRef: string): string {
  return `gitops:entity:${entityRef}`;
}

/** A change request that moved, and the state it reached. @public */
export type GitOpsSignalChange = {
  id: string;
  state: ChangeState;
};

/**
 * Message on {@link gitopsEntityChannel}. Several events of one entity within
 * the coalescing window arrive as one message.
 *
 * @public
 */
export type GitOpsEntitySignal = {
  entityRef: string;
  /** Environments whose Argo CD state changed (names only). */
  environments: string[];
  /** The entity's change requests that moved. */
  changes: Array<GitOpsSignalChange & { environment: string }>;
  /** When the backend saw the first coalesced event (ms since the epoch). */
  observedAt: number;
  /** When the backend published this message (ms since the epoch). */
  sentAt: number;
};

/** Message on {@link GITOPS_CHANGES_CHANNEL} (no entity refs: the channel is the whole fleet's). @public */
export type GitOpsChangesSignal = {
  changes: GitOpsSignalChange[];
  /** When the backend saw the first coalesced transition (ms since the epoch). */
  observedAt: number;
  /** When the backend published this message (ms since the epoch). */
  sentAt: number;
};

/** Message on {@link GITOPS_FLEET_CHANNEL}: only when something moved; the fleet page refetches what it shows. @public */
export type GitOpsFleetSignal = {
  /** When the backend saw the first coalesced event (ms since the epoch). */
  observedAt: number;
  /** When the backend published this message (ms since the epoch). */
  sentAt: number;
};
