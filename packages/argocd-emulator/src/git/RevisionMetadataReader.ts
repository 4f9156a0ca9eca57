import { SimpleGit } from 'simple-git';
import { CatFile } from './CatFile';
import { CommitObject, parseCommitObject, parseShowOutput } from './gitParsing';
import { CommitMetadata } from './repoTypes';

/**
 * Revision metadata of the GitOps repository (author, date, message, tags),
 * cached by commit SHA as Argo CD's repo server caches it; the repository
 * empties the cache on every write (a write may add a tag).
 */
export class RevisionMetadataReader {
  readonly #git: SimpleGit;
  readonly #cat: CatFile;
  readonly #resolve: (revision: string) => Promise<string>;
  readonly #bySha = new Map<string, CommitMetadata>();

  constructor(
    git: SimpleGit,
    cat: CatFile,
    resolve: (revision: string) => Promise<string>,
  ) {
    this.#git = git;
    this.#cat = cat;
    this.#resolve = resolve;
  }

  /** Forgets every cached commit. */
  clear(): void {
    this.#bySha.clear();
  }

  /** Author, date, message and tags of a commit. */
  async read(revision: string): Promise<CommitMetadata> {
    const cached = this.#bySha.get(revision);
    if (cached) return { ...cached, tags: [...cached.tags] };
    // a full SHA the cat-file process knows as a commit needs no rev-parse
    const known =
      /^[0-9a-f]{40}$/.test(revision) &&
      (await this.#cat.read(revision).catch(() => undefined))?.type ===
        'commit';
    const sha = known ? revision : await this.#resolve(revision);
    const parsed = await this.#commitObject(sha);
    const tagsOut = await this.#git.raw(['tag', '--points-at', sha]);
    const tags = tagsOut
      .split('\n')
      .map(t => t.trim())
      .filter(Boolean)
      .sort();
    const metadata: CommitMetadata = { sha, ...parsed, tags };
    this.#bySha.set(sha, metadata);
    return { ...metadata, tags: [...metadata.tags] };
  }

  /** Author, date and message of a commit, from the cat-file process (git show as a fallback). */
  async #commitObject(sha: string): Promise<CommitObject> {
    const obj = await this.#cat.read(sha).catch(() => undefined);
    const parsed =
      obj?.type === 'commit'
        ? parseCommitObject(obj.content.toString('utf8'))
        : undefined;
    if (parsed) return parsed;
    return parseShowOutput(
      await this.#git.raw([
        'show',
        '-s',
        '--format=%an <%ae>%x00%aI%x00%B',
        sha,
      ]),
    );
  }
}
