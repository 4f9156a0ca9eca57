import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { ConfigReader } from '@backstage/config';
import { GitWriteBack } from './GitWriteBack';
import { GitRepository } from './GitRepository';

const VALUES = `# prod values
image:
  repository: registry.local/python-api-base
  tag: "v1.1.0" # set by the image updater
replicaCount: 2
`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'seed',
      GIT_AUTHOR_EMAIL: 'seed@x',
      GIT_COMMITTER_NAME: 'seed',
      GIT_COMMITTER_EMAIL: 'seed@x',
    },
  }).trim();
}

jest.setTimeout(60_000);

describe('GitWriteBack', () => {
  let tmp: string;
  let remote: string;

  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-wb-'));
    remote = path.join(tmp, 'gitops-repo');
    await fs.mkdir(path.join(remote, 'apps/app-prod'), { recursive: true });
    git(remote, 'init', '-q', '-b', 'main');
    await fs.writeFile(path.join(remote, 'apps/app-prod/values.yaml'), VALUES);
    git(remote, 'add', '.');
    git(remote, 'commit', '-q', '-m', 'seed');
  });

  afterEach(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  function create(workDir = path.join(tmp, 'work')) {
    return GitWriteBack.create({
      repositories: [{ name: 'gitops', url: remote, branch: 'main' }],
      workDir,
      committer: {
        name: 'Backstage GitOps',
        email: 'gitops@backstage.invalid',
      },
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      logger: mockServices.logger.mock(),
      maxPushAttempts: 3,
    });
  }

  const write = (wb: GitWriteBack, changeId: string, value: string) =>
    wb.setValue({
      repository: 'gitops',
      file: 'apps/app-prod/values.yaml',
      key: 'image.tag',
      value,
      changeId,
      message: `gitops: promote app to ${value} in prod (change ${changeId})`,
      author: { name: 'alice', email: 'alice@backstage.invalid' },
    });

  it('commits the new tag into the checked-out branch of a non-bare repo, keeping the layout', async () => {
    const result = await write(create(), 'c1', 'v1.2.0');
    expect(result).toMatchObject({
      changed: true,
      reused: false,
      attempts: 1,
      previous: 'v1.1.0',
    });
    expect(git(remote, 'rev-parse', 'HEAD')).toBe(result.commitSha);
    // the remote's work tree is updated too (updateInstead), which the emulator reads
    expect(
      await fs.readFile(path.join(remote, 'apps/app-prod/values.yaml'), 'utf8'),
    ).toBe(VALUES.replace('"v1.1.0"', '"v1.2.0"'));
    expect(git(remote, 'log', '-1', '--format=%an|%cn|%s')).toBe(
      'alice|Backstage GitOps|gitops: promote app to v1.2.0 in prod (change c1)',
    );
  });

  it('does not commit twice for the same change, nor when the value is already there', async () => {
    const wb = create();
    const first = await write(wb, 'c1', 'v1.2.0');
    const again = await write(wb, 'c1', 'v1.2.0');
    expect(again).toMatchObject({ commitSha: first.commitSha, reused: true });
    const same = await write(wb, 'c2', 'v1.2.0');
    expect(same).toMatchObject({ changed: false, commitSha: first.commitSha });
    expect(git(remote, 'rev-list', '--count', 'HEAD')).toBe('2');
  });

  it('re-reads and retries when the branch moved (non-fast-forward)', async () => {
    const wb = create();
    await write(wb, 'c0', 'v1.1.5'); // clone exists now
    // someone else pushes an unrelated change after our clone was made
    await fs.writeFile(path.join(remote, 'README.md'), 'hello\n');
    git(remote, 'add', 'README.md');
    git(remote, 'commit', '-q', '-m', 'readme');
    // make our next fetch miss it once: a wrapper pushes in between
    const proto = GitRepository.prototype as any;
    const original = proto.syncToRemote;
    let calls = 0;
    const spy = jest
      .spyOn(proto, 'syncToRemote')
      .mockImplementation(async function syncThenMoveRemote(this: any) {
        const head = await original.call(this);
        calls++;
        if (calls === 1) {
          await fs.writeFile(path.join(remote, 'OTHER.md'), 'x\n');
          git(remote, 'add', 'OTHER.md');
          git(remote, 'commit', '-q', '-m', 'concurrent');
        }
        return head;
      });
    try {
      const r = await write(wb, 'c1', 'v1.2.0');
      expect(r.attempts).toBe(2);
      expect(git(remote, 'log', '--format=%s', '-3').split('\n')).toEqual([
        'gitops: promote app to v1.2.0 in prod (change c1)',
        'concurrent',
        'readme',
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('reverts the commit that brought the current version', async () => {
    const wb = create();
    await write(wb, 'c1', 'v1.2.0');
    const promoted = await write(wb, 'c2', 'v1.3.0');
    const r = await wb.revert({
      repository: 'gitops',
      file: 'apps/app-prod/values.yaml',
      key: 'image.tag',
      expect: 'v1.2.0',
      changeId: 'r1',
      message: sha =>
        `gitops: roll back app to v1.2.0 in prod (change r1)\n\nThis reverts commit ${sha}.`,
      author: { name: 'dave', email: 'dave@x' },
    });
    expect(r.revertedSha).toBe(promoted.commitSha);
    expect(git(remote, 'show', 'HEAD:apps/app-prod/values.yaml')).toContain(
      'tag: "v1.2.0" # set by the image updater',
    );
    await expect(wb.findChangeCommit('gitops', 'r1')).resolves.toBe(
      r.commitSha,
    );
  });

  it('refuses a revert that would not land on the expected version, pushing nothing', async () => {
    const wb = create();
    await write(wb, 'c1', 'v1.2.0');
    const before = git(remote, 'rev-parse', 'HEAD');
    await expect(
      wb.revert({
        repository: 'gitops',
        file: 'apps/app-prod/values.yaml',
        key: 'image.tag',
        expect: 'v0.9.0',
        changeId: 'r1',
        message: () => 'x (change r1)',
        author: { name: 'dave', email: 'dave@x' },
      }),
    ).rejects.toThrow('would set image.tag=v1.1.0, not v0.9.0');
    expect(git(remote, 'rev-parse', 'HEAD')).toBe(before);
  });
});
