import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// Development backend for this plugin alone: the real plugin with mocked auth and a
// fixed catalog (python-api-base of examples/entities.yaml, "standard" pipeline of the
// root app-config.yaml). Start the Argo CD emulator first (from the repo root:
// `source scripts/env.sh && source scripts/dev-credentials.sh &&
// yarn workspace @internal/argocd-emulator start:emulator`), then `yarn start` here
// (same shell, so the dev credentials are in the environment).
//
// What runs where (read side):
//
//   curl http://localhost:7007/api/gitops/entities/component/default/python-api-base/environments
//   curl http://localhost:7007/api/gitops/entities/component/default/python-api-base/environments/prod/history
//   curl http://localhost:7007/api/gitops/entities/component/default/python-api-base/environments/prod/diff
//
// Change requests (write side), first a preview (checks only, nothing recorded):
//
//   curl http://localhost:7007/api/gitops/changes -H 'Content-Type: application/json' \
//     -d '{"entityRef": "component:default/python-api-base", "environment": "staging", "kind": "promote", "version": "v1.2.0-rc.2", "preview": true}'
//   curl 'http://localhost:7007/api/gitops/changes?entityRef=component:default/python-api-base'
//   curl http://localhost:7007/api/gitops/approvals/pending
//
// Unauthenticated or service calls (the mocked auth accepts these tokens):
//
//   curl http://localhost:7007/api/gitops/changes -H 'Authorization: Bearer mock-none-token'
//   curl http://localhost:7007/api/gitops/changes -H 'Authorization: Bearer mock-service-token'

const backend = createBackend();

// Mocked auth: requests without a token act as user:default/mock.
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());

// A fixed catalog with one annotated component.
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'python-api-base',
          namespace: 'default',
          annotations: {
            'gitops/app': 'python-api-base',
            'gitops/pipeline': 'standard',
          },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-a',
        },
      },
    ],
  }),
);

backend.add(import('../src'));

backend.start();
