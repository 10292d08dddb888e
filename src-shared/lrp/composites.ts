// Composites map layer types to rules (zennit's composites, registered by name): the text form is what a stored
// map records, e.g. `conv:alphabeta(2,1); dense:epsilon(1e-5)` (GaitLab's default, §5.1.6) or `epsilon(1e-5)`
// (one rule on every affine layer: the "paper figures" mode). A new rule is one entry in RULES.
import type { AffineLayer } from './layers';
import { alphaBetaRule, epsilonRule, flatRule, wSquareRule, type Rule } from './rules';

export const DEFAULT_COMPOSITE = 'conv:alphabeta(2,1); dense:epsilon(1e-5)';
export const PAPER_FIGURES_COMPOSITE = 'epsilon(1e-5)';

export type LayerSelector = 'conv' | 'dense';

export interface Composite {
  /** Canonical text of the composite, stored with every map. */
  readonly name: string;
  ruleFor(layer: AffineLayer): Rule;
}

const RULES: Record<string, { arity: number[]; make(args: number[]): Rule }> = {
  epsilon: { arity: [0, 1], make: (args) => epsilonRule(args[0] ?? 1e-5) },
  gradient: { arity: [0], make: () => ({ ...epsilonRule(0), name: 'gradient' }) },
  alphabeta: { arity: [2], make: ([alpha, beta]) => alphaBetaRule(alpha, beta) },
  wsquare: { arity: [0], make: () => wSquareRule() },
  flat: { arity: [0], make: () => flatRule() },
};

/** Parses one rule: `epsilon(1e-5)`, `alphabeta(2,1)`, `gradient`, `flat`, `wsquare`. */
export function parseRule(text: string): Rule {
  const match = /^\s*([a-z]+)\s*(?:\(([^)]*)\))?\s*$/.exec(text);
  if (!match) throw new RangeError(`LRP rule "${text}": expected name or name(arguments)`);
  const [, ruleName, argText] = match;
  const spec = RULES[ruleName];
  if (!spec) throw new RangeError(`LRP rule "${ruleName}" is unknown (known: ${Object.keys(RULES).join(', ')})`);
  const args = argText === undefined || argText.trim() === '' ? [] : argText.split(',').map((part) => {
    const value = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(value)) throw new RangeError(`LRP rule "${text}": "${part.trim()}" is not a number`);
    return value;
  });
  if (!spec.arity.includes(args.length)) throw new RangeError(`LRP rule "${ruleName}" takes ${spec.arity.join(' or ')} arguments, got ${args.length}`);
  return spec.make(args);
}

/**
 * Parses a composite: either one rule for every affine layer, or `;`-separated `selector:rule` entries with
 * selectors `conv` and `dense`, each of which must be given.
 */
export function parseComposite(text: string): Composite {
  const parts = text.split(';').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 1 && !parts[0].includes(':')) {
    const rule = parseRule(parts[0]);
    return { name: rule.name, ruleFor: () => rule };
  }
  const bySelector = new Map<LayerSelector, Rule>();
  for (const part of parts) {
    const colon = part.indexOf(':');
    if (colon < 0) throw new RangeError(`LRP composite "${text}": "${part}" needs a layer type (conv: or dense:)`);
    const selector = part.slice(0, colon).trim();
    if (selector !== 'conv' && selector !== 'dense') throw new RangeError(`LRP composite "${text}": layer type "${selector}" is unknown (conv, dense)`);
    if (bySelector.has(selector)) throw new RangeError(`LRP composite "${text}": ${selector} is given twice`);
    bySelector.set(selector, parseRule(part.slice(colon + 1)));
  }
  const conv = bySelector.get('conv');
  const dense = bySelector.get('dense');
  if (!conv || !dense) throw new RangeError(`LRP composite "${text}": give a rule for both conv and dense`);
  return {
    name: `conv:${conv.name}; dense:${dense.name}`,
    ruleFor: (layer) => (layer.kind === 'conv2d' ? conv : dense),
  };
}
