import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { createRequestEntityLoader } from '../state/createStateRouter';
import { ImageService } from './ImageService';

/**
 * Image routes under `/api/gitops` (the entity is read with the caller's
 * credentials, like every read route):
 * `GET /entities/:kind/:namespace/:name/environments/:env/image-tags` →
 * `ImageTagList` (the promote dialog), and `…/image-digests` →
 * `ImageDigests` (cards, history). Registry trouble is `unavailable` in the
 * body, never a 5xx; credentials never leave.
 *
 * @internal
 */
export function createImageRouter(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  images: Pick<ImageService, 'tags' | 'digests'>;
}): express.Router {
  const router = Router();
  const loadEntity = createRequestEntityLoader(options);
  router.get(
    '/entities/:kind/:namespace/:name/environments/:env/image-tags',
    async (req, res) => {
      res.json(
        await options.images.tags(await loadEntity(req), req.params.env),
      );
    },
  );
  router.get(
    '/entities/:kind/:namespace/:name/environments/:env/image-digests',
    async (req, res) => {
      res.json(
        await options.images.digests(await loadEntity(req), req.params.env),
      );
    },
  );
  return router;
}
