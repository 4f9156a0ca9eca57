/*
 * The Backstage backend of this repository (`npm start`, the image).
 * Started through ./startup: replicas starting together on one PostgreSQL take
 * turns (advisory lock around the start), and a start that fails or never
 * finishes (backend.startup.timeout) ends the process with exit code 1.
 */

import { createBackend } from '@backstage/backend-defaults';
import { localUsersAuthModule } from './modules/localUsersAuth';
import { gitopsPermissionPolicyModule } from './modules/permissionPolicy';
import { startBackend } from './startup';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
// Local sign-in as any example user (embedded setup only, see app-config.yaml)
backend.add(localUsersAuthModule);
// Production sign-in (configured in app-config.production.yaml)
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// See https://backstage.io/docs/permissions/getting-started for how to create your own permission policy
// GitOps example policy (examples/org.yaml): owners create changes, platform-team
// approves, sre overrides, everything else allowed.
backend.add(gitopsPermissionPolicyModule);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// events plugin: the event bus behind the events service. On PostgreSQL it
// keeps events in the database, so an event (a signal among them) published
// on one replica reaches the subscribers on the others; on SQLite it stays
// in memory, in this process.
backend.add(import('@backstage/plugin-events-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@internal/plugin-gitops-backend'));
startBackend(backend);
