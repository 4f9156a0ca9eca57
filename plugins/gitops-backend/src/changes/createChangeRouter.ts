import {
  AuditorService,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { AuditedChanges } from './AuditedChanges';
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

  // Mutations are audited by AuditedChanges (the actions use the same).
  const audited = new AuditedChanges({ changes, queries, auditor });

  router.post('/changes', async (req, res) => {
    const who = await caller(req);
    const body = parseInput(createChangeSchema, req.body);
    const result = await audited.create(body, who, req);
    res.status(body.preview ? 200 : 201).json(result);
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
      res.json(await audited.decide(id, action, who, body.comment, req));
    });
  }

  router.post('/changes/:id/cancel', async (req, res) => {
    const who = await caller(req);
    const id = parseInput(changeIdSchema, req.params.id, 'id');
    const body = parseInput(decisionSchema, req.body ?? {});
    res.json(await audited.cancel(id, who, body.comment, req));
  });

  router.get('/approvals/pending', async (req, res) => {
    res.json(await queries.pendingFor(await caller(req)));
  });

  return router;
}
