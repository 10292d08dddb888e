import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeControl } from '../../src-shared/text/escape';

test('escape, bell, C1 and DEL bytes are shown as \\xNN; printable text (accents included) is kept', () => {
  assert.equal(escapeControl('a\u001b[2Jb\u0007c\u009bd\u007fe'), 'a\\x1b[2Jb\\x07c\\x9bd\\x7fe');
  assert.equal(escapeControl('line 1\nline 2\ttab\r'), 'line 1\\x0aline 2\\x09tab\\x0d');
  assert.equal(escapeControl('Müller – 1.5 µV ±'), 'Müller – 1.5 µV ±');
  assert.equal(escapeControl('\u0000'), '\\x00');
});
