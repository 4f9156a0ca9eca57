import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import request from 'supertest';
import { DEFAULT_BINDINGS } from '../binding/types';
import { ApplicationMirrors } from './ApplicationMirrors';
import { createMirrorRouter } from './createMirrorRouter';
import { DEFAULT_MIRROR_CONFIG } from './types';

function app(enabled: boolean) {
  const mirrors = new ApplicationMirrors({
    instances: ['local', 'secondary'],
    upstream: {
      listApplications: async () => ({ items: [] }),
      openApplicationStream: async () => {
        throw new Error('not used');
      },
    },
    bindings: DEFAULT_BINDINGS,
    config: { ...DEFAULT_MIRROR_CONFIG, enabled },
  });
  const a = express();
  a.use(createMirrorRouter({ httpAuth: mockServices.httpAuth(), mirrors }));
  a.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return a;
}

describe('GET /mirror/status', () => {
  it('answers every instance with counts (not started: not live, nothing held)', async () => {
    const res = await request(app(true))
      .get('/mirror/status')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      enabled: true,
      items: ['local', 'secondary'].map(instance => ({
        instance,
        live: false,
        apps: 0,
        boundApps: 0,
        approxBytes: 0,
        reconnects: 0,
        resyncs: 0,
        relists: 0,
        malformedLines: 0,
      })),
    });
  });
  it('says when mirrors are off', async () => {
    const res = await request(app(false))
      .get('/mirror/status')
      .set('authorization', mockCredentials.service.header());
    expect(res.body).toEqual({ enabled: false, items: [] });
  });
  it('needs credentials', async () => {
    const res = await request(app(true))
      .get('/mirror/status')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
