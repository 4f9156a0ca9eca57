import { spawn } from 'node:child_process';
import { SeedCommit } from './repoTypes';

/**
 * The `git fast-import` stream of `commits` on `ref`: the first commit
 * continues `ref` when the branch has commits (`from ref^0`); `extraFirstFiles`
 * go into the first commit too (the README of a fresh repository); each
 * commit's tags are reset onto it.
 */
export function fastImportStream(
  commits: SeedCommit[],
  ref: string,
  hadCommits: boolean,
  extraFirstFiles: Record<string, string> = {},
): Buffer {
  const chunks: Buffer[] = [];
  const push = (s: string | Buffer) =>
    chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
  const data = (content: string) => {
    const b = Buffer.from(content, 'utf8');
    push(`data ${b.length}\n`);
    push(b);
    push('\n');
  };
  commits.forEach((c, i) => {
    const when = `${Math.floor(c.date.getTime() / 1000)} +0000`;
    push(`commit ${ref}\nmark :${i + 1}\n`);
    push(`author ${c.author.name} <${c.author.email}> ${when}\n`);
    push(`committer ${c.author.name} <${c.author.email}> ${when}\n`);
    data(c.message.endsWith('\n') ? c.message : `${c.message}\n`);
    if (i === 0 && hadCommits) push(`from ${ref}^0\n`);
    const files = i === 0 ? { ...c.files, ...extraFirstFiles } : c.files;
    for (const [rel, content] of Object.entries(files)) {
      push(`M 100644 inline ${rel}\n`);
      data(content);
    }
    push('\n');
    for (const tag of c.tags ?? [])
      push(`reset refs/tags/${tag}\nfrom :${i + 1}\n\n`);
  });
  return Buffer.concat([...chunks, Buffer.from('done\n')]);
}

/** Runs `git fast-import` in `dir` on `input`; rejects with git's stderr when it fails. */
export function runFastImport(dir: string, input: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const proc = spawn(
      'git',
      ['-c', 'fastimport.unpackLimit=1', 'fast-import', '--quiet', '--done'],
      { cwd: dir, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let err = '';
    proc.stderr.on('data', d => {
      err += d.toString();
    });
    proc.on('error', reject);
    proc.on('close', code =>
      code === 0
        ? resolve()
        : reject(new Error(`git fast-import failed: ${err.trim()}`)),
    );
    proc.stdin.end(input);
  });
}
