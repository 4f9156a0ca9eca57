import { ConfigReader } from '@backstage/config';
import { readMirrorConfig } from './config';
import { DEFAULT_MIRROR_CONFIG } from './types';

const read = (mirror: unknown) =>
  readMirrorConfig(
    new ConfigReader(mirror === undefined ? {} : { gitops: { mirror } }),
  );

describe('readMirrorConfig', () => {
  it('defaults: on, 500 ms to 30 s, resync after 5 failures', () => {
    expect(read(undefined)).toEqual(DEFAULT_MIRROR_CONFIG);
    expect(read({})).toEqual(DEFAULT_MIRROR_CONFIG);
    expect(DEFAULT_MIRROR_CONFIG).toEqual({
      enabled: true,
      initialBackoffMs: 500,
      maxBackoffMs: 30_000,
      resyncAfterFailures: 5,
      relistIntervalMs: 600_000,
      projectsRefreshMs: 60_000,
    });
  });
  it('reads every key', () => {
    expect(
      read({
        enabled: false,
        backoff: { initial: '250ms', max: { minutes: 2 } },
        resyncAfterFailures: 3,
        relistInterval: '0s',
        projectsRefresh: '5m',
      }),
    ).toEqual({
      enabled: false,
      initialBackoffMs: 250,
      maxBackoffMs: 120_000,
      resyncAfterFailures: 3,
      relistIntervalMs: 0,
      projectsRefreshMs: 300_000,
    });
  });
  it('names every wrong key', () => {
    expect(() =>
      read({
        enabled: 42,
        backoff: { initial: 'soon', max: '0s' },
        resyncAfterFailures: 0.5,
        relistInterval: 'often',
      }),
    ).toThrow(
      /gitops\.mirror\.enabled[\s\S]*gitops\.mirror\.backoff\.initial[\s\S]*gitops\.mirror\.backoff\.max[\s\S]*gitops\.mirror\.resyncAfterFailures[\s\S]*gitops\.mirror\.relistInterval/,
    );
    expect(() => read({ projectsRefresh: '0s' })).toThrow(
      /'gitops\.mirror\.projectsRefresh': must be longer than 0/,
    );
    expect(() => read({ backoff: { initial: '10s', max: '1s' } })).toThrow(
      /'gitops\.mirror\.backoff\.max': must not be shorter than backoff\.initial/,
    );
  });
});
