/**
 * Pure helpers over a values file's git history.
 */

/** One commit of a values file with the key's value after and before it. @internal */
export interface KeyHistoryEntry {
  sha: string;
  subject: string;
  /** Value of the key after this commit. */
  value?: string;
  /** Value of the key in the commit's parent. */
  parentValue?: string;
}

/**
 * The newest commit that set the key to its current value (what a rollback
 * reverts). `entries` are newest first. Undefined when the history does not
 * say (e.g. the value was there from the first commit of a shallow history).
 *
 * @internal
 */
export function findIntroducingCommit(
  entries: KeyHistoryEntry[],
  current: string,
): KeyHistoryEntry | undefined {
  for (const e of entries) {
    if (e.value !== current) {
      // the key was changed away from a different value later: history is
      // not linear for this key; the newest commit with `current` decides.
      continue;
    }
    if (e.parentValue !== current) {
      return e;
    }
  }
  return undefined;
}
