// The synthetic dictionary data of methods-spec §5.2.5 (T-SMOKE): 20 atoms in R^135 with entries N(0,1)·3/√135,
// each sample the sum of 3 distinct atoms with weights U(0.5, 1.5) plus N(0, 0.01²) noise. A known sparse
// structure, so a test can say whether the autoencoders learn one.
import { seededNormal, seededRandom } from '../random';

export function syntheticDictionaryData(samples = 3000, dim = 135, atoms = 20, perSample = 3, seed = 42): Float64Array {
  const normal = seededNormal(seed);
  const uniform = seededRandom(seed ^ 0x51ed);
  const scale = 3 / Math.sqrt(dim);
  const dictionary = Float64Array.from({ length: atoms * dim }, () => normal() * scale);
  const x = new Float64Array(samples * dim);
  const pool = Array.from({ length: atoms }, (_, i) => i);
  for (let n = 0; n < samples; n++) {
    // A partial Fisher–Yates draws `perSample` distinct atoms.
    for (let i = 0; i < perSample; i++) {
      const j = i + Math.floor(uniform() * (atoms - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
      const weight = 0.5 + uniform();
      for (let d = 0; d < dim; d++) x[n * dim + d] += weight * dictionary[pool[i] * dim + d];
    }
    for (let d = 0; d < dim; d++) x[n * dim + d] += 0.01 * normal();
  }
  return x;
}
