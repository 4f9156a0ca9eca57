import { InputError } from '@backstage/errors';
import express from 'express';
import { parse, ParseError, printParseErrorCode } from 'jsonc-parser';

/**
 * Largest accepted JSON body; bigger bodies get 413. Well above every field
 * limit (`FIELD_LIMITS` in changes/schemas.ts, at most 2000 characters), so
 * that a field over its limit is a 400 naming the field, not a 413.
 *
 * @internal
 */
export const JSON_BODY_LIMIT = '256kb';

/** Line and column (1-based) of an offset in a text. */
function lineColumn(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Where a JSON text breaks (line, column, what was expected), without any of
 * its content.
 *
 * @internal
 */
export function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return 'body: malformed JSON';
  const { line, column } = lineColumn(text, first.offset);
  return `body: malformed JSON at line ${line}, column ${column} (${printParseErrorCode(
    first.error,
  )})`;
}

/**
 * The plugin's one JSON body parser (limit {@link JSON_BODY_LIMIT}). A
 * malformed body becomes a 400 InputError naming where it broke; the raw
 * body is never echoed. Too large bodies keep express's 413.
 *
 * @internal
 */
export function jsonBody(): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: JSON_BODY_LIMIT }));
  router.use(((err, _req, _res, next) => {
    if (err?.type === 'entity.parse.failed') {
      next(new InputError(describeJsonError(String(err.body ?? ''))));
      return;
    }
    next(err);
  }) as express.ErrorRequestHandler);
  return router;
}
