/**
 * The viseme sets' names as the package hands them out. The core owns the tables
 * (src/timeline/viseme_map.cpp, docs/visemes.md); this is the Oculus name list the TypeScript side
 * needs to recognise which set a timeline was made with.
 *
 * ```ts
 * visemeSetOf(result.visemes);   // 'oculus' | 'azure' | 'none'
 * ```
 */
import { AvatarVoiceError } from './errors.js';
import type { VisemeEvent } from './types.js';

/** Meta/Oculus OVR 15, in id order (morph targets `viseme_sil` … `viseme_U` on Ready Player Me). */
export const OCULUS_VISEMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'ih', 'oh', 'ou'] as const;
export type OculusViseme = (typeof OCULUS_VISEMES)[number];

/** Both sets' names in id order, as the core reports them (`av.info.visemeSets`). */
export interface VisemeSetNames {
  oculus: string[];
  azure: string[];
}

/**
 * Viseme events from stored names (a store row keeps the name): the ids come from the set every
 * name belongs to. "aa" is a name in both sets; a speech whose names all fit Oculus is Oculus.
 */
export function visemeIdsFromNames(names: readonly string[], sets: VisemeSetNames): number[] {
  const set = names.every((n) => sets.oculus.includes(n)) ? sets.oculus : names.every((n) => sets.azure.includes(n)) ? sets.azure : null;
  return names.map((n) => {
    const id = (set ?? sets.oculus).indexOf(n);
    return id >= 0 ? id : 0;
  });
}

/** Which set a timeline's visemes come from ('none' when it has none). */
export function visemeSetOf(visemes: readonly Pick<VisemeEvent, 'viseme' | 'id'>[]): 'oculus' | 'azure' | 'none' {
  if (visemes.length === 0) return 'none';
  if (visemes.every((v) => OCULUS_VISEMES[v.id] === v.viseme)) return 'oculus';
  // Azure names are not Oculus names at their id ("silence", "ae_ax_ah", …); ids 0–21.
  if (visemes.every((v) => Number.isInteger(v.id) && v.id >= 0 && v.id <= 21 && OCULUS_VISEMES[v.id] !== v.viseme)) return 'azure';
  throw new AvatarVoiceError('INVALID_ARGUMENT', 'the visemes mix the Oculus and Azure sets (or carry unknown ids)');
}

/** Throws INVALID_ARGUMENT unless the visemes are of `set` (an empty timeline passes). */
export function requireVisemeSet(visemes: readonly Pick<VisemeEvent, 'viseme' | 'id'>[], set: 'oculus' | 'azure', consumer: string): void {
  const found = visemeSetOf(visemes);
  if (found !== 'none' && found !== set)
    throw new AvatarVoiceError('INVALID_ARGUMENT', `${consumer} needs ${set} visemes; this speech has ${found} ones (synthesize with visemeSet: '${set}')`);
}
