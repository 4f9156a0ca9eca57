import { FleetEnvironment } from '@internal/plugin-gitops-common';
import { environmentStates, entityStates, matchesStates } from './fleetStates';
import { PromotionInput, isAhead, waitingPromotions } from './promotable';

function env(
  name: string,
  order: number,
  over: Partial<PromotionInput> = {},
): PromotionInput {
  return {
    name,
    order,
    versionStatus: 'known',
    hasApplication: true,
    ...over,
  };
}

const pipeline = (dev?: string, staging?: string, prod?: string) => [
  env('dev', 0, { version: dev, versionStatus: dev ? 'known' : 'unknown' }),
  env('staging', 1, {
    promotesFrom: 'dev',
    version: staging,
    versionStatus: staging ? 'known' : 'unknown',
  }),
  env('prod', 2, {
    promotesFrom: 'staging',
    version: prod,
    versionStatus: prod ? 'known' : 'unknown',
  }),
];

describe('isAhead', () => {
  it.each([
    // source, target, ahead, ordered
    ['v1.3.0', 'v1.2.0', true, true],
    ['v1.2.0', 'v1.3.0', false, true],
    ['v1.2.0', 'v1.2.0', false, true],
    ['v1.2.0', '1.2.0', false, true], // a leading v does not count
    ['v1.2.0+build.2', 'v1.2.0+build.1', false, true], // build metadata ignored
    ['v1.2.0', 'v1.2.0-rc.1', true, true], // release after its prerelease
    ['v1.2.0-rc.10', 'v1.2.0-rc.9', true, true], // numeric prerelease order
    ['v2.0.0', 'v10.0.0', false, true], // numeric, not lexical
    ['abc123', 'def456', true, false], // not semver: differ
    ['abc123', 'abc123', false, false],
    ['v1.2.0', 'latest', true, false], // one side not semver
    ['v1.2', 'v1.1', true, false], // not strict semver: compared as text
  ])('%s vs %s → ahead %s (ordered %s)', (s, t, ahead, ordered) => {
    expect(isAhead(s, t)).toEqual({ ahead, ordered });
  });
});

describe('waitingPromotions', () => {
  it('dev ahead of staging, staging ahead of prod: both waiting, in pipeline order', () => {
    expect(waitingPromotions(pipeline('v1.3.0', 'v1.2.0', 'v1.1.0'))).toEqual([
      { from: 'dev', to: 'staging', version: 'v1.3.0', current: 'v1.2.0' },
      { from: 'staging', to: 'prod', version: 'v1.2.0', current: 'v1.1.0' },
    ]);
  });

  it('the same everywhere: nothing waiting', () => {
    expect(waitingPromotions(pipeline('v1.2.0', 'v1.2.0', 'v1.2.0'))).toEqual(
      [],
    );
  });

  it('a hotfix ahead downstream: nothing waits upstream of it', () => {
    expect(waitingPromotions(pipeline('v1.2.0', 'v1.2.0', 'v1.2.1'))).toEqual(
      [],
    );
  });

  it('only staging ahead of prod', () => {
    expect(waitingPromotions(pipeline('v1.2.0', 'v1.2.0', 'v1.0.0'))).toEqual([
      { from: 'staging', to: 'prod', version: 'v1.2.0', current: 'v1.0.0' },
    ]);
  });

  it('versions that cannot be ordered but differ are waiting, marked unordered', () => {
    expect(waitingPromotions(pipeline('sha-b', 'sha-a', 'sha-a'))).toEqual([
      {
        from: 'dev',
        to: 'staging',
        version: 'sha-b',
        current: 'sha-a',
        unordered: true,
      },
    ]);
  });

  it('is independent of the order the environments come in', () => {
    const envs = pipeline('v1.3.0', 'v1.2.0', 'v1.1.0');
    expect(waitingPromotions([...envs].reverse())).toEqual(
      waitingPromotions(envs),
    );
  });

  it('an environment without promotesFrom, or whose source is not in the list, waits for nothing', () => {
    expect(
      waitingPromotions([
        env('dev', 0, { version: 'v2.0.0' }),
        env('qa', 1, { version: 'v1.0.0' }),
        env('prod', 2, { promotesFrom: 'missing', version: 'v1.0.0' }),
      ]),
    ).toEqual([]);
  });

  // Every combination of what can make a side unreadable: nothing is guessed.
  const sides: Array<[string, Partial<PromotionInput>, boolean]> = [
    ['known', {}, true],
    ['ambiguous', { versionStatus: 'ambiguous', version: undefined }, false],
    ['unknown', { versionStatus: 'unknown', version: undefined }, false],
    ['no status', { versionStatus: undefined, version: undefined }, false],
    [
      'errored',
      { error: { name: 'ServiceUnavailableError', message: 'down' } },
      false,
    ],
    ['no application', { hasApplication: false }, false],
    [
      'known status without a version',
      { versionStatus: 'known', version: undefined },
      false,
    ],
  ];
  describe.each(sides)('source %s', (_s, source, sourceOk) => {
    it.each(sides)('target %s', (_t, target, targetOk) => {
      const result = waitingPromotions([
        env('dev', 0, { version: 'v2.0.0', ...source }),
        env('staging', 1, {
          promotesFrom: 'dev',
          version: 'v1.0.0',
          ...target,
        }),
      ]);
      expect(result.length).toBe(sourceOk && targetOk ? 1 : 0);
    });
  });
});

describe('fleet states', () => {
  const base: FleetEnvironment = { name: 'prod', order: 2 };
  it.each<[string, Partial<FleetEnvironment>, string[]]>([
    ['nothing', { syncStatus: 'Synced', health: 'Healthy' }, []],
    ['OutOfSync', { syncStatus: 'OutOfSync' }, ['out-of-sync']],
    ['Unknown sync is not out of sync', { syncStatus: 'Unknown' }, []],
    ['Degraded', { health: 'Degraded' }, ['degraded']],
    ['Missing counts as degraded', { health: 'Missing' }, ['degraded']],
    ['Progressing is not degraded', { health: 'Progressing' }, []],
    [
      'open change',
      {
        pendingChange: {
          id: 'c1',
          state: 'awaiting_approval',
          kind: 'promote',
        },
      },
      ['pending-change'],
    ],
    [
      'closed window',
      { window: { open: false, message: 'closed' } },
      ['blocked-by-window'],
    ],
    ['open window', { window: { open: true, message: 'open' } }, []],
    [
      'everything at once, in FLEET_STATES order',
      {
        syncStatus: 'OutOfSync',
        health: 'Degraded',
        pendingChange: { id: 'c1', state: 'executing', kind: 'sync' },
        window: { open: false, message: 'closed' },
      },
      ['out-of-sync', 'degraded', 'pending-change', 'blocked-by-window'],
    ],
  ])('%s', (_n, over, expected) => {
    expect(environmentStates({ ...base, ...over }, [])).toEqual(expected);
  });

  it('promotable only for the target of a waiting promotion', () => {
    const waiting = [
      { from: 'staging', to: 'prod', version: 'v2', current: 'v1' },
    ];
    expect(environmentStates(base, waiting)).toEqual(['promotable']);
    expect(environmentStates({ ...base, name: 'staging' }, waiting)).toEqual(
      [],
    );
  });

  it('entity states are the union over its environments', () => {
    expect(
      entityStates(
        [
          { name: 'dev', order: 0, health: 'Degraded' },
          { name: 'prod', order: 1, syncStatus: 'OutOfSync' },
        ],
        [{ from: 'dev', to: 'prod', version: 'v2', current: 'v1' }],
      ),
    ).toEqual(['out-of-sync', 'degraded', 'promotable']);
  });

  it.each<[string[], string[] | undefined, boolean]>([
    [[], undefined, true],
    [[], [], true],
    [[], ['degraded'], false],
    [['degraded'], ['degraded'], true],
    [['degraded'], ['out-of-sync', 'degraded'], true],
    [['promotable'], ['out-of-sync', 'degraded'], false],
  ])('states %j match %j: %s', (states, wanted, expected) => {
    expect(matchesStates(states as any, wanted as any)).toBe(expected);
  });
});
