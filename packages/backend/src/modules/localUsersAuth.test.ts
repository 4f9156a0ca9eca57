import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import authPlugin from '@backstage/plugin-auth-backend';
import { localUsersAuthModule, LOCAL_USER_HEADER } from './localUsersAuth';

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: ['team-a'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-a' }],
  },
];

async function startAuth(enabled: boolean | undefined) {
  return startTestBackend({
    features: [
      authPlugin,
      localUsersAuthModule,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            session: { secret: 'test-session-secret' },
            providers: {
              'local-users': enabled === undefined ? {} : { enabled },
            },
          },
        },
      }),
    ],
  });
}

describe('local-users auth provider', () => {
  it('signs in a catalog user named in the header, with group ownership', async () => {
    const backend = await startAuth(true);
    const { server } = backend;
    try {
      const res = await request(server)
        .get('/api/auth/local-users/refresh')
        .set(LOCAL_USER_HEADER, 'alice')
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(res.status).toBe(200);
      expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
        'user:default/alice',
      );
      expect(res.body.backstageIdentity.identity.ownershipEntityRefs).toEqual(
        expect.arrayContaining(['user:default/alice', 'group:default/team-a']),
      );
    } finally {
      await backend.stop();
    }
  });

  it('refuses users that are not in the catalog, a missing header and bad names', async () => {
    const backend = await startAuth(true);
    const { server } = backend;
    try {
      const call = (user?: string) => {
        const r = request(server)
          .get('/api/auth/local-users/refresh')
          .set('X-Requested-With', 'XMLHttpRequest');
        return user === undefined ? r : r.set(LOCAL_USER_HEADER, user);
      };
      expect((await call('mallory')).status).toBeGreaterThanOrEqual(400);
      expect((await call()).status).toBe(401);
      const bad = await call('../admin');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(LOCAL_USER_HEADER);
    } finally {
      await backend.stop();
    }
  });

  it('is off unless enabled (production turns it off)', async () => {
    for (const enabled of [false, undefined]) {
      const backend = await startAuth(enabled);
      const { server } = backend;
      try {
        const res = await request(server)
          .get('/api/auth/local-users/refresh')
          .set(LOCAL_USER_HEADER, 'alice')
          .set('X-Requested-With', 'XMLHttpRequest');
        expect(res.status).toBe(401);
        expect(res.body.error.message).toContain('disabled');
      } finally {
        await backend.stop();
      }
    }
  });
});
