// Byte-identical walks (methods-spec §5.3.1 item 3): gaitpdb holds three pairs of identical recordings under two
// names, one across a control and a PD patient (JuCo26_01 = JuPt01_01). Left in, one recording sits on both sides
// of a split or carries two labels, so they are removed before any split: within each group of walks with the same
// file hash or the same parsed-array hash, the lexicographically first name is kept and the others dropped.

export interface WalkFingerprint { name: string; sha256: string; arrayHash?: string }
export interface DroppedWalk { name: string; duplicateOf: string; by: 'file' | 'array' }

export function findDuplicateWalks(walks: WalkFingerprint[]): { keep: string[]; dropped: DroppedWalk[] } {
  const sorted = [...walks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const firstByFile = new Map<string, string>();
  const firstByArray = new Map<string, string>();
  const keep: string[] = [];
  const dropped: DroppedWalk[] = [];
  for (const w of sorted) {
    const byFile = firstByFile.get(w.sha256);
    const byArray = w.arrayHash ? firstByArray.get(w.arrayHash) : undefined;
    if (byFile) dropped.push({ name: w.name, duplicateOf: byFile, by: 'file' });
    else if (byArray) dropped.push({ name: w.name, duplicateOf: byArray, by: 'array' });
    else {
      keep.push(w.name);
      firstByFile.set(w.sha256, w.name);
      if (w.arrayHash) firstByArray.set(w.arrayHash, w.name);
    }
  }
  return { keep, dropped };
}
