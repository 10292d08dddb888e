// The Models page names each model's headline figure with the protocol it comes from, whatever the method reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelHeadline } from '../../src-renderer/lib/model-format';

test('a held-out test accuracy, a cross-validated accuracy over runs and a reconstruction R² each show as what they are', () => {
  assert.deepEqual(modelHeadline({ testAccuracy: 0.6123, trainAccuracy: 0.7 }), { label: 'Test accuracy', text: '61.2 %' });
  assert.deepEqual(modelHeadline({ meanAccuracy: 0.5741, sdAccuracy: 0.0412, runs: 5, k: 5 }), { label: 'Accuracy, cross-validated', text: '57.4 ± 4.1 % over 5 runs' });
  assert.deepEqual(modelHeadline({ meanAccuracy: 0.9 }), { label: 'Accuracy, cross-validated', text: '90.0 %' });
  assert.deepEqual(modelHeadline({ validationR2Scaled: 0.94812, meanFiringRate: 0.49 }), { label: 'Held-out R² (scaled coefficients)', text: '0.948' });
  assert.deepEqual(modelHeadline(null), { label: 'Headline', text: '—' });
  assert.deepEqual(modelHeadline({ testAccuracy: Number.NaN }), { label: 'Headline', text: '—' });
});
