import { ConfigReader } from '@backstage/config';
import { readExecutionSettings } from './readExecution';

describe('readExecutionSettings', () => {
  it('reads durations in every form readDurationFromConfig accepts', () => {
    const s = readExecutionSettings(
      new ConfigReader({
        gitops: {
          execution: {
            pollInterval: '2s',
            operationTimeout: { minutes: 20 },
            leaseDuration: 'PT30S',
            maxConcurrent: 2,
          },
        },
      }),
    );
    expect(s).toMatchObject({
      pollIntervalMs: 2000,
      operationTimeoutMs: 1_200_000,
      leaseMs: 30_000,
      maxConcurrent: 2,
    });
    expect(s.healthTimeoutMs).toBe(600_000);
  });

  it('rejects a non-positive or inconsistent value, naming the key', () => {
    expect(() =>
      readExecutionSettings(
        new ConfigReader({ gitops: { execution: { maxConcurrent: 0 } } }),
      ),
    ).toThrow(
      "Invalid config at 'gitops.execution.maxConcurrent': must be a positive integer",
    );
    expect(() =>
      readExecutionSettings(
        new ConfigReader({
          gitops: { execution: { pollInterval: '20s', maxPollInterval: '5s' } },
        }),
      ),
    ).toThrow(
      "'gitops.execution.maxPollInterval': must not be shorter than pollInterval",
    );
    expect(() =>
      readExecutionSettings(
        new ConfigReader({ gitops: { execution: { busyTimeout: 'soon' } } }),
      ),
    ).toThrow("Invalid config at 'gitops.execution.busyTimeout'");
  });
});
