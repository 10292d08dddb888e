// `gaitlab demo --out DIR`, a new user's one command: the bundled cohort, its cycles, the quick method runs (the
// GP, the SAE, SincPD, Horst subject identification on insole cycles) and a patient report whose PDF shows the GP section with real figures, labelled quick,
// the PD section from SincPD and the relevance section from the Horst model; a used folder is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gaitlab, tempDir } from '../helpers';

test('gaitlab demo --out DIR: database, cycles, a quick GP fit, SAE, SincPD and Horst model and a report (PDF + HTML) naming them', () => {
  const dir = join(tempDir(), 'demo');
  const r = gaitlab(['demo', '--out', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /gaitlab demo \[4\/4\] a report for one patient/);
  const res = r.json;
  assert.equal(res.import.trialsAdded, 6);
  assert.ok(res.cycles > 500, `${res.cycles} cycles`);
  assert.deepEqual(res.methods.map((m: any) => [m.method, m.status]), [['HierarchicalGP', 'done'], ['sae-kalam2025', 'done'], ['sincpd', 'done'], ['Horst', 'done']]);
  const horst = gaitlab(['model', res.methods[3].modelId, '--db', join(dir, 'gaitlab.db'), '--json']);
  assert.equal(horst.code, 0, horst.stderr);
  const metrics = (horst.json.model ?? horst.json).metrics;
  assert.deepEqual([metrics.protocol.folds, metrics.classes.length], ['T-block', 6]);
  assert.ok(metrics.meanAccuracy > 0.9, `demo subject identification ${metrics.meanAccuracy}`);
  assert.ok(existsSync(join(dir, 'gaitlab.db')) && existsSync(res.report.html));
  const text = execFileSync('pdftotext', [res.report.pdf, '-'], { encoding: 'utf8' });
  assert.match(text, /Limb asymmetry score \(Wasserstein-1 area/);
  assert.match(text, /quick settings/);
  assert.match(text, new RegExp(res.methods[0].modelId));
  // The SAE fills "walks like this one": the nearest of the five other subjects in its model.
  assert.match(text.replace(/\s+/g, ' '), new RegExp(`Nearest 5 of 5 subjects in model ${res.methods[1].modelId} \\(cosine distance of mean codes; dictionary trained at most 20 epochs: quick settings\\)`));
  // SincPD fills the PD section for the patient, labelled quick and in-sample (six walks hold out no subject).
  assert.match(text.replace(/\s+/g, ' '), /P\(PD\) \d\.\d\d ± \d\.\d\d \(mean ± SD over \d+ segments/);
  assert.match(text.replace(/\s+/g, ' '), /in-sample: trained on these walks/);
  assert.match(text, new RegExp(res.methods[2].modelId));
  // Horst fills the relevance section: the model's accuracy and protocol, the prediction and the map over the curves.
  const flat = text.replace(/\s+/g, ' ');
  assert.match(flat, new RegExp(`Model ${res.methods[3].modelId} \\(linear-svm, subject identification, 6 classes\\): test accuracy \\d+\\.\\d ± \\d+\\.\\d % over \\d+ runs \\(T-block folds`));
  // (pdftotext may drop the pseudonym's hyphen where a line breaks.)
  assert.match(flat, /predicted S-?\w+ \(argmax of the mean logits\), true class S-?\w+; \d+ of \d+ classified correctly one by one/);
  assert.match(flat, /Most relevant: [a-z -]+ \(\d+–\d+ % of the gait cycle\)/);
  const again = gaitlab(['demo', '--out', dir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists and is not empty/);
});
