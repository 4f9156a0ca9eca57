/** One wrong config key: its path and the reason. @public */
export interface ConfigProblem {
  /** Key path, e.g. `gitops.pipelines.standard.environments[2].promotesFrom`. */
  path: string;
  reason: string;
}

const line = (p: ConfigProblem) => `Invalid config at '${p.path}': ${p.reason}`;

/**
 * The startup error of a wrong `gitops` config: names every problem found,
 * each with its key path and reason. Thrown from the plugin's init, so the
 * backend does not start.
 *
 * @public
 */
export class GitopsConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(key: string, reason: string);
  constructor(problems: ConfigProblem[]);
  constructor(keyOrProblems: string | ConfigProblem[], reason?: string) {
    const problems =
      typeof keyOrProblems === 'string'
        ? [{ path: keyOrProblems, reason: reason ?? '' }]
        : keyOrProblems;
    super(
      problems.length === 1
        ? line(problems[0])
        : `${problems.length} config problems:\n${problems
            .map(p => `  - ${line(p)}`)
            .join('\n')}`,
    );
    this.name = 'GitopsConfigError';
    this.problems = problems;
  }
}

/**
 * Collects config problems while reading, so one startup names all of them.
 *
 * @internal
 */
export class ConfigProblems {
  readonly #list: ConfigProblem[] = [];

  add(path: string, reason: string): void {
    this.#list.push({ path, reason });
  }

  /**
   * Runs `read`; a {@link GitopsConfigError} it throws becomes problems, any
   * other error (e.g. a config value of the wrong type) one problem at `path`.
   * Returns `undefined` when `read` threw.
   */
  attempt<T>(path: string, read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (e instanceof GitopsConfigError) this.#list.push(...e.problems);
      else this.add(path, (e as Error).message);
      return undefined;
    }
  }

  get count(): number {
    return this.#list.length;
  }

  /** Throws one {@link GitopsConfigError} naming every problem, if any. */
  throwIfAny(): void {
    if (this.#list.length) throw new GitopsConfigError([...this.#list]);
  }
}

/**
 * Runs a reader with its own collector when the caller passed none (a reader
 * used alone still throws everything it found).
 *
 * @internal
 */
export function collecting<T>(
  problems: ConfigProblems | undefined,
  read: (problems: ConfigProblems) => T,
): T {
  if (problems) return read(problems);
  const own = new ConfigProblems();
  const result = read(own);
  own.throwIfAny();
  return result;
}
