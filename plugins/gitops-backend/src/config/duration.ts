import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { parseDuration } from '../windows/duration';
import { GitopsConfigError } from './errors';

/**
 * The one duration reader of the plugin's config. Accepts everything
 * `readDurationFromConfig` accepts (`30s`, `10 minutes`, ISO 8601 `PT1H`,
 * `{ minutes: 10 }`) and the Go-style strings the policy documents
 * (`1h30m`, `2d`, `0`). Throws {@link GitopsConfigError} naming the key path.
 *
 * @param path - key path of `config` itself, for messages
 * @internal
 */
export function readDurationMs(c: Config, key: string, path: string): number {
  const keyPath = path ? `${path}.${key}` : key;
  const raw = c.getOptional(key);
  if (typeof raw === 'string') {
    const goStyle = parseDuration(raw.trim());
    if (goStyle !== undefined) return goStyle;
    try {
      return durationToMilliseconds(readDurationFromConfig(c, { key }));
    } catch (e) {
      // the library's own words ("Invalid duration '…'"), without its relative key
      const detail = (e as Error).message.replace(
        / in config at '[^']*',/,
        ':',
      );
      throw new GitopsConfigError(
        keyPath,
        `cannot parse duration '${raw}': expected e.g. 30s, 1h30m, 2d, 10 minutes, PT1H or { minutes: 10 } (${detail})`,
      );
    }
  }
  try {
    return durationToMilliseconds(
      readDurationFromConfig(c, { key }) as HumanDuration,
    );
  } catch (e) {
    throw new GitopsConfigError(keyPath, (e as Error).message);
  }
}

/** {@link readDurationMs} of an optional key. @internal */
export function readOptionalDurationMs(
  c: Config,
  key: string,
  path: string,
): number | undefined {
  return c.has(key) ? readDurationMs(c, key, path) : undefined;
}
