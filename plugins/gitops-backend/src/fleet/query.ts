import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { FLEET_STATES, FleetState } from '@internal/plugin-gitops-common';
import { z } from 'zod';

/** The parsed query of `GET /fleet`, with owner and system as full entity refs. @internal */
export interface ParsedFleetQuery {
  owner?: string;
  system?: string;
  state?: FleetState[];
}

const validator = makeValidator();

function entityRef(defaultKind: string) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(253, 'must be at most 253 characters')
    .transform((value, ctx) => {
      const problem = (reason: string) => {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `'${value}' is not an entity ref (${reason})`,
        });
        return z.NEVER;
      };
      let ref;
      try {
        ref = parseEntityRef(value, {
          defaultKind,
          defaultNamespace: 'default',
        });
      } catch {
        return problem('expected [<kind>:][<namespace>/]<name>');
      }
      if (!validator.isValidKind(ref.kind)) return problem('invalid kind');
      if (!validator.isValidNamespace(ref.namespace)) {
        return problem('invalid namespace');
      }
      if (!validator.isValidEntityName(ref.name))
        return problem('invalid name');
      return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
    });
}

const stateList = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx): FleetState[] => {
    const items = [value]
      .flat()
      .flatMap(v => v.split(/[,|]/))
      .map(s => s.trim())
      .filter(Boolean);
    const bad = items.filter(s => !FLEET_STATES.includes(s as FleetState));
    if (bad.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${bad
          .map(b => `'${b.slice(0, 40)}'`)
          .join(', ')} is not one of ${FLEET_STATES.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(items)] as FleetState[];
  });

const schema = z
  .object({
    owner: entityRef('group').optional(),
    system: entityRef('system').optional(),
    state: stateList.optional(),
  })
  .strict();

/**
 * Validates the query of `GET /fleet`; an InputError (400) names the field
 * and the reason, e.g. `state: 'late' is not one of out-of-sync, …`.
 *
 * @internal
 */
export function parseFleetQuery(query: unknown): ParsedFleetQuery {
  const r = schema.safeParse(query ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    const field =
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.join('.') || 'query';
    let reason = issue.message;
    if (issue.code === 'unrecognized_keys') {
      reason = 'is not a query parameter of /fleet (owner, system, state)';
    } else if (
      issue.code === 'invalid_type' ||
      issue.code === 'invalid_union'
    ) {
      reason = 'must be given once as text';
    }
    throw new InputError(`Invalid query: ${field}: ${reason}`);
  }
  return r.data;
}
