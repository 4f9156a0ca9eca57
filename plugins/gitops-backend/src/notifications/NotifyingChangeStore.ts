import {
  ChangeFilter,
  ChangeStore,
  ClaimInput,
  NewChange,
  NewChangeEvent,
  StoredApproval,
  TransitionInput,
} from '../store/ChangeStore';
import { ChangeTransition } from './types';

/**
 * The change store, reporting every state change it makes: a created
 * change, and each `transition` whose conditional update matched. The
 * store's conditional update tells who won: a replica (or request) whose
 * update did not match gets `undefined` back and reports nothing. So the
 * state machine, expiry and the executor need no notification code, and a
 * transition is reported once, by whoever made it.
 *
 * The listener runs after the write committed; its failure never reaches
 * the caller (the notifier logs and retries on its own).
 *
 * @internal
 */
export class NotifyingChangeStore implements ChangeStore {
  readonly #store: ChangeStore;
  readonly #listener: (t: ChangeTransition) => Promise<void>;

  constructor(
    store: ChangeStore,
    listener: (t: ChangeTransition) => Promise<void>,
  ) {
    this.#store = store;
    this.#listener = listener;
  }

  async #report(t: ChangeTransition) {
    try {
      await this.#listener(t);
    } catch {
      // never break the state machine over a notification
    }
  }

  async createChange(input: NewChange, event: NewChangeEvent) {
    const created = await this.#store.createChange(input, event);
    await this.#report({
      change: created,
      to: created.state,
      actor: event.actor,
      comment: event.reason,
    });
    return created;
  }

  async transition(input: TransitionInput) {
    const moved = await this.#store.transition(input);
    if (moved) {
      await this.#report({
        change: moved,
        from: input.from[0],
        to: moved.state,
        actor: input.event.actor,
        comment: input.event.reason,
      });
    }
    return moved;
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
  addDecision(id: string, decision: StoredApproval, event: NewChangeEvent) {
    return this.#store.addDecision(id, decision, event);
  }
  appendEvent(id: string, event: NewChangeEvent) {
    return this.#store.appendEvent(id, event);
  }
  claimForExecution(input: ClaimInput) {
    return this.#store.claimForExecution(input);
  }
  renewLease(id: string, owner: string, leaseMs: number, now: Date) {
    return this.#store.renewLease(id, owner, leaseMs, now);
  }
  setExecutionStep(
    id: string,
    owner: string,
    step: string,
    event: NewChangeEvent,
  ) {
    return this.#store.setExecutionStep(id, owner, step, event);
  }
  releaseLease(id: string, owner: string) {
    return this.#store.releaseLease(id, owner);
  }
}
