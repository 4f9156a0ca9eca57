import {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import express from 'express';
import Router from 'express-promise-router';
import { ChangeQueries } from './ChangeQueries';
import { ChangeService } from './ChangeService';
import { Caller } from './ports';
import {
  changeIdSchema,
  createChangeSchema,
  decisionSchema,
  listQuerySchema,
  parseInput,
} from './schemas';

/** Drops undefined values so the meta is plain JSON. */
function toJson(meta: Record<string, unknown>): JsonObject {
  return JSON.parse(JSON.stringify(meta));
}

/**
 * Routes of change requests (see gitops-common `gitopsApiPaths`):
 * `POST /changes`, `GET /changes`, `GET /changes/:id`,
 * `POST /changes/:id/approve|reject|cancel`, `GET /approvals/pending`.
 * Every mutation emits an auditor event (and the store an events row).
 * JSON bodies are parsed once, by the plugin router (src/router.ts).
 *
 * @internal
 */
export function createChangeRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  changes: ChangeService;
  queries: ChangeQueries;
}): express.Router {
  const { httpAuth, userInfo, auditor, changes, queries } = options;
  const router = Router();

  async function caller(req: express.Request): Promise<Caller> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    return {
      credentials,
      userEntityRef: info.userEntityRef,
      claims: info.ownershipEntityRefs,
    };
  }

  /** Runs a mutation inside an auditor event; success/fail never breaks the request. */
  async function audited<T>(
    req: express.Request,
    eventId: string,
    meta: Record<string, unknown>,
    severityLevel: 'medium' | 'high',
    fn: () => Promise<T>,
    resultMeta?: (r: T) => Record<string, unknown>,
  ): Promise<T> {
    let event: AuditorServiceEvent | undefined;
    try {
      event = await auditor.createEvent({
        eventId,
        severityLevel,
        request: req,
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

  router.post('/changes', async (req, res) => {
    const who = await caller(req);
    const body = parseInput(createChangeSchema, req.body);
    if (body.preview) {
      res.json(await changes.create(body, who));
      return;
    }
    const meta = {
      entityRef: body.entityRef,
      environment: body.environment,
      kind: body.kind,
      version: body.version,
      override: Boolean(body.override),
      reason: body.reason,
      actor: who.userEntityRef,
    };
    const created = await audited(
      req,
      body.override ? 'change-override' : 'change-create',
      meta,
      body.override ? 'high' : 'medium',
      () => changes.create(body, who),
      r =>
        'id' in r
          ? { changeId: r.id, state: r.state, fromVersion: r.fromVersion }
          : {},
    );
    res.status(201).json(created);
  });

  router.get('/changes', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseInput(listQuerySchema, req.query, 'query');
    res.json(await queries.list(query, credentials));
  });

  router.get('/changes/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const id = parseInput(changeIdSchema, req.params.id, 'id');
    res.json(await queries.get(id, credentials));
  });

  for (const action of ['approve', 'reject'] as const) {
    router.post(`/changes/:id/${action}`, async (req, res) => {
      const who = await caller(req);
      const id = parseInput(changeIdSchema, req.params.id, 'id');
      const body = parseInput(decisionSchema, req.body ?? {});
      const before = await queries.getStored(id);
      const result = await audited(
        req,
        `change-${action}`,
        {
          changeId: id,
          entityRef: before.entityRef,
          environment: before.environment,
          fromVersion: before.fromVersion,
          version: before.version,
          reason: body.comment,
          actor: who.userEntityRef,
        },
        before.override ? 'high' : 'medium',
        () => changes.decide(id, action, who, body.comment, before),
        r => ({ state: r.state }),
      );
      res.json(result);
    });
  }

  router.post('/changes/:id/cancel', async (req, res) => {
    const who = await caller(req);
    const id = parseInput(changeIdSchema, req.params.id, 'id');
    const body = parseInput(decisionSchema, req.body ?? {});
    const before = await queries.getStored(id);
    const result = await audited(
      req,
      'change-cancel',
      {
        changeId: id,
        entityRef: before.entityRef,
        environment: before.environment,
        fromVersion: before.fromVersion,
        version: before.version,
        reason: body.comment,
        actor: who.userEntityRef,
      },
      'medium',
      () => changes.cancel(id, who, body.comment, before),
      r => ({ state: r.state }),
    );
    res.json(result);
  });

  router.get('/approvals/pending', async (req, res) => {
    res.json(await queries.pendingFor(await caller(req)));
  });

  return router;
}
