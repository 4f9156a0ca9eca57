import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { jsonBody } from './http/jsonBody';
import { createStateRouter } from './state/createStateRouter';
import { GitOpsStateService } from './state/GitOpsStateService';

/** Builds the plugin's router from its parts. */
export async function createRouter({
  httpAuth,
  catalog,
  state,
  changes,
  troubleshooting,
  verification,
  fleet,
  images,
  overview,
}: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  state: GitOpsStateService;
  /** Write side: change requests and approvals (src/changes/createChangeRouter). */
  changes?: express.Router;
  /** Troubleshooting reads: tree, events, logs, operation (src/troubleshooting). */
  troubleshooting?: express.Router;
  /** Sign-off and verification of a version in an environment (src/verification). */
  verification?: express.Router;
  /** Every entity × environment the caller can see (src/fleet). */
  fleet?: express.Router;
  /** Image tags and digests from the registry (src/images). */
  images?: express.Router;
  /** The tab's overview in one request (src/overview). */
  overview?: express.Router;
}): Promise<express.Router> {
  const router = Router();
  // The one JSON body parser: its limit applies to every route.
  router.use(jsonBody());
  // Read side: what runs where.
  router.use(createStateRouter({ httpAuth, catalog, state }));
  if (overview) {
    router.use(overview);
  }
  if (troubleshooting) {
    router.use(troubleshooting);
  }
  if (fleet) {
    router.use(fleet);
  }
  if (verification) {
    router.use(verification);
  }
  if (images) {
    router.use(images);
  }
  // Write side: change requests, approvals.
  if (changes) {
    router.use(changes);
  }
  return router;
}
