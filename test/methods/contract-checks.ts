// The contract every method must keep, as checks that throw an AssertionError naming the method and the broken
// promise. contract.test.ts runs them over the whole registry, and on deliberately broken methods to show that
// they can fail.
import assert from 'node:assert/strict';
import { MethodParamError, type AnyModel, type AnyTransform, type MethodResult, type ParamSpec, type ParamValue } from '../../src-shared/methods';

/** JSON with typed arrays as arrays: how results are compared and stored. */
export const stableJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x));

type Method = AnyTransform | AnyModel;

export function checkDeclaration(m: Method): void {
  assert.match(m.name, /^[A-Za-z][A-Za-z0-9_.-]*$/, `${m.name}: name`);
  assert.match(m.version, /^\d+\.\d+\.\d+$/, `${m.name}: version "${m.version}" is not major.minor.patch`);
  assert.ok(m.role.length > 0 && m.description.length > 10, `${m.name}: role and description`);
  assert.equal(m.params.method, m.name, `${m.name}: parameters declared for another method`);
  assert.ok(m.params.names.length > 0, `${m.name}: no parameters`);
  for (const k of m.params.names) {
    const spec = m.params.specs[k] as ParamSpec;
    assert.ok(spec.description.length > 5, `${m.name}: parameter ${k} has no description`);
    if (spec.type === 'number') assert.equal(typeof spec.unit, 'string', `${m.name}: parameter ${k} has no unit`);
  }
  const d = m.params.defaults();
  assert.deepEqual(m.params.parse(d), d, `${m.name}: defaults do not parse to themselves`);
  assert.equal(m.params.schema.safeParse(d).success, true, `${m.name}: zod schema refuses the defaults`);
  assert.equal(m.params.schema.safeParse({ ...d, zzUnknown: 1 }).success, false, `${m.name}: zod schema accepts an unknown parameter`);
}

/** One valid change per parameter (others at their defaults), where the constraints allow one. */
export function alternatives(m: Method): { name: string; value: ParamValue }[] {
  const out: { name: string; value: ParamValue }[] = [];
  for (const k of m.params.names) {
    const spec = m.params.specs[k] as ParamSpec;
    const candidates: ParamValue[] = [];
    if (spec.type === 'boolean') candidates.push(!spec.default);
    else if (spec.type === 'choice') candidates.push(...spec.values.filter((v) => v !== spec.default));
    // A text parameter (a marker name): another valid name, built from the default.
    else if (spec.type === 'text') candidates.push(`X${spec.default}`, `${spec.default}2`);
    else {
      const d = spec.default ?? spec.min ?? 0;
      const toward = (bound: number | undefined) => (bound === undefined ? d * 1.5 + 1 : (d + bound) / 2);
      for (const v of [toward(spec.min), toward(spec.max)]) candidates.push(spec.integer ? Math.round(v) : v);
      if (spec.nullable) candidates.push(spec.default === null ? d : null);
    }
    for (const value of candidates) {
      if (value === spec.default) continue;
      try {
        m.params.parse({ [k]: value });
        out.push({ name: k, value });
        break;
      } catch (e) {
        if (!(e instanceof MethodParamError)) throw e;
      }
    }
  }
  return out;
}

export function checkParamsRoundTrip(m: Method): void {
  const sets = [m.params.defaults(), ...alternatives(m).map((a) => m.params.parse({ [a.name]: a.value }))];
  for (const p of sets) {
    const back = m.params.parse(JSON.parse(JSON.stringify(p)));
    assert.deepEqual(back, p, `${m.name}: parameters ${JSON.stringify(p)} do not survive JSON`);
    assert.deepEqual(Object.keys(back), [...m.params.names], `${m.name}: parsed parameters lack some names`);
  }
}

function refusedWith(m: Method, params: Record<string, unknown>, expected: string): void {
  let message: string | null = null;
  try {
    m.params.parse(params);
  } catch (e) {
    assert.ok(e instanceof MethodParamError, `${m.name}: ${JSON.stringify(params)} refused with a ${(e as Error).name}, not a MethodParamError`);
    message = e.message;
  }
  assert.equal(message, expected, `${m.name}: ${JSON.stringify(params)}`);
  assert.ok(!expected.includes('\n'));
}

/** Unknown, out-of-range and mistyped parameters are refused with one line naming the parameter and its range. */
export function checkRefusals(m: Method): void {
  refusedWith(m, { zzUnknown: 1 }, `${m.name}: unknown parameter "zzUnknown" (known: ${m.params.names.join(', ')})`);
  for (const k of m.params.names) {
    const spec = m.params.specs[k] as ParamSpec;
    const range = m.params.rangeText(k);
    if (spec.type === 'number') {
      if (spec.min !== undefined) {
        const v = spec.minExclusive ? spec.min : spec.min - 1;
        refusedWith(m, { [k]: v }, `${m.name}: parameter ${k} = ${v} is out of range (${range})`);
      }
      if (spec.max !== undefined) {
        const v = spec.maxExclusive ? spec.max : spec.max + 1;
        refusedWith(m, { [k]: v }, `${m.name}: parameter ${k} = ${v} is out of range (${range})`);
      }
      refusedWith(m, { [k]: 'x' }, `${m.name}: parameter ${k} = "x" is not a number (${range})`);
      if (!spec.nullable) refusedWith(m, { [k]: null }, `${m.name}: parameter ${k} = null is not a number (${range})`);
    } else if (spec.type === 'choice') {
      refusedWith(m, { [k]: 'zz' }, `${m.name}: parameter ${k} = "zz" is not one of ${spec.values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ')}`);
    } else if (spec.type === 'text') {
      refusedWith(m, { [k]: 'a b;c' }, `${m.name}: parameter ${k} = "a b;c" is not ${spec.patternText}`);
      refusedWith(m, { [k]: 3 }, `${m.name}: parameter ${k} = 3 is not ${spec.patternText}`);
    } else {
      refusedWith(m, { [k]: 'yes' }, `${m.name}: parameter ${k} = "yes" is not true or false`);
    }
  }
}

/** Every item of the output that carries `params` agrees with the result's parameters (and has all of them). */
function checkParamsCarried(name: string, output: unknown, params: Record<string, unknown>, depth = 0): void {
  if (depth > 3 || output === null || typeof output !== 'object' || ArrayBuffer.isView(output)) return;
  if (Array.isArray(output)) {
    for (const x of output) checkParamsCarried(name, x, params, depth + 1);
    return;
  }
  const o = output as Record<string, unknown>;
  if (o.params !== null && typeof o.params === 'object') {
    for (const [k, v] of Object.entries(params)) assert.deepEqual((o.params as Record<string, unknown>)[k], v, `${name}: an output item's params.${k} differs from the run's`);
  }
  for (const [k, v] of Object.entries(o)) if (k !== 'params') checkParamsCarried(name, v, params, depth + 1);
}

function checkResult(m: Method, r: MethodResult<unknown, unknown>, params: Record<string, unknown>, seed: number): void {
  assert.equal(r.method, m.name);
  assert.equal(r.version, m.version);
  assert.equal(r.seed, seed, `${m.name}: the result does not carry its seed`);
  assert.deepEqual(r.params, m.params.parse(params), `${m.name}: the result does not carry every parameter`);
  assert.deepEqual(Object.keys(r.params as object), [...m.params.names], `${m.name}: the result's parameters lack some names`);
  assert.deepEqual(JSON.parse(JSON.stringify(r.summary)), r.summary, `${m.name}: the summary is not plain JSON`);
  checkParamsCarried(m.name, r.output, r.params as Record<string, unknown>);
}

const nonEmpty = (m: Method, r: MethodResult<unknown, unknown>) =>
  assert.ok(Object.values(r.summary).some((v) => typeof v === 'number' && v > 0), `${m.name}: the fixture gives an empty result (${JSON.stringify(r.summary)}): the checks would prove nothing`);

/** Same input, parameters and seed: the same output; results carry every parameter; refused parameters never reach the run. */
export function checkTransform(m: AnyTransform, input: unknown): void {
  const first = m.run(input, {}, { seed: 7 });
  const again = m.run(input, {}, { seed: 7 });
  nonEmpty(m, first);
  assert.equal(stableJson(again.output), stableJson(first.output), `${m.name}: two runs with seed 7 differ`);
  checkResult(m, first, {}, 7);
  const alt = alternatives(m)[0];
  if (alt) {
    const r = m.run(input, { [alt.name]: alt.value }, { seed: 3 });
    checkResult(m, r, { [alt.name]: alt.value }, 3);
  }
  assert.throws(() => m.run(input, { zzUnknown: 1 }), (e: unknown) => e instanceof MethodParamError && /unknown parameter "zzUnknown"/.test(e.message));
}

/** A model fits to the same state and metrics for the same seed; predictions and explanations carry the fit's parameters and seed. */
export async function checkModel(m: AnyModel, fixture: { data: unknown; input: unknown }): Promise<void> {
  const fitted = await m.fit(fixture.data, {}, { seed: 7 });
  const again = await m.fit(fixture.data, {}, { seed: 7 });
  assert.equal(stableJson(again.output), stableJson(fitted.output), `${m.name}: two fits with seed 7 differ`);
  checkResult(m, fitted, {}, 7);
  assert.ok(Object.keys(fitted.output.metrics).length > 0, `${m.name}: a fit reports no metrics`);
  for (const [k, v] of Object.entries(fitted.output.metrics)) assert.equal(fitted.summary[k], v, `${m.name}: metric ${k} is not in the summary`);
  // A stored model comes back from JSON: predicting from it must work the same.
  const stored = JSON.parse(stableJson(fitted)) as typeof fitted;
  const p1 = await m.predict(fitted, fixture.input);
  const p2 = await m.predict(stored, fixture.input);
  assert.equal(stableJson(p2.output), stableJson(p1.output), `${m.name}: predictions from the stored model differ`);
  checkResult(m, p1, fitted.params as Record<string, unknown>, 7);
  if (m.explain) {
    const e1 = await m.explain(fitted, fixture.input);
    const e2 = await m.explain(stored, fixture.input);
    assert.equal(stableJson(e2.output), stableJson(e1.output), `${m.name}: explanations differ`);
    checkResult(m, e1, fitted.params as Record<string, unknown>, 7);
  }
  await assert.rejects(m.predict({ ...fitted, method: 'SomeOtherMethod' }, fixture.input), MethodParamError);
  await assert.rejects(m.fit(fixture.data, { zzUnknown: 1 }), (e: unknown) => e instanceof MethodParamError && /unknown parameter "zzUnknown"/.test(e.message));
}
