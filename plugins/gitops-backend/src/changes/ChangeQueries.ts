import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ChangeList,
  ChangeRequestDetail,
} from '@internal/plugin-gitops-common';
import { z } from 'zod';
import { matchesRefs } from '../policy';
import { ChangeStore, StoredChange } from '../store/ChangeStore';
import { EntityAccess } from './EntityAccess';
import { Caller } from './ports';
import { listQuerySchema } from './schemas';
import { toApiChange, toApiDetail } from './toApi';

const lc = (s: string) => s.toLocaleLowerCase('en-US');

/** The store filter of changes that may wait for someone's decision. @internal */
export const OPEN_FOR_DECISION = {
  states: ['awaiting_approval' as const],
  limit: 500,
};

/**
 * Of the changes awaiting approval, those waiting for the caller's decision:
 * not requested by the caller, not yet decided by the caller, not expired,
 * and the caller is one of the approvers (by user or group ref). Pure.
 *
 * @internal
 */
export function awaitingDecisionOf(
  open: StoredChange[],
  caller: Pick<Caller, 'userEntityRef' | 'claims'>,
  now: number,
): StoredChange[] {
  const me = lc(caller.userEntityRef);
  return open.filter(
    c =>
      c.state === 'awaiting_approval' &&
      lc(c.requestedBy) !== me &&
      !c.approvals.some(a => lc(a.approver) === me) &&
      (!c.expiresAt || Date.parse(c.expiresAt) > now) &&
      matchesRefs(caller.claims, c.approverRefs),
  );
}

/**
 * The read routes of changes: lists, one change, the caller's pending
 * approvals — always filtered by catalog visibility.
 *
 * @internal
 */
export class ChangeQueries {
  readonly #store: ChangeStore;
  readonly #access: EntityAccess;
  readonly #now: () => Date;

  static create(options: {
    store: ChangeStore;
    access: EntityAccess;
    now?: () => Date;
  }): ChangeQueries {
    return new ChangeQueries(options);
  }

  private constructor(options: {
    store: ChangeStore;
    access: EntityAccess;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#access = options.access;
    this.#now = options.now ?? (() => new Date());
  }

  /** Changes of entities the caller may see, newest first. */
  async list(
    query: z.output<typeof listQuerySchema>,
    credentials: BackstageCredentials,
  ): Promise<ChangeList> {
    const items = await this.#store.listChanges({
      entityRef: query.entityRef,
      environment: query.environment,
      states: query.state,
      limit: query.limit,
    });
    return {
      items: (await this.#access.visible(items, credentials)).map(toApiChange),
    };
  }

  /** One change with its events (404 when its entity is not visible to the caller). */
  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequestDetail> {
    const detail = await this.#store.getChangeDetail(id);
    if (
      !detail ||
      !(await this.#access.visible([detail], credentials)).length
    ) {
      throw new NotFoundError(`id: change ${id} does not exist`);
    }
    return toApiDetail(detail);
  }

  /** Raw stored change (for permission and audit lookups). */
  getStored(id: string): Promise<StoredChange> {
    return this.#access.stored(id);
  }

  /** Changes awaiting a decision of the caller, across all entities. */
  async pendingFor(caller: Caller): Promise<ChangeList> {
    const open = await this.#store.listChanges(OPEN_FOR_DECISION);
    const items = awaitingDecisionOf(open, caller, this.#now().getTime());
    return {
      items: (await this.#access.visible(items, caller.credentials)).map(
        toApiChange,
      ),
    };
  }
}
