import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSubjectAttribute, nearKnownField } from '../../src-shared/domain/subject-fields';

test('a free attribute that looks like a known field names the field it probably meant', () => {
  const cases: Array<[string, string | null]> = [
    ['height_m', 'height'], ['body_mass_kg', 'body_mass'], ['heigth', 'height'], ['hoehnyahr', 'hoehn_yahr'],
    ['bodymass', 'body_mass'], ['updrs_motr', 'updrs_motor'], ['leg_length_mm', 'leg_length'], ['edds', 'edss'],
    ['recordnumber', 'record_number'],
    // Real free attributes stay free: nothing known is one or two edits away.
    ['age', null], ['gender', null], ['shoe_size', null], ['speed', null], ['dominant_leg', null], ['height', null],
  ];
  for (const [key, expected] of cases) assert.equal(nearKnownField(key), expected, key);
});

test('checkSubjectAttribute refuses a look-alike key in one line but still lets it be removed', () => {
  assert.throws(() => checkSubjectAttribute('subject S-1', 'body_mass_kg', 81), (e: Error) =>
    e.message.includes('body_mass_kg') && e.message.includes('did you mean body_mass?') && !e.message.includes('\n'));
  assert.equal(checkSubjectAttribute('subject S-1', 'body_mass_kg', null), null, 'removing a stored look-alike must stay possible');
  assert.deepEqual(checkSubjectAttribute('subject S-1', 'shoe_size', 43), { value: 43, unit: null });
});
