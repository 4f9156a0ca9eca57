import { InputError, NotAllowedError } from '@backstage/errors';
import { PolicyCheck, stripField } from '../policy';
import { StoredChange } from '../store/ChangeStore';

/** The stored checks with the updated ones replaced (by id). @internal */
export function mergeChecks(
  old: StoredChange['checks'],
  updates: PolicyCheck[],
) {
  const byId = new Map(updates.map(u => [u.id, stripField(u)]));
  return old.map(c => byId.get(c.id) ?? c);
}

/** Failing checks → 400 naming the fields, or 403 for policy refusals. @internal */
export function refuseFailed(checks: PolicyCheck[]) {
  const failed = checks.filter(c => c.status === 'fail');
  if (!failed.length) return;
  const withField = failed.filter(c => c.field);
  if (withField.length) {
    throw new InputError(
      withField.map(c => `${c.field}: ${c.message}`).join('; '),
    );
  }
  throw new NotAllowedError(`policy: ${failed.map(c => c.message).join('; ')}`);
}
