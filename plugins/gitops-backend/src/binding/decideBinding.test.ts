import {
  allowedHelmNamespaces,
  decideBinding,
  matchesApplication,
} from './decideBinding';
import { BindingConfig, DEFAULT_BINDINGS } from './types';

const OWNER = 'component:default/python-api-base';
const app = (annotations?: Record<string, string>, over: object = {}) => ({
  instance: 'local',
  name: 'python-api-base-prod',
  project: 'shop',
  labels: { team: 'a' },
  annotations,
  ...over,
});
const owner = { ref: OWNER, owners: ['group:default/team-a'] };
const rogue = {
  ref: 'component:default/bob-tools',
  owners: ['group:default/bobs'],
};
const withDefault: BindingConfig = {
  ...DEFAULT_BINDINGS,
  defaultPipeline: 'standard',
};

describe('decideBinding', () => {
  it('binds the entity the Application names, under the pipeline it names', () => {
    const a = app({
      'gitops.backstage.io/entity-ref': 'python-api-base',
      'gitops.backstage.io/pipeline': 'standard',
    });
    expect(decideBinding(DEFAULT_BINDINGS, a, owner, 'standard')).toEqual({
      bound: true,
      via: [
        'annotation gitops.backstage.io/entity-ref of the Argo CD Application',
      ],
      pipelines: ['standard'],
    });
    expect(decideBinding(DEFAULT_BINDINGS, a, rogue, 'standard')).toMatchObject(
      {
        bound: false,
        conflict: false,
        reason: expect.stringContaining(
          `is not bound to component:default/bob-tools: it is bound to ${OWNER}`,
        ),
      },
    );
  });

  it('an application that names nobody binds nobody (the safe default)', () => {
    expect(decideBinding(withDefault, app(), owner, 'standard')).toMatchObject({
      bound: false,
      reason: expect.stringContaining('names no entity'),
    });
  });

  it('refuses a pipeline the binding does not name, whoever asks', () => {
    const a = app({
      'gitops.backstage.io/entity-ref': OWNER,
      'gitops.backstage.io/pipeline': 'standard',
    });
    expect(
      decideBinding(DEFAULT_BINDINGS, a, owner, 'fast-track'),
    ).toMatchObject({
      bound: false,
      reason: expect.stringContaining("runs under pipeline 'standard'"),
    });
  });

  it('without a named pipeline only the default pipeline; without a default none', () => {
    const a = app({ 'gitops.backstage.io/entity-ref': OWNER });
    expect(decideBinding(withDefault, a, owner, 'standard').bound).toBe(true);
    expect(decideBinding(withDefault, a, owner, 'fast-track').bound).toBe(
      false,
    );
    expect(decideBinding(DEFAULT_BINDINGS, a, owner, 'standard').bound).toBe(
      false,
    );
  });

  it('platform rules bind by instance, project, name glob and labels, to entities or owners', () => {
    const cfg: BindingConfig = {
      ...withDefault,
      rules: [
        {
          path: 'gitops.bindings.rules[0]',
          match: {
            instances: ['local'],
            projects: ['shop'],
            names: ['python-*-prod'],
            labels: { team: 'a' },
          },
          entities: [],
          owners: ['group:default/team-a'],
          pipelines: ['standard'],
        },
      ],
    };
    expect(decideBinding(cfg, app(), owner, 'standard')).toMatchObject({
      bound: true,
      via: ['gitops.bindings.rules[0]'],
    });
    expect(decideBinding(cfg, app(), rogue, 'standard').bound).toBe(false);
    expect(
      decideBinding(
        cfg,
        app(undefined, { labels: { team: 'b' } }),
        owner,
        'standard',
      ).bound,
    ).toBe(false);
  });

  it('two entities for one application are a conflict, for each of them', () => {
    const cfg: BindingConfig = {
      ...withDefault,
      rules: [
        {
          path: 'gitops.bindings.rules[0]',
          match: { names: ['python-*'] },
          entities: [rogue.ref],
          owners: [],
        },
      ],
    };
    const a = app({ 'gitops.backstage.io/entity-ref': OWNER });
    for (const who of [owner, rogue]) {
      expect(decideBinding(cfg, a, who, 'standard')).toMatchObject({
        bound: false,
        conflict: true,
      });
    }
  });

  it('an entity annotation is ignored when the platform turns application annotations off', () => {
    const cfg = { ...withDefault, applicationAnnotations: false };
    expect(
      decideBinding(
        cfg,
        app({ 'gitops.backstage.io/entity-ref': OWNER }),
        owner,
        'standard',
      ).bound,
    ).toBe(false);
  });
});

describe('matchesApplication', () => {
  it.each([
    [{ names: ['python-api-base-*'] }, true],
    [{ names: ['python-api-base-?rod'] }, true],
    [{ names: ['python.api-base-prod'] }, false],
    [{ instances: ['other'] }, false],
    [{ projects: ['shop'] }, true],
    [{ labels: { team: 'a' } }, true],
    [{ labels: { team: 'a', tier: 'x' } }, false],
  ])('%j → %s', (match, expected) => {
    expect(matchesApplication(match, app())).toBe(expected);
  });
});

describe('allowedHelmNamespaces', () => {
  const rules: BindingConfig = {
    ...DEFAULT_BINDINGS,
    rules: [
      {
        path: 'gitops.bindings.rules[0]',
        match: { names: ['python-api-base-*'] },
        entities: [],
        owners: ['group:default/team-a'],
        helmNamespaces: ['migrations'],
      },
      {
        path: 'gitops.bindings.rules[1]',
        match: { names: ['other-*'] },
        entities: [OWNER],
        helmNamespaces: ['kube-system'],
        owners: [],
      },
    ],
  };
  const a = { ...app(), destinationNamespace: 'shop' };

  it("is the application's destination namespace and the namespaces of the rules that bind the entity to it", () => {
    expect(allowedHelmNamespaces(DEFAULT_BINDINGS, a, owner)).toEqual(['shop']);
    expect(allowedHelmNamespaces(rules, a, owner)).toEqual([
      'shop',
      'migrations',
    ]);
  });

  it('takes nothing from rules that bind another entity or match another application', () => {
    expect(allowedHelmNamespaces(rules, a, rogue)).toEqual(['shop']);
    expect(
      allowedHelmNamespaces(
        rules,
        { ...app(), destinationNamespace: undefined },
        rogue,
      ),
    ).toEqual([]);
  });
});
