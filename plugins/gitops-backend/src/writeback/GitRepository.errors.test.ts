/* Git errors that reach a change's message carry no local paths and no credentials. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitRepository, sanitizeGitMessage } from './GitRepository';
import { GitWriteBack } from './GitWriteBack';

jest.setTimeout(60_000);

const committer = {
  name: 'Backstage GitOps',
  email: 'gitops@backstage.invalid',
};
const author = { name: 'alice', email: 'alice@backstage.invalid' };

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 's',
      GIT_AUTHOR_EMAIL: 's@x',
      GIT_COMMITTER_NAME: 's',
      GIT_COMMITTER_EMAIL: 's@x',
    },
  });
}

describe('git errors', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.realpath(
      await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-err-')),
    );
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  const noLeak = (message: string) => {
    expect(message).not.toContain(tmp);
    expect(message).not.toContain(os.tmpdir());
    expect(message).not.toMatch(/\/(tmp|var|home|root|Users)\//);
  };

  it('a clone of a missing local repository names no path', async () => {
    const repo = GitRepository.open({
      remote: path.join(tmp, 'missing-repo'),
      branch: 'main',
      dir: path.join(tmp, 'work', 'clone'),
      committer,
    });
    const err = await repo.syncToRemote().catch(e => e);
    expect(err.name).toBe('GitCommandError');
    expect(err.code).toBe('command-failed');
    expect(err.message).toMatch(/^git fetch failed: fatal: /);
    expect(err.message).toContain('[path]');
    noLeak(err.message);
  });

  it('an https remote with credentials in its URL never shows them', async () => {
    const repo = GitRepository.open({
      remote: 'http://deploy:url-SECRET-token@127.0.0.1:9/gitops.git',
      branch: 'main',
      dir: path.join(tmp, 'work', 'clone'),
      committer,
      credentials: { username: 'x-access-token', password: 'hdr-SECRET-pass' },
    });
    const err = await repo.syncToRemote().catch(e => e);
    expect(err.name).toBe('GitCommandError');
    expect(err.message).not.toContain('url-SECRET-token');
    expect(err.message).not.toContain('hdr-SECRET-pass');
    noLeak(err.message);
  });

  it('a failed push names no path', async () => {
    const remote = path.join(tmp, 'remote');
    await fs.mkdir(remote);
    git(remote, 'init', '-q', '-b', 'main');
    await fs.writeFile(path.join(remote, 'values.yaml'), 'image:\n  tag: v1\n');
    git(remote, 'add', '.');
    git(remote, 'commit', '-q', '-m', 'seed');
    const wb = GitWriteBack.create({
      repositories: [{ name: 'gitops', url: remote, branch: 'main' }],
      workDir: path.join(tmp, 'work'),
      committer,
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      logger: mockServices.logger.mock(),
      maxPushAttempts: 1,
    });
    const write = (changeId: string, value: string) =>
      wb.setValue({
        repository: 'gitops',
        file: 'values.yaml',
        key: 'image.tag',
        value,
        changeId,
        message: `set ${value} (change ${changeId})`,
        author,
      });
    await write('c1', 'v2');
    // the remote disappears: the next write fails in git
    await fs.rm(remote, { recursive: true, force: true });
    const err = await write('c2', 'v3').catch(e => e);
    expect(err.name).toBe('GitCommandError');
    expect(err.code).toBe('command-failed');
    noLeak(err.message);
  });

  it.each([
    [
      "fatal: repository '/srv/backstage/data/gitops-x/clone' does not exist",
      "fatal: repository '[path]' does not exist",
    ],
    [
      "fatal: unable to access 'https://bob:s3cret-pw@git.example.com/g.git/': Could not resolve host",
      "fatal: unable to access 'https://[redacted]@git.example.com/g.git/': Could not resolve host",
    ],
    [
      'error: header Authorization: Basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0 refused',
      'error: header Authorization: Basic [redacted] refused',
    ],
    [
      'fatal: C:\\Users\\svc\\work\\clone: not a git repository',
      'fatal: [path]: not a git repository',
    ],
    [
      'error: failed to push some refs to file:///var/lib/gitops/repo',
      'error: failed to push some refs to [path]',
    ],
  ])('sanitizes %j', (input, output) => {
    expect(sanitizeGitMessage(input, [])).toBe(output);
  });
});
