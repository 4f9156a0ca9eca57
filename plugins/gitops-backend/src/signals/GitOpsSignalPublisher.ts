import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ChangeState,
  GITOPS_CHANGES_CHANNEL,
  GITOPS_FLEET_CHANNEL,
  GitOpsChangesSignal,
  GitOpsEntitySignal,
  GitOpsFleetSignal,
  gitopsEntityChannel,
} from '@internal/plugin-gitops-common';
import { Coalescer, CoalescerTimers } from './Coalescer';

/** Default coalescing window: at most one message per channel per 250 ms. @internal */
export const DEFAULT_SIGNAL_WINDOW_MS = 250;
/** Coalescing window of the fleet channel: at most one message per second. @internal */
export const FLEET_SIGNAL_WINDOW_MS = 1000;

/** What the publisher is told of a change request that moved. @internal */
export interface MovedChange {
  id: string;
  entityRef: string;
  environment: string;
  state: ChangeState;
}

interface EntityPending {
  environments: Set<string>;
  changes: Map<string, { id: string; environment: string; state: ChangeState }>;
  observedAt: number;
}

interface InboxPending {
  changes: Map<string, ChangeState>;
  observedAt: number;
}

/**
 * Publishes the GitOps live updates as Backstage signals:
 * `gitops:entity:<entityRef>` (an environment of the entity changed in Argo
 * CD, or one of its change requests moved), `gitops:changes` (any change
 * request moved: the approvals inbox) and `gitops:fleet` (anything of either,
 * at most once per second: the fleet page).
 *
 * Every message is a broadcast: Backstage cannot evaluate the catalog
 * visibility of an entity for each connected user, so whoever subscribes to
 * a channel receives it. That is why a message carries only ids, the entity
 * ref (already the channel's name), environment names, change state names and
 * timestamps — never a version, commit, reason, requester or anything read
 * from Argo CD. It only says "look again": the browser refetches through the
 * routes, which read as the caller (visibility, bindings, permissions).
 * `gitops:changes` does not even carry entity refs, since it is the whole
 * fleet's channel, and `gitops:fleet` carries only timestamps.
 *
 * Bursts are coalesced per channel (see {@link Coalescer}): a sync that
 * moves an application through several states in a second costs a few
 * messages, not one per watch event. Publishing never throws to the caller.
 *
 * @internal
 */
export class GitOpsSignalPublisher {
  readonly #signals: SignalsService;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #entities: Coalescer<EntityPending>;
  readonly #inbox: Coalescer<InboxPending>;
  readonly #anything: Coalescer<number>;

  constructor(options: {
    signals: SignalsService;
    logger: LoggerService;
    windowMs?: number;
    fleetWindowMs?: number;
    now?: () => number;
    timers?: CoalescerTimers;
  }) {
    this.#signals = options.signals;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    const windowMs = options.windowMs ?? DEFAULT_SIGNAL_WINDOW_MS;
    this.#entities = new Coalescer<EntityPending>({
      windowMs,
      timers: options.timers,
      merge: (a, b) => {
        b.environments.forEach(e => a.environments.add(e));
        b.changes.forEach((c, id) => a.changes.set(id, c));
        a.observedAt = Math.min(a.observedAt, b.observedAt);
        return a;
      },
      flush: (entityRef, p) => {
        const message: GitOpsEntitySignal = {
          entityRef,
          environments: [...p.environments].sort(),
          changes: [...p.changes.values()],
          observedAt: p.observedAt,
          sentAt: this.#now(),
        };
        this.#publish(gitopsEntityChannel(entityRef), message);
      },
    });
    this.#inbox = new Coalescer<InboxPending>({
      windowMs,
      timers: options.timers,
      merge: (a, b) => {
        b.changes.forEach((s, id) => a.changes.set(id, s));
        a.observedAt = Math.min(a.observedAt, b.observedAt);
        return a;
      },
      flush: (_key, p) => {
        const message: GitOpsChangesSignal = {
          changes: [...p.changes].map(([id, state]) => ({ id, state })),
          observedAt: p.observedAt,
          sentAt: this.#now(),
        };
        this.#publish(GITOPS_CHANGES_CHANNEL, message);
      },
    });
    this.#anything = new Coalescer<number>({
      windowMs: options.fleetWindowMs ?? FLEET_SIGNAL_WINDOW_MS,
      timers: options.timers,
      merge: (a, b) => Math.min(a, b),
      flush: (_key, observedAt) => {
        const message: GitOpsFleetSignal = { observedAt, sentAt: this.#now() };
        this.#publish(GITOPS_FLEET_CHANNEL, message);
      },
    });
  }

  /**
   * Environments of the entity changed in Argo CD (seen at `observedAt`, ms);
   * `environments` may be empty when the application matched none by name.
   */
  environmentChanged(
    entityRef: string,
    environments: string[],
    observedAt: number = this.#now(),
  ): void {
    this.#entities.push(entityRef, {
      environments: new Set(environments),
      changes: new Map(),
      observedAt,
    });
    this.#anything.push(GITOPS_FLEET_CHANNEL, observedAt);
  }

  /** A change request was created, moved to another state, or progressed (decision, step). */
  changeMoved(change: MovedChange, observedAt: number = this.#now()): void {
    const { id, environment, state } = change;
    this.#entities.push(change.entityRef, {
      environments: new Set(),
      changes: new Map([[id, { id, environment, state }]]),
      observedAt,
    });
    this.#inbox.push(GITOPS_CHANGES_CHANNEL, {
      changes: new Map([[id, state]]),
      observedAt,
    });
    this.#anything.push(GITOPS_FLEET_CHANNEL, observedAt);
  }

  /** Drops pending messages and timers (backend shutdown). */
  stop(): void {
    this.#entities.stop();
    this.#inbox.stop();
    this.#anything.stop();
  }

  #publish(
    channel: string,
    message: GitOpsEntitySignal | GitOpsChangesSignal | GitOpsFleetSignal,
  ) {
    Promise.resolve()
      .then(() =>
        this.#signals.publish({
          recipients: { type: 'broadcast' },
          channel,
          message,
        }),
      )
      .catch(e =>
        this.#logger.warn(
          `could not publish the live update on ${channel}: ${e}`,
        ),
      );
  }
}
