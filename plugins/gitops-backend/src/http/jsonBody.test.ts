import { mockErrorHandler } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { describeJsonError, jsonBody } from './jsonBody';

function app() {
  const a = express();
  a.use(jsonBody());
  a.post('/x', (req, res) => {
    res.json({ got: req.body });
  });
  a.use(mockErrorHandler());
  return a;
}

describe('jsonBody', () => {
  it('a malformed body is a 400 saying where it broke, without echoing it', async () => {
    const res = await request(app())
      .post('/x')
      .set('Content-Type', 'application/json')
      .send('{"reason": "secret-ish text", oops}');
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toBe(
      'body: malformed JSON at line 1, column 31 (InvalidSymbol)',
    );
    expect(JSON.stringify(res.body)).not.toContain('secret-ish');
  });

  it('names the line and column on multi-line bodies', () => {
    expect(describeJsonError('{\n  "a": 1,\n  "b": \n}')).toBe(
      'body: malformed JSON at line 4, column 1 (ValueExpected)',
    );
  });

  it('parses good bodies and answers 413 above the limit', async () => {
    const ok = await request(app()).post('/x').send({ a: 1 });
    expect(ok.body).toEqual({ got: { a: 1 } });
    const big = await request(app())
      .post('/x')
      .send({ a: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
  });
});
