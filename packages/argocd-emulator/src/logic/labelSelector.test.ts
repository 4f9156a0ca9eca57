import { matchesLabelSelector, parseLabelSelector } from './labelSelector';

const labels = {
  'app.kubernetes.io/part-of': 'shop',
  env: 'prod',
  tier: 'web',
};
const m = (s: string, l: Record<string, string> = labels) =>
  matchesLabelSelector(parseLabelSelector(s), l);

describe('label selectors', () => {
  it.each([
    ['', true],
    ['env=prod', true],
    ['env==prod', true],
    ['env=dev', false],
    ['env!=dev', true],
    ['env!=prod', false],
    ['missing!=x', true],
    ['app.kubernetes.io/part-of=shop,env=prod', true],
    ['app.kubernetes.io/part-of=shop,env=dev', false],
    ['env in (dev, prod)', true],
    ['env in (dev,staging)', false],
    ['env notin (dev)', true],
    ['missing notin (dev)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    [' env = prod , tier ', true],
  ])('%s -> %s', (s, expected) => {
    expect(m(s)).toBe(expected);
  });

  it('accepts an empty value (valid in Kubernetes)', () => {
    expect(m('env=')).toBe(false);
    expect(m('env=', { env: '' })).toBe(true);
  });

  it.each(['=prod', 'env in (a', 'a b c', 'env=pr od', ',', 'bad key!=x'])(
    'rejects %s',
    s => {
      expect(() => parseLabelSelector(s)).toThrow();
    },
  );
});
