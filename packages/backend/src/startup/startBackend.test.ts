import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startBackend } from './startBackend';
import { createStartupGuardServiceFactory, durationMs } from './startupService';

function fakeBackend(start: () => Promise<unknown>) {
  const added: unknown[] = [];
  return {
    added,
    stopped: 0,
    add(feature: unknown) {
      added.push(feature);
    },
    start: start as any,
    async stop() {
      this.stopped++;
    },
  };
}

describe('startBackend', () => {
  it('exits with 1 when the backend fails to start (instead of staying alive with readiness 503)', async () => {
    const exit = jest.fn();
    const report = jest.fn();
    const backend = fakeBackend(() =>
      Promise.reject(new Error("Plugin 'catalog' startup failed")),
    );
    await startBackend(backend, { exit, report });
    expect(report).toHaveBeenCalledWith(
      "Backend failed to start, exiting: Plugin 'catalog' startup failed",
    );
    expect(backend.stopped).toBe(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(backend.added).toHaveLength(1); // the startup guard
  });

  it('does not exit when the backend started', async () => {
    const exit = jest.fn();
    const backend = fakeBackend(() => Promise.resolve({}));
    await startBackend(backend, { exit, report: jest.fn() });
    expect(exit).not.toHaveBeenCalled();
    expect(backend.stopped).toBe(0);
  });
});

describe('startup guard', () => {
  it('ends the process when the start does not finish within backend.startup.timeout', async () => {
    let exited: (code: number) => void = () => {};
    const exitCode = new Promise<number>(r => {
      exited = r;
    });
    let unblock: () => void = () => {};
    const blocked = new Promise<void>(r => {
      unblock = r;
    });
    const stuck = createBackendPlugin({
      pluginId: 'stuck',
      register(env) {
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init() {
            await blocked; // a plugin that never finishes its init
          },
        });
      },
    });
    const started = startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: { backend: { startup: { timeout: { milliseconds: 200 } } } },
        }),
        createStartupGuardServiceFactory(code => exited(code)),
        stuck,
      ],
    });
    expect(await exitCode).toBe(1);
    unblock();
    await (await started).stop();
  });

  it('does not end a backend that started in time', async () => {
    const exit = jest.fn();
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: { backend: { startup: { timeout: { milliseconds: 300 } } } },
        }),
        createStartupGuardServiceFactory(exit),
      ],
    });
    await new Promise(r => setTimeout(r, 500));
    expect(exit).not.toHaveBeenCalled();
    await backend.stop();
  });

  it('reads durations', () => {
    expect(durationMs({ minutes: 2, seconds: 3 })).toBe(123_000);
  });
});
