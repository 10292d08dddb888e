// The cohort filter language on rows built by hand: each operator, lists, dates by prefix, tags, attributes,
// and the one-line refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCohortFilter, matchesCohort, parseCohortFilter, unknownFields, type CohortRow } from '../../src-shared/domain/cohort-filter';
import { assertInputError } from '../helpers';

const row = (over: Partial<CohortRow>): CohortRow => ({
  cohort: 'gaitpdb', group: 'PD', sex: 'female', age: 66, date: '2021-04-09', session: 'visit-1', subject: 'S-1', tags: ['baseline'],
  attributes: { hoehn_yahr: 2.5, diagnosis: 'idiopathic PD' }, ...over,
});
const pick = (filter: string, rows: CohortRow[]) => rows.filter((r) => matchesCohort(r, parseCohortFilter(filter))).map((r) => r.subject);

test('clauses combine with AND; lists with |; numbers, text (case-insensitive), dates by prefix, tags, attributes', () => {
  const rows = [row({ subject: 'a' }), row({ subject: 'b', group: 'CO', age: 71, date: '2019-12-31', tags: [], attributes: {} }), row({ subject: 'c', group: 'pd', age: null, date: null, attributes: { hoehn_yahr: 3 } })];
  assert.deepEqual(pick('', rows), ['a', 'b', 'c']);
  assert.deepEqual(pick('all', rows), ['a', 'b', 'c']);
  assert.deepEqual(pick('group=PD', rows), ['a', 'c']);
  assert.deepEqual(pick('group=PD|CO age>=66', rows), ['a', 'b']);
  assert.deepEqual(pick('age > 66', rows), ['b']);
  assert.deepEqual(pick('hy>=3', rows), ['c']);
  assert.deepEqual(pick('hoehn_yahr<3', rows), ['a']);
  assert.deepEqual(pick('date>=2020', rows), ['a']);
  assert.deepEqual(pick('date=2019-12', rows), ['b']);
  assert.deepEqual(pick('tag=baseline', rows), ['a', 'c']);
  assert.deepEqual(pick('tag!=baseline', rows), ['b']);
  assert.deepEqual(pick('group!=CO and sex=female', rows), ['a', 'c']);
  assert.deepEqual(pick('hoehn_yahr!=2.5', rows), ['b', 'c'], '!= holds where the value is missing');
  assert.equal(describeCohortFilter(parseCohortFilter('hy >= 2  group=PD|CO')), 'hoehn_yahr>=2 group=PD|CO');
  assert.deepEqual(unknownFields(rows, parseCohortFilter('updrs>3 hy>2 age>3')), ['updrs']);
});

test('a clause that cannot be read is refused in one line naming it', () => {
  assertInputError(() => parseCohortFilter('group'), /field group: expected field=value/);
  assertInputError(() => parseCohortFilter('age>>3'), /age>>3: expected one operator/);
  assertInputError(() => parseCohortFilter('age>=old'), /age is compared with a number/);
  assertInputError(() => parseCohortFilter('date>=last-week'), /dates are YYYY/);
  assertInputError(() => parseCohortFilter('group<PD|CO'), /a list of values \(a\|b\) needs = or !=/);
  assertInputError(() => parseCohortFilter('tag>=x'), /tags are compared with = or !=/);
  assertInputError(() => parseCohortFilter('Body-Mass=3'), /expected field=value/);
});
