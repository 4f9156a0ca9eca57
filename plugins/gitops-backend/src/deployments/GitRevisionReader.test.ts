import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { GitRevisionReader } from './GitRevisionReader';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.org',
    },
  }).trim();
}

describe('GitRevisionReader', () => {
  let tmp: string;
  let repo: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-reader-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'apps/api-prod'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(repo, 'apps/api-prod/values.yaml'), 'v: 1\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function reader() {
    return GitRevisionReader.create({
      repositories: [{ name: 'gitops', url: repo, branch: 'main' }],
      workDir: path.join(tmp, 'work'),
    });
  }

  it('reads a file at a commit, and fetches commits pushed later', async () => {
    const r = reader();
    const first = git(repo, 'rev-parse', 'HEAD');
    expect(await r.readFile('gitops', first, 'apps/api-prod/values.yaml')).toBe(
      'v: 1\n',
    );
    fs.writeFileSync(path.join(repo, 'apps/api-prod/values.yaml'), 'v: 2\n');
    git(repo, 'commit', '-q', '-am', 'two');
    const second = git(repo, 'rev-parse', 'HEAD');
    expect(
      await r.readFile('gitops', second, 'apps/api-prod/values.yaml'),
    ).toBe('v: 2\n');
    // the older commit is still answered (and from the cache)
    expect(await r.readFile('gitops', first, 'apps/api-prod/values.yaml')).toBe(
      'v: 1\n',
    );
  });

  it('answers undefined for a missing file or an unknown commit, and refuses non-commits and escaping paths', async () => {
    const r = reader();
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(await r.readFile('gitops', head, 'apps/none.yaml')).toBeUndefined();
    expect(
      await r.readFile('gitops', 'f'.repeat(40), 'apps/api-prod/values.yaml'),
    ).toBeUndefined();
    // branch names and options are never passed to git
    expect(
      await r.readFile('gitops', 'main', 'apps/api-prod/values.yaml'),
    ).toBeUndefined();
    expect(
      await r.readFile('gitops', '--output=x', 'apps/api-prod/values.yaml'),
    ).toBeUndefined();
    await expect(r.readFile('gitops', head, '../etc/passwd')).rejects.toThrow(
      'leaves the repository',
    );
    await expect(r.readFile('nope', head, 'a')).rejects.toThrow(
      "repository 'nope' is not defined",
    );
  });

  it('a repository that cannot be fetched fails without naming its location', async () => {
    const r = GitRevisionReader.create({
      repositories: [
        { name: 'gone', url: path.join(tmp, 'missing'), branch: 'main' },
      ],
      workDir: path.join(tmp, 'work2'),
    });
    await expect(r.readFile('gone', 'a'.repeat(40), 'x')).rejects.toThrow(
      "git fetch of repository 'gone' failed",
    );
    await expect(r.readFile('gone', 'a'.repeat(40), 'x')).rejects.not.toThrow(
      /missing/,
    );
  });
});
