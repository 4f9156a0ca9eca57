import {
  AuditorService,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { FIELD_LIMITS, parseInput } from '../changes/schemas';
import type { Caller } from '../changes/ports';
import type { VerificationService } from './VerificationService';

const SAFE_TAG = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Body of `POST …/verification`. @internal */
export const verificationDecisionSchema = z
  .object({
    version: z
      .string({ required_error: 'is required' })
      .trim()
      .min(1, 'must not be empty')
      .max(
        FIELD_LIMITS.version,
        `must be at most ${FIELD_LIMITS.version} characters`,
      )
      .regex(SAFE_TAG, 'must be an image tag such as v1.2.0-rc.2'),
    decision: z.enum(['verified', 'failed', 'requested'], {
      errorMap: () => ({ message: 'must be verified, failed or requested' }),
    }),
    comment: z
      .string()
      .trim()
      .max(
        FIELD_LIMITS.comment,
        `must be at most ${FIELD_LIMITS.comment} characters`,
      )
      .optional()
      .transform(c => (c ? c : undefined)),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.decision === 'failed' && !b.comment) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['comment'],
        message: 'say what failed: a "failed" needs a comment',
      });
    }
  });

const envName = z
  .string()
  .max(FIELD_LIMITS.environment)
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    'is not an environment name',
  );

/**
 * Verification routes:
 * `GET  /entities/:kind/:namespace/:name/environments/:env/verification` and
 * `POST /entities/:kind/:namespace/:name/environments/:env/verification`
 * (a sign-off decision; audited as `verification-decide`).
 *
 * @internal
 */
export function createVerificationRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  service: VerificationService;
}): express.Router {
  const { httpAuth, userInfo, auditor, service } = options;
  const router = Router();
  const path =
    '/entities/:kind/:namespace/:name/environments/:env/verification';

  async function caller(req: express.Request): Promise<Caller> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    return {
      credentials,
      userEntityRef: info.userEntityRef,
      claims: info.ownershipEntityRefs,
    };
  }
  const target = (req: express.Request) => ({
    entityRef: stringifyEntityRef({
      kind: req.params.kind.toLocaleLowerCase('en-US'),
      namespace: req.params.namespace.toLocaleLowerCase('en-US'),
      name: req.params.name,
    }),
    environment: parseInput(envName, req.params.env, 'environment'),
  });

  router.get(path, async (req, res) => {
    const { entityRef, environment } = target(req);
    res.json(await service.get(entityRef, environment, await caller(req)));
  });

  router.post(path, async (req, res) => {
    const { entityRef, environment } = target(req);
    const who = await caller(req);
    const body = parseInput(verificationDecisionSchema, req.body ?? {});
    const event = await auditor.createEvent({
      eventId: 'verification-decide',
      severityLevel: 'medium',
      request: req,
      meta: {
        entityRef,
        environment,
        version: body.version,
        decision: body.decision,
        actor: who.userEntityRef,
        ...(body.comment ? { comment: body.comment } : {}),
      },
    });
    try {
      const result = await service.decide(entityRef, environment, body, who);
      await event.success();
      res.status(201).json(result);
    } catch (e) {
      await event.fail({ error: e as Error });
      throw e;
    }
  });

  return router;
}
