import {
  ChangeFilter,
  ChangeStore,
  ClaimInput,
  NewChange,
  NewChangeEvent,
  StoredApproval,
  StoredChange,
  TransitionInput,
} from '../store/ChangeStore';
import { MovedChange } from './GitOpsSignalPublisher';

/** Where a change's movements go (the signal publisher). @internal */
export type ChangeMovedListener = (change: MovedChange) => void;

/** Ids of changes being executed here → entity and environment (for step reports). */
type Executing = Map<string, Pick<StoredChange, 'entityRef' | 'environment'>>;

const MAX_EXECUTING = 500;

/**
 * The change store, telling the live updates about every write that changes
 * what a tab, a change review or the approvals inbox shows, after it
 * committed and only when it took effect:
 *
 * - a created change;
 * - a `transition` whose conditional update matched (approved, rejected,
 *   cancelled, expired, blocked, waiting for the window, succeeded, failed…);
 * - a claim for execution (→ `executing`; a claim is not a `transition`);
 * - a recorded approval decision (the "1 of 2 approvals" a tab shows);
 * - an execution step reached by the lease holder (the review's progress).
 *
 * Every one of these writes passes through the store, whoever calls it (the
 * routes, the actions, the expiry job, the executor), so nothing else needs
 * signal code. A write that lost a race reports nothing. The listener must
 * not throw (the publisher never does) and is not awaited.
 *
 * @internal
 */
export class SignallingChangeStore implements ChangeStore {
  readonly #store: ChangeStore;
  readonly #moved: ChangeMovedListener;
  readonly #executing: Executing = new Map();

  constructor(store: ChangeStore, moved: ChangeMovedListener) {
    this.#store = store;
    this.#moved = moved;
  }

  #report(change: MovedChange) {
    if (change.state === 'executing') {
      const { entityRef, environment } = change;
      // bounded: an entry another replica finished is never deleted here; a miss costs one read
      if (this.#executing.size >= MAX_EXECUTING) this.#executing.clear();
      this.#executing.set(change.id, { entityRef, environment });
    } else {
      this.#executing.delete(change.id);
    }
    try {
      this.#moved({
        id: change.id,
        entityRef: change.entityRef,
        environment: change.environment,
        state: change.state,
      });
    } catch {
      // a live update never breaks the state machine
    }
  }

  async createChange(input: NewChange, event: NewChangeEvent) {
    const created = await this.#store.createChange(input, event);
    this.#report(created);
    return created;
  }

  async transition(input: TransitionInput) {
    const moved = await this.#store.transition(input);
    if (moved) this.#report(moved);
    return moved;
  }

  async claimForExecution(input: ClaimInput) {
    const claimed = await this.#store.claimForExecution(input);
    if (claimed) this.#report(claimed);
    return claimed;
  }

  async addDecision(
    id: string,
    decision: StoredApproval,
    event: NewChangeEvent,
  ) {
    const outcome = await this.#store.addDecision(id, decision, event);
    if (outcome.outcome === 'recorded') this.#report(outcome.change);
    return outcome;
  }

  async setExecutionStep(
    id: string,
    owner: string,
    step: string,
    event: NewChangeEvent,
  ) {
    const held = await this.#store.setExecutionStep(id, owner, step, event);
    if (held) {
      const where = this.#executing.get(id);
      if (where) {
        this.#report({ ...where, id, state: 'executing' });
      } else {
        // claimed before this process started reporting: one read
        const change = await this.#store.getChange(id).catch(() => undefined);
        if (change) this.#report(change);
      }
    }
    return held;
  }

  async releaseLease(id: string, owner: string) {
    const released = await this.#store.releaseLease(id, owner);
    if (released) this.#executing.delete(id);
    return released;
  }

  getChange(id: string) {
    return this.#store.getChange(id);
  }
  getChangeDetail(id: string) {
    return this.#store.getChangeDetail(id);
  }
  listChanges(filter: ChangeFilter) {
    return this.#store.listChanges(filter);
  }
  findOpenChange(entityRef: string, environment: string) {
    return this.#store.findOpenChange(entityRef, environment);
  }
  appendEvent(id: string, event: NewChangeEvent) {
    return this.#store.appendEvent(id, event);
  }
  renewLease(id: string, owner: string, leaseMs: number, now: Date) {
    return this.#store.renewLease(id, owner, leaseMs, now);
  }
}
