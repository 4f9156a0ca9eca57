import {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { createRequestEntityLoader } from '../state/createStateRouter';
import type { OverviewService } from './OverviewService';
import { OverviewRepresentations } from './representations';

/**
 * `GET /entities/:kind/:namespace/:name/overview` → `EntityGitOpsOverview`:
 * what the GitOps tab shows when it opens, in one request. The entity is read
 * from the catalog with the caller's credentials first (what the caller cannot
 * see answers 404 exactly like what does not exist); a state that cannot be
 * read answers the same error as `…/environments`; other parts that fail are
 * named in `partErrors`. A service principal gets no pending approvals.
 *
 * An answer built from a kept entity part is kept serialized and gzipped
 * (`OverviewRepresentations`) and sent as it is to a client that accepts gzip
 * (`Vary: Accept-Encoding`, an entity tag, 304 when it matches).
 *
 * @internal
 */
export function createOverviewRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  overview: Pick<OverviewService, 'describe'>;
  representations?: OverviewRepresentations;
}): express.Router {
  const { httpAuth, userInfo, overview } = options;
  const representations =
    options.representations ?? new OverviewRepresentations();
  const router = Router();
  const loadEntity = createRequestEntityLoader(options);
  router.get('/entities/:kind/:namespace/:name/overview', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [entity, info] = await Promise.all([
      loadEntity(req, credentials),
      credentials.principal.type === 'user'
        ? userInfo.getUserInfo(credentials)
        : undefined,
    ]);
    const { variant, build } = await overview.describe(entity, {
      credentials,
      userEntityRef: info?.userEntityRef ?? '',
      claims: info?.ownershipEntityRefs ?? [],
    });
    if (!variant) {
      res.json(build());
      return;
    }
    const rep = representations.get(variant, build);
    res.vary('Accept-Encoding');
    res.type('application/json');
    res.set('ETag', rep.etag);
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip');
      res.send(rep.gzip);
    } else {
      res.send(rep.json);
    }
  });
  return router;
}
