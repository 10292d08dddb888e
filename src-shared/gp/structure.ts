// The tree of latent functions and the layout of the unconstrained parameter vector θ (methods-spec §4.1.3
// (R2), §5.4.2 HG-4…HG-8). Nodes are stored top-down (a parent's index is below its children's), which is the
// order of the CAVI sweep (HG-13).

export type NoiseModel = 'hetero' | 'homo';

export interface GpStructure {
  nodeIds: string[];
  /** Parent node index, −1 for the root. */
  parent: Int32Array;
  /** 0 population, 1 group, 2 individual, 3 limb (or the depth in a custom tree). */
  level: Int32Array;
  /** f-kernel index of each node: its own (default) or its level's (`tieLevels`, HG-4). */
  kernelOf: Int32Array;
  kernelCount: number;
  /** Node index of each leaf; leaves are the nodes that carry data, in the order of the data. */
  leafNode: Int32Array;
  /** Noise group of each leaf (its group in a 4-level tree): μ₀, η and the δ kernel are per noise group (HG-6). */
  leafGroup: Int32Array;
  groupCount: number;
  groupIds: string[];
  /** Per leaf, its ancestors' node indices from the root down to the leaf itself (anc(l) of §4.1.1). */
  ancestors: Int32Array[];
}

export interface LeafKey { group: string; individual: string; limb: string }

/** A tree given node by node (parents before children); used for the one-node and small checks of §5.4.7. */
export function customStructure(nodes: { id: string; parent: number }[], leaves: { node: number; group: number }[], groupIds: string[], tieLevels = false): GpStructure {
  const n = nodes.length;
  const parent = Int32Array.from(nodes, (x) => x.parent);
  const level = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    if (parent[v] >= v) throw new Error(`GP tree: node ${nodes[v].id} must come after its parent`);
    level[v] = parent[v] < 0 ? 0 : level[parent[v]] + 1;
  }
  const depth = Math.max(...level) + 1;
  const kernelOf = tieLevels ? Int32Array.from(level) : Int32Array.from({ length: n }, (_, v) => v);
  const leafNode = Int32Array.from(leaves, (l) => l.node);
  const ancestors = Array.from(leafNode, (leaf) => {
    const path: number[] = [];
    for (let v = leaf; v >= 0; v = parent[v]) path.unshift(v);
    return Int32Array.from(path);
  });
  return {
    nodeIds: nodes.map((x) => x.id), parent, level, kernelOf, kernelCount: tieLevels ? depth : n,
    leafNode, leafGroup: Int32Array.from(leaves, (l) => l.group), groupCount: groupIds.length, groupIds, ancestors,
  };
}

/**
 * The four-level tree population → group → individual → limb of HG-5 for the given leaves (one per observed
 * limb, HG-1), in the order given; groups and individuals in order of first appearance.
 */
export function hierarchyStructure(leaves: readonly LeafKey[], tieLevels = false): GpStructure {
  const groups: string[] = [];
  const individuals: { id: string; group: number }[] = [];
  for (const l of leaves) {
    if (!groups.includes(l.group)) groups.push(l.group);
    const key = `${l.group}/${l.individual}`;
    if (!individuals.some((i) => i.id === key)) individuals.push({ id: key, group: groups.indexOf(l.group) });
  }
  const nodes: { id: string; parent: number }[] = [{ id: 'population', parent: -1 }];
  for (const g of groups) nodes.push({ id: g, parent: 0 });
  for (const i of individuals) nodes.push({ id: i.id, parent: 1 + i.group });
  const leafSpecs = leaves.map((l) => {
    const ind = individuals.findIndex((i) => i.id === `${l.group}/${l.individual}`);
    nodes.push({ id: `${l.group}/${l.individual}/${l.limb}`, parent: 1 + groups.length + ind });
    return { node: nodes.length - 1, group: groups.indexOf(l.group) };
  });
  return customStructure(nodes, leafSpecs, groups, tieLevels);
}

/** Offsets into θ (HG-8). A node block is m̃ (M), the strictly-lower entries of L̃ by rows, then ρ (M). */
export interface GpLayout {
  m: number;
  noise: NoiseModel;
  /** Z at [0, M). */
  z: number;
  /** (log σ², log ℓ) per f-kernel. */
  fKernel: number;
  /** hetero: (log σ², log ℓ) of η_g then of δ for group g, per group; homo: unused. */
  noiseKernel: number;
  /** hetero: μ₀,g per group; homo: log σ²_n,l per leaf. */
  noiseLevel: number;
  /** Variational blocks of the f-nodes, in node order. */
  fVariational: number;
  /** hetero: blocks of η_g (per group) then δ_l (per leaf). */
  noiseVariational: number;
  blockSize: number;
  noiseNodeCount: number;
  size: number;
}

export function gpLayout(s: GpStructure, m: number, noise: NoiseModel): GpLayout {
  const blockSize = 2 * m + (m * (m - 1)) / 2;
  const fKernel = m;
  const noiseKernel = fKernel + 2 * s.kernelCount;
  const noiseLevel = noiseKernel + (noise === 'hetero' ? 4 * s.groupCount : 0);
  const fVariational = noiseLevel + (noise === 'hetero' ? s.groupCount : s.leafNode.length);
  const noiseVariational = fVariational + blockSize * s.parent.length;
  const noiseNodeCount = noise === 'hetero' ? s.groupCount + s.leafNode.length : 0;
  return { m, noise, z: 0, fKernel, noiseKernel, noiseLevel, fVariational, noiseVariational, blockSize, noiseNodeCount, size: noiseVariational + blockSize * noiseNodeCount };
}

/** Noise-kernel index (2g for η_g, 2g + 1 for the δ of group g) of noise node w (η per group, then δ per leaf). */
export function noiseKernelOf(s: GpStructure, w: number): number {
  return w < s.groupCount ? 2 * w : 2 * s.leafGroup[w - s.groupCount] + 1;
}

/** Reads L̃ (dense M × M lower) from a node block: strict lower entries by rows, then ρ with L̃_jj = e^ρ_j. */
export function readCholeskyFactor(theta: Float64Array, block: number, m: number, out = new Float64Array(m * m)): Float64Array {
  out.fill(0);
  let p = block + m;
  for (let i = 1; i < m; i++) for (let j = 0; j < i; j++) out[i * m + j] = theta[p++];
  for (let j = 0; j < m; j++) out[j * m + j] = Math.exp(theta[p++]);
  return out;
}

/** Writes a lower-triangular L̃ with positive diagonal into a node block (inverse of readCholeskyFactor). */
export function writeCholeskyFactor(theta: Float64Array, block: number, m: number, l: Float64Array): void {
  let p = block + m;
  for (let i = 1; i < m; i++) for (let j = 0; j < i; j++) theta[p++] = l[i * m + j];
  for (let j = 0; j < m; j++) theta[p++] = Math.log(l[j * m + j]);
}
