// One contract for every algorithm GaitLab runs (scikit-learn's estimator contract, gaitmap's algorithm objects):
// a name, a version, declared parameters (params.ts: units in the names, defaults, ranges, a zod schema) and
// one kind of action:
//   - a transform `run`s on an input and returns a result (the gait-event detectors, cycle segmentation,
//     plate stances);
//   - a model `fit`s on data and returns a model state with metrics, then `predict`s (and may `explain`) with it
//     (the Horst classifiers, SAE, SincPD, the GP, a logistic regression).
// Every result carries the method's name, version, the full parameter set it ran with (defaults filled in) and
// the seed, so that a stored result can always say what produced it. Actions take raw parameters and parse them
// themselves (defineTransform / defineModel), so an unknown or out-of-range parameter can never reach a run.
//
// The registry lists the methods; test/methods/contract.test.ts runs one set of contract tests over all of them
// (JSON round trip of parameters, one-line refusals, determinism for a fixed seed, parameters in every result).
// A method registered here needs an input for those tests in test/methods/contract-fixtures.ts (for a model:
// `{ data, input }`, what fit and predict take).
//
// A model, for example:
//   interface LrParams { l2: number; epochs: number }
//   const params = defineParams<LrParams>('LogisticRegression', {
//     l2: { type: 'number', unit: '', default: 1e-3, min: 0, max: 10, description: 'L2 penalty on the weights' },
//     epochs: { type: 'number', unit: 'epochs', default: 200, min: 1, max: 10_000, integer: true, description: 'passes over the data' },
//   });
//   export const logisticRegression = defineModel<LrParams, Data, X, Y, State>({
//     name: 'LogisticRegression', version: '1.0.0', role: 'classifier', description: '…', params,
//     async fit(data, p, { seed, options }) { …; return { state, metrics: { accuracy, loss } }; },
//     async predict(fitted, x) { return { output: probabilities, summary: { n: x.length } }; },
//   });
//   registerMethod(logisticRegression);
// The run row of a fit stores the result's method, version, params, seed and summary (metrics included).
import { MethodParamError, type ParamSchema, type ParamValue } from './params';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What the caller passes as parameters: plain JSON, possibly partial (defaults fill the rest), possibly wrong. */
export type ParamInput = Readonly<Record<string, unknown>>;

export interface RunOptions {
  /** Seed of every random choice the method makes (initialisation, shuffling, folds). Default 0. */
  seed?: number;
  /** Long fits stop when this aborts (they throw the signal's reason). */
  signal?: AbortSignal;
  onProgress?(progress: { stage: string; fraction: number }): void;
}

/** What every action returns. `output` is the method's own value; `summary` is the small JSON the runs table stores. */
export interface MethodResult<P, O> {
  method: string;
  version: string;
  /** Every parameter, defaults included, exactly as the action ran with them. */
  params: P;
  seed: number;
  output: O;
  summary: { [key: string]: JsonValue };
}

interface MethodBase<P> {
  /** Unique in the registry, e.g. 'ForceThresholdEvents'. Stored with every run. */
  readonly name: string;
  /** Bumped whenever the same input and parameters can give a different output. */
  readonly version: string;
  /** What the method is for, for grouping in the UI and CLI: 'gait-events', 'cycles', 'classifier', … */
  readonly role: string;
  readonly description: string;
  readonly params: ParamSchema<P>;
}

/** A method with one action: `run(input, params) → result`. Deterministic given input, parameters and seed. */
export interface TransformMethod<P, I, O> extends MethodBase<P> {
  readonly kind: 'transform';
  run(input: I, params?: ParamInput, options?: RunOptions): MethodResult<P, O>;
}

/** A fitted model: its state (JSON, or typed arrays the store keeps as an artefact) and its training metrics. */
export interface FittedModel<S> {
  state: S;
  /** e.g. { accuracy: 0.91, loss: 0.23, folds: 5 }. */
  metrics: { [key: string]: number };
}

/**
 * A model: `fit` learns a state from data (async: it may train in a worker, report progress and be cancelled);
 * `predict` and `explain` use a fitted model and carry the fit's parameters and seed.
 */
export interface ModelMethod<P, D, X, Y, S, E = never> extends MethodBase<P> {
  readonly kind: 'model';
  fit(data: D, params?: ParamInput, options?: RunOptions): Promise<MethodResult<P, FittedModel<S>>>;
  predict(model: MethodResult<P, FittedModel<S>>, input: X, options?: RunOptions): Promise<MethodResult<P, Y>>;
  /** Relevance of each input feature to the prediction (e.g. LRP with a composite named in the result's summary). */
  explain?(model: MethodResult<P, FittedModel<S>>, input: X, options?: RunOptions): Promise<MethodResult<P, E>>;
}

// Method shorthand in the interfaces above keeps these assignable from any concrete method.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyTransform = TransformMethod<any, any, any>;
export type AnyModel = ModelMethod<any, any, any, any, any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type AnyMethod = AnyTransform | AnyModel;

function seedOf(options: RunOptions | undefined): number {
  const seed = options?.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return seed;
}

/** What a transform's body returns; the wrapper adds the name, version, parameters and seed. */
export interface TransformOutput<O> {
  output: O;
  summary?: { [key: string]: JsonValue };
}

/** Builds a transform from its parameters and a body that receives parsed parameters only. */
export function defineTransform<P extends { [K in keyof P]: ParamValue }, I, O>(def: {
  name: string;
  version: string;
  role: string;
  description: string;
  params: ParamSchema<P>;
  apply(input: I, params: P, context: { seed: number; options: RunOptions }): TransformOutput<O>;
}): TransformMethod<P, I, O> {
  if (def.params.method !== def.name) throw new Error(`${def.name}: its parameters are declared for ${def.params.method}`);
  return {
    kind: 'transform', name: def.name, version: def.version, role: def.role, description: def.description, params: def.params,
    run(input, params = {}, options = {}) {
      const p = def.params.parse(params);
      const seed = seedOf(options);
      const { output, summary } = def.apply(input, p, { seed, options });
      return { method: def.name, version: def.version, params: { ...p }, seed, output, summary: summary ?? {} };
    },
  };
}

/** Builds a model method; `fit` receives parsed parameters, `predict`/`explain` the fitted model (checked to be this method's). */
export function defineModel<P extends { [K in keyof P]: ParamValue }, D, X, Y, S, E = never>(def: {
  name: string;
  version: string;
  role: string;
  description: string;
  params: ParamSchema<P>;
  fit(data: D, params: P, context: { seed: number; options: RunOptions }): Promise<FittedModel<S> & { summary?: { [key: string]: JsonValue } }>;
  predict(fitted: FittedModel<S>, input: X, params: P, context: { seed: number; options: RunOptions }): Promise<TransformOutput<Y>>;
  explain?(fitted: FittedModel<S>, input: X, params: P, context: { seed: number; options: RunOptions }): Promise<TransformOutput<E>>;
}): ModelMethod<P, D, X, Y, S, E> {
  if (def.params.method !== def.name) throw new Error(`${def.name}: its parameters are declared for ${def.params.method}`);
  const own = (model: MethodResult<P, FittedModel<S>>): P => {
    if (model.method !== def.name) throw new MethodParamError(def.name, null, `the model was fitted by ${model.method}, not ${def.name}`);
    if (model.version !== def.version) throw new MethodParamError(def.name, null, `the model was fitted by version ${model.version}; this is version ${def.version}: fit it again`);
    return def.params.parse(model.params);
  };
  const method: ModelMethod<P, D, X, Y, S, E> = {
    kind: 'model', name: def.name, version: def.version, role: def.role, description: def.description, params: def.params,
    async fit(data, params = {}, options = {}) {
      const p = def.params.parse(params);
      const seed = seedOf(options);
      const { state, metrics, summary } = await def.fit(data, p, { seed, options });
      return { method: def.name, version: def.version, params: { ...p }, seed, output: { state, metrics }, summary: { ...(summary ?? {}), ...metrics } };
    },
    async predict(model, input, options = {}) {
      const p = own(model);
      const { output, summary } = await def.predict(model.output, input, p, { seed: model.seed, options });
      return { method: def.name, version: def.version, params: { ...p }, seed: model.seed, output, summary: summary ?? {} };
    },
  };
  const explain = def.explain;
  if (explain) {
    method.explain = async (model, input, options = {}) => {
      const p = own(model);
      const { output, summary } = await explain(model.output, input, p, { seed: model.seed, options });
      return { method: def.name, version: def.version, params: { ...p }, seed: model.seed, output, summary: summary ?? {} };
    };
  }
  return method;
}

// ---------------------------------------------------------------------------------------------------------------
// The registry. Built-in methods are registered by src-shared/methods/index.ts; import from there to see them.

const registry = new Map<string, AnyMethod>();

/** Adds a method. The same object again is a no-op; another method under a taken name is refused. */
export function registerMethod(method: AnyMethod): void {
  const present = registry.get(method.name);
  if (present === method) return;
  if (present) throw new Error(`a method named ${method.name} is already registered (version ${present.version})`);
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(method.name)) throw new Error(`method name "${method.name}": letters, digits and _.- only, starting with a letter`);
  registry.set(method.name, method);
}

export function getMethod(name: string): AnyMethod | undefined {
  return registry.get(name);
}

/** The method, or a one-line error naming the known ones. */
export function requireMethod(name: string): AnyMethod {
  const m = registry.get(name);
  if (!m) throw new RangeError(`unknown method "${name}" (known: ${[...registry.keys()].join(', ')})`);
  return m;
}

/** Registered methods in registration order, optionally of one role ('gait-events', 'cycles', …). */
export function listMethods(role?: string): AnyMethod[] {
  return [...registry.values()].filter((m) => role === undefined || m.role === role);
}
