import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  LogStreamLine,
  TREE_HEALTH_FILTERS,
  gitopsLogsReadPermission,
} from '@internal/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { createRequestEntityLoader } from '../state/createStateRouter';
import { TroubleshootingService } from './TroubleshootingService';

const BASE =
  '/entities/:kind/:namespace/:name/environments/:env/troubleshooting';

/** DNS-1123 subdomain (pod and namespace names), label (container names) and a uid. */
const subdomain = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a DNS-1123 name (lower-case letters, digits, - and .)',
  );
const label = z
  .string()
  .max(63)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label (lower-case letters, digits and -)',
  );
const uid = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, 'must be a Kubernetes uid');
const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine(n => n >= 1 && n <= max, `must be between 1 and ${max}`);

const treeQuery = z
  .object({
    health: z
      .string()
      .transform(s => s.split(',').filter(Boolean))
      .pipe(
        z.array(
          z.enum(TREE_HEALTH_FILTERS, {
            errorMap: () => ({
              message: `must be a comma-separated list of ${TREE_HEALTH_FILTERS.join(
                ', ',
              )}`,
            }),
          }),
        ),
      )
      .optional(),
  })
  .strict();

const eventsQuery = z
  .object({
    resourceUID: uid.optional(),
    resourceName: subdomain.optional(),
    resourceNamespace: subdomain.optional(),
  })
  .strict()
  .refine(q => !q.resourceNamespace || q.resourceName, {
    message: 'resourceNamespace needs resourceName',
    path: ['resourceNamespace'],
  });

function logsQuery(limits: { maxTailLines: number; maxSinceSeconds: number }) {
  return z
    .object({
      podName: subdomain,
      container: label.optional(),
      tailLines: positiveInt(limits.maxTailLines).optional(),
      sinceSeconds: positiveInt(limits.maxSinceSeconds).optional(),
      follow: z
        .enum(['true', 'false'])
        .transform(v => v === 'true')
        .optional(),
    })
    .strict();
}

function parseQuery<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  query: unknown,
): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'query';
    let reason = issue.message;
    if (issue.code === 'unrecognized_keys') {
      reason = `unknown parameter(s) ${issue.keys.join(', ')}`;
    } else if (issue.code === 'invalid_type') {
      reason =
        issue.received === 'undefined'
          ? 'is required'
          : 'must be given once, as text';
    }
    throw new InputError(`${field}: ${reason}`);
  }
  return parsed.data;
}

/**
 * Troubleshooting routes of one environment, under the same auth and catalog
 * visibility as the other reads (an entity the caller cannot see is a 404):
 * `GET …/environments/:env/troubleshooting/(tree|events|logs|operation|out-of-sync)`.
 * Logs also need `gitops.logs.read` on the entity and stream as
 * newline-delimited JSON ({@link LogStreamLine}), bounded in size and time.
 *
 * @internal
 */
export function createTroubleshootingRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  troubleshooting: TroubleshootingService;
}): express.Router {
  const { httpAuth, permissions, troubleshooting } = options;
  const loadEntity = createRequestEntityLoader(options);
  const router = Router();

  router.get(`${BASE}/tree`, async (req, res) => {
    const { health } = parseQuery(treeQuery, req.query);
    const entity = await loadEntity(req);
    res.json(await troubleshooting.getTree(entity, req.params.env, health));
  });

  router.get(`${BASE}/events`, async (req, res) => {
    const query = parseQuery(eventsQuery, req.query);
    const entity = await loadEntity(req);
    res.json(await troubleshooting.getEvents(entity, req.params.env, query));
  });

  router.get(`${BASE}/operation`, async (req, res) => {
    const entity = await loadEntity(req);
    res.json(await troubleshooting.getLastOperation(entity, req.params.env));
  });

  router.get(`${BASE}/out-of-sync`, async (req, res) => {
    const entity = await loadEntity(req);
    res.json(await troubleshooting.getOutOfSync(entity, req.params.env));
  });

  const logsSchema = logsQuery(troubleshooting.limits);
  router.get(`${BASE}/logs`, async (req, res) => {
    const query = parseQuery(logsSchema, req.query);
    const entity = await loadEntity(req);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await permissions.authorize(
      [{ permission: gitopsLogsReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `you are not allowed '${gitopsLogsReadPermission.name}' on ${entityRef}`,
      );
    }
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    let started = false;
    const write = (line: LogStreamLine) => {
      if (!started) {
        started = true;
        res.status(200);
        res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
        res.setHeader('cache-control', 'no-store');
        res.setHeader('x-content-type-options', 'nosniff');
        res.flushHeaders();
      }
      if (res.writableEnded) return;
      res.write(`${JSON.stringify(line)}\n`);
      // through the root router's compression, each line goes out now (follow)
      (res as unknown as { flush?: () => void }).flush?.();
    };
    // Refusals (403, 404, bad container) throw before the first line and
    // answer as errors; once streaming, the stream ends with an end/error line.
    await troubleshooting.streamLogs(
      entity,
      req.params.env,
      query,
      write,
      closed.signal,
    );
    res.end();
  });

  return router;
}
