// The options of `gaitlab train sincpd` and of the sincpdCheckTraining call, checked with one-line refusals.
import type { SincPdProtocol } from '../../../src-shared/methods/sincpd/protocols';
import { SINCPD_CONFIGS, SINCPD_TASKS, type SincPdConfigName, type SincPdTaskName } from './seam';

/** The CLI's protocol names (issue 15) and the spec's (§5.3.3); both are accepted. */
const PROTOCOL_NAMES: Record<string, SincPdProtocol> = {
  'subject-cv': 'subject-10fold', 'subject-10fold': 'subject-10fold',
  segment: 'segment-stratified', 'segment-stratified': 'segment-stratified',
};

export interface SincPdTrainOptions { task: SincPdTaskName; config: SincPdConfigName; protocol: SincPdProtocol; walks: 'all' | 'usual-only' }

/** A one-line reason when an option is unknown, else the normalised options. */
export function parseSincPdTrainOptions(o: { task?: string; config?: string; protocol?: string; walks?: string }): SincPdTrainOptions | { error: string } {
  if (o.task === undefined) return { error: `sincpd needs --task (${SINCPD_TASKS.join(' or ')})` };
  if (!(SINCPD_TASKS as readonly string[]).includes(o.task)) return { error: `unknown SincPD task "${o.task}" (expected ${SINCPD_TASKS.join(' or ')})` };
  const config = o.config ?? 'sincnet-gait';
  if (!(SINCPD_CONFIGS as readonly string[]).includes(config)) return { error: `unknown SincPD config "${config}" (expected ${SINCPD_CONFIGS.join(' or ')})` };
  const protocol = PROTOCOL_NAMES[o.protocol ?? 'subject-cv'];
  if (!protocol) return { error: `unknown SincPD protocol "${o.protocol}" (expected segment or subject-cv)` };
  const walks = o.walks ?? 'all';
  // All walks by default, as the authors' code (§3.1); usual-only keeps walk 01 (§5.3.1 item 5).
  if (walks !== 'all' && walks !== 'usual-only') return { error: `unknown walk selection "${walks}" (expected all or usual-only)` };
  return { task: o.task as SincPdTaskName, config: config as SincPdConfigName, protocol, walks };
}
