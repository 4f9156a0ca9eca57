import {
  AuditorService,
  AuditorServiceEvent,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import {
  ChangeList,
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
} from '@internal/plugin-gitops-common';
import { Request } from 'express';
import { ChangeQueries } from './ChangeQueries';
import { ChangeService, CreateChangeInput } from './ChangeService';
import { Caller } from './ports';

/** Drops undefined values so the meta is plain JSON. */
function toJson(meta: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(meta));
}

/**
 * The write side as every entry point calls it (the HTTP routes and the
 * actions in the actions registry): each mutation runs inside an auditor
 * event with the same event id, severity and meta whoever calls it; the
 * HTTP request, when there is one, is attached to the event.
 *
 * @internal
 */
export class AuditedChanges {
  readonly #changes: ChangeService;
  readonly #queries: ChangeQueries;
  readonly #auditor: AuditorService;

  constructor(options: {
    changes: ChangeService;
    queries: ChangeQueries;
    auditor: AuditorService;
  }) {
    this.#changes = options.changes;
    this.#queries = options.queries;
    this.#auditor = options.auditor;
  }

  /** `POST /changes`: a preview stores nothing and is not audited. */
  async create(
    body: CreateChangeInput,
    who: Caller,
    request?: Request,
  ): Promise<ChangeRequest | ChangePreview> {
    if (body.preview) return this.#changes.create(body, who);
    return this.#audited(
      request,
      body.override ? 'change-override' : 'change-create',
      {
        entityRef: body.entityRef,
        environment: body.environment,
        kind: body.kind,
        version: body.version,
        override: Boolean(body.override),
        reason: body.reason,
        actor: who.userEntityRef,
      },
      body.override ? 'high' : 'medium',
      () => this.#changes.create(body, who),
      r =>
        'id' in r
          ? { changeId: r.id, state: r.state, fromVersion: r.fromVersion }
          : {},
    );
  }

  /** `POST /changes/:id/approve|reject` (people only: no action calls it). */
  async decide(
    id: string,
    decision: 'approve' | 'reject',
    who: Caller,
    comment: string | undefined,
    request?: Request,
  ): Promise<ChangeRequest> {
    const before = await this.#queries.getStored(id);
    return this.#audited(
      request,
      `change-${decision}`,
      this.#changeMeta(id, before, comment, who),
      before.override ? 'high' : 'medium',
      () => this.#changes.decide(id, decision, who, comment, before),
      r => ({ state: r.state }),
    );
  }

  /** `POST /changes/:id/cancel`. */
  async cancel(
    id: string,
    who: Caller,
    comment: string | undefined,
    request?: Request,
  ): Promise<ChangeRequest> {
    const before = await this.#queries.getStored(id);
    return this.#audited(
      request,
      'change-cancel',
      this.#changeMeta(id, before, comment, who),
      'medium',
      () => this.#changes.cancel(id, who, comment, before),
      r => ({ state: r.state }),
    );
  }

  /** `GET /changes/:id`. */
  get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequestDetail> {
    return this.#queries.get(id, credentials);
  }

  /** `GET /approvals/pending`. */
  pendingFor(who: Caller): Promise<ChangeList> {
    return this.#queries.pendingFor(who);
  }

  #changeMeta(
    id: string,
    before: Awaited<ReturnType<ChangeQueries['getStored']>>,
    comment: string | undefined,
    who: Caller,
  ) {
    return {
      changeId: id,
      entityRef: before.entityRef,
      environment: before.environment,
      fromVersion: before.fromVersion,
      version: before.version,
      reason: comment,
      actor: who.userEntityRef,
    };
  }

  /** Runs a mutation inside an auditor event; success/fail never breaks the call. */
  async #audited<T>(
    request: Request | undefined,
    eventId: string,
    meta: Record<string, unknown>,
    severityLevel: 'medium' | 'high',
    fn: () => Promise<T>,
    resultMeta?: (r: T) => Record<string, unknown>,
  ): Promise<T> {
    let event: AuditorServiceEvent | undefined;
    try {
      event = await this.#auditor.createEvent({
        eventId,
        severityLevel,
        request,
        meta: toJson(meta),
      });
    } catch {
      event = undefined;
    }
    try {
      const result = await fn();
      await event
        ?.success({ meta: resultMeta ? toJson(resultMeta(result)) : undefined })
        .catch(() => {});
      return result;
    } catch (error) {
      await event?.fail({ error: error as Error }).catch(() => {});
      throw error;
    }
  }
}
