import { gitopsPlugin } from './plugin';

describe('gitops', () => {
  it('should export plugin', () => {
    expect(gitopsPlugin).toBeDefined();
  });
});
