import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from '../config';
import { PolicyWindowStateProvider } from './PolicyWindowStateProvider';

const { policies } = readGitopsConfig(
  new ConfigReader({
    gitops: {
      pipelines: {
        standard: {
          environments: [
            { name: 'dev' },
            {
              name: 'prod',
              promotesFrom: 'dev',
              windows: [
                { kind: 'allow', schedule: '0 6 * * 1-5', duration: '12h' },
              ],
            },
          ],
        },
      },
    },
  }),
);

const app = {
  name: 'python-api-base-prod',
  instance: 'local',
  project: 'shop',
  autoSync: false,
};

describe('PolicyWindowStateProvider', () => {
  it('merges the policy window with Argo CD assigned windows', async () => {
    const client = {
      getSyncWindows: jest.fn(async () => ({
        assignedWindows: [
          {
            kind: 'deny',
            schedule: '0 12 * * *',
            duration: '1h',
            timeZone: 'UTC',
          },
        ],
      })),
    };
    const provider = PolicyWindowStateProvider.create({
      policies,
      client,
      now: () => new Date('2026-11-24T12:30:00Z'),
    });
    const state = await provider.getWindowState({
      entityRef: 'component:default/x',
      pipeline: { name: 'standard' },
      environment: { name: 'prod' },
      application: app,
    });
    expect(client.getSyncWindows).toHaveBeenCalledWith(
      'local',
      'python-api-base-prod',
      {
        project: 'shop',
        appNamespace: undefined,
        cached: true,
      },
    );
    expect(state).toEqual({
      open: false,
      nextOpen: '2026-11-24T13:00:00.000Z',
      message: "blocked by Argo CD's sync window; next opens Tue 13:00 UTC",
    });
  });

  it('shows the policy window when Argo CD cannot be read, and nothing without windows', async () => {
    const provider = PolicyWindowStateProvider.create({
      policies,
      client: { getSyncWindows: async () => Promise.reject(new Error('down')) },
      now: () => new Date('2026-11-28T10:00:00Z'),
    });
    expect(
      await provider.getWindowState({
        entityRef: 'component:default/x',
        pipeline: { name: 'standard' },
        environment: { name: 'prod' },
        application: app,
      }),
    ).toEqual({
      open: false,
      nextOpen: '2026-11-30T06:00:00.000Z',
      message: 'outside the window; next opens Mon 06:00 UTC',
    });
    expect(
      await provider.getWindowState({
        entityRef: 'component:default/x',
        pipeline: { name: 'standard' },
        environment: { name: 'dev' },
      }),
    ).toBeUndefined();
  });
});
