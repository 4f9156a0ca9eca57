/** Pure parsers of what git prints for `GitopsRepo` (no I/O). */

/** One commit of a path's history. */
export type LogEntry = { sha: string; date: string; authorEmail: string };

/** Author, date and message of a commit. */
export type CommitObject = { author: string; date: string; message: string };

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A raw commit object (`cat-file`); undefined when it has no author line. */
export function parseCommitObject(text: string): CommitObject | undefined {
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const m = /^author (.*) (\d+) [+-]\d{4}$/m.exec(headers);
  if (!m) return undefined;
  return {
    author: m[1],
    date: iso(new Date(Number(m[2]) * 1000)),
    message: (split < 0 ? '' : text.slice(split + 2)).replace(/\n+$/, ''),
  };
}

/** `git show -s --format=%an <%ae>%x00%aI%x00%B`. */
export function parseShowOutput(out: string): CommitObject {
  const [author, date, ...rest] = out.split('\u0000');
  return {
    author,
    date: iso(new Date(date)),
    message: rest.join('\u0000').replace(/\n+$/, ''),
  };
}

/**
 * `git log --format=>%H %aI %ae --name-only` over top-level folders, picked
 * out into the commits of each of `dirs` (newest first, up to `max` each).
 */
export function parseLogByDir(
  out: string,
  dirs: string[],
  max: number,
): Map<string, LogEntry[]> {
  const result = new Map<string, LogEntry[]>(dirs.map(d => [d, []]));
  let current: LogEntry | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('>')) {
      const [sha, date, authorEmail = ''] = line.slice(1).split(' ');
      current = { sha, date, authorEmail };
      continue;
    }
    if (!line.trim() || !current) continue;
    // every folder of the changed path that was asked for
    const parts = line.split('/');
    for (let i = 1; i < parts.length; i++) {
      const list = result.get(parts.slice(0, i).join('/'));
      if (
        list &&
        list.length < max &&
        list[list.length - 1]?.sha !== current.sha
      )
        list.push(current);
    }
  }
  return result;
}

/** `git log --format=%H %aI`. */
export function parseLog(out: string): { sha: string; date: string }[] {
  return out
    .split('\n')
    .filter(Boolean)
    .map(l => {
      const [sha, date] = l.split(' ');
      return { sha, date };
    });
}
