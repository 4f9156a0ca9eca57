import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { GitOpsStateService } from './GitOpsStateService';

/**
 * Loads the entity named by the route's `:kind/:namespace/:name` from the
 * catalog with the caller's credentials: what the caller cannot see answers
 * 404 exactly like what does not exist. Shared by the read routes.
 *
 * @internal
 */
export function createRequestEntityLoader(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
}): (
  req: express.Request,
  credentials?: BackstageCredentials,
) => Promise<Entity> {
  const { httpAuth, catalog } = options;
  return async function loadEntity(
    req: express.Request,
    /** The request's credentials, when the route has read them already. */
    known?: BackstageCredentials,
  ): Promise<Entity> {
    const credentials =
      known ??
      (await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      }));
    const { kind, namespace, name } = req.params;
    const entity = await catalog.getEntityByRef(
      {
        kind: kind.toLocaleLowerCase('en-US'),
        namespace: namespace.toLocaleLowerCase('en-US'),
        name,
      },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(
        `Entity ${kind}:${namespace}/${name} was not found`,
      );
    }
    return entity;
  };
}

/**
 * Read routes under `/api/gitops`:
 * `GET /entities/:kind/:namespace/:name/environments` and
 * `GET /entities/:kind/:namespace/:name/environments/:env/(history|diff|resources)`.
 *
 * The entity is read from the catalog with the caller's credentials, so what
 * the caller cannot see answers 404 exactly like what does not exist.
 *
 * @public
 */
export function createStateRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  state: GitOpsStateService;
}): express.Router {
  const { httpAuth, catalog, state } = options;
  const router = Router();

  const loadEntity = createRequestEntityLoader({ httpAuth, catalog });

  router.get(
    '/entities/:kind/:namespace/:name/environments',
    async (req, res) => {
      res.json(await state.getEnvironments(await loadEntity(req)));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/environments/:env/history',
    async (req, res) => {
      res.json(await state.getHistory(await loadEntity(req), req.params.env));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/environments/:env/diff',
    async (req, res) => {
      res.json(await state.getDiff(await loadEntity(req), req.params.env));
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/environments/:env/resources',
    async (req, res) => {
      res.json(await state.getResources(await loadEntity(req), req.params.env));
    },
  );

  return router;
}
