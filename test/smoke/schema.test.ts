import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../../src-shared/api/schema';

test('the API rejects unknown fields in a request', () => {
  const r = api.listSubjects.request.safeParse({ limit: 10, bogus: 1 });
  assert.equal(r.success, false);
});
