import { parseKeyPath, readValuesKey, setValuesKey } from './valuesFile';

const VALUES = `# Values for python-api-base in prod
replicaCount: 2

image:
  repository: images.example.org/python-api-base # the image
  # bumped by the image updater
  tag: "v1.1.0" # current release
  pullPolicy: IfNotPresent

resources: {}
`;

describe('valuesFile', () => {
  it('changes only the value, keeping comments, quotes and blank lines', () => {
    const r = setValuesKey(VALUES, 'image.tag', 'v1.2.0');
    expect(r.changed).toBe(true);
    expect(r.previous).toBe('v1.1.0');
    expect(r.text).toBe(VALUES.replace('"v1.1.0"', '"v1.2.0"'));
  });

  it('reports no change when the value is already set', () => {
    const r = setValuesKey(VALUES, 'image.tag', 'v1.1.0');
    expect(r.changed).toBe(false);
    expect(r.text).toBe(VALUES);
  });

  it('creates missing maps and quotes values that would not load as strings', () => {
    const r = setValuesKey('replicaCount: 1\n', 'image.tag', '1.10');
    expect(r.text).toBe('replicaCount: 1\nimage:\n  tag: "1.10"\n');
    expect(readValuesKey(r.text, 'image.tag')).toBe('1.10');
  });

  it('quotes a plain scalar that would turn into a number', () => {
    const r = setValuesKey('image:\n  tag: v1\n', 'image.tag', '2.0');
    expect(r.text).toBe('image:\n  tag: "2.0"\n');
  });

  it('refuses to descend through a scalar', () => {
    expect(() => setValuesKey('image: nginx\n', 'image.tag', 'v1')).toThrow(
      "cannot set 'image.tag': 'image' is not a mapping",
    );
  });

  it('rejects invalid YAML and bad key paths', () => {
    expect(() => setValuesKey('a: [\n', 'a', 'b')).toThrow('not valid YAML');
    expect(() => parseKeyPath('image..tag')).toThrow('dot-separated');
    expect(readValuesKey(VALUES, 'image.missing')).toBeUndefined();
  });
});
