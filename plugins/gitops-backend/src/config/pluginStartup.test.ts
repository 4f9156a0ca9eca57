import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitopsPlugin } from '../plugin';

describe('plugin startup with a wrong config', () => {
  it('fails the init naming every problem (the backend does not start)', async () => {
    const started = startTestBackend({
      features: [
        gitopsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              pipelines: {
                standard: {
                  environments: [
                    { name: 'dev' },
                    { name: 'staging', promotesFrom: 'qa' },
                    {
                      name: 'prod',
                      promotesFrom: 'staging',
                      windows: [
                        {
                          kind: 'allow',
                          schedule: '0 25 * * *',
                          duration: '1h',
                        },
                        {
                          kind: 'deny',
                          schedule: '0 6 * * *',
                          duration: '1h',
                          timeZone: 'Europe/Atlantis',
                        },
                      ],
                    },
                  ],
                },
              },
            },
          },
        }),
      ],
    });
    await expect(started).rejects.toThrow(/3 config problems/);
    await expect(started).rejects.toThrow(
      "Invalid config at 'gitops.pipelines.standard.environments[1].promotesFrom': unknown environment 'qa'",
    );
    await expect(started).rejects.toThrow(
      "'gitops.pipelines.standard.environments[2].windows[0].schedule'",
    );
    await expect(started).rejects.toThrow(
      "'gitops.pipelines.standard.environments[2].windows[1].timeZone'",
    );
  });
});
