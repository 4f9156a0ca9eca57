import { parseLabelSelector } from './labelSelector';

const labels = {
  env: 'prod',
  'app.kubernetes.io/part-of': 'shop',
  tier: 'web',
};

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['env=prod', true],
    ['env==prod', true],
    ['env=dev', false],
    ['env!=dev', true],
    ['env!=prod', false],
    ['missing!=x', true],
    ['app.kubernetes.io/part-of=shop', true],
    ['env in (dev,prod)', true],
    ['env in (dev, staging)', false],
    ['env notin (dev,staging)', true],
    ['missing notin (a)', true],
    ['missing in (a)', false],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['env=prod,tier=web', true],
    ['env=prod,tier=api', false],
    ['env in (prod),!missing,tier', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)!(labels)).toBe(expected);
  });
  it('undefined labels are no labels', () => {
    expect(parseLabelSelector('!a')!(undefined)).toBe(true);
    expect(parseLabelSelector('a')!(undefined)).toBe(false);
  });
  it.each([
    'env in (a',
    'env in a)',
    'a=b=c',
    '=x',
    'in (a)',
    'a in ((b))',
    'k=v w',
    '-bad=x',
  ])('does not understand %s', s => {
    expect(parseLabelSelector(s)).toBeUndefined();
  });
});
