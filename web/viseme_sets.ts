/**
 * The viseme sets' names as the package hands them out. The core owns the tables
 * (src/timeline/viseme_map.cpp, docs/visemes.md); the build writes their names into
 * `generated/core_tables.ts`, so the main thread (Player, formats) has them without the worker.
 *
 * ```ts
 * visemeSetOf(result.visemes);   // 'oculus' | 'azure' | 'none'
 * OCULUS_VISEMES[10];            // 'aa' (morph target `viseme_aa` on Ready Player Me)
 * ```
 */
import { AvatarVoiceError } from './errors.js';
import { AZURE_VISEMES, OCULUS_VISEMES } from './generated/core_tables.js';
import type { VisemeEvent } from './types.js';

/** Meta/Oculus OVR 15 (`OCULUS_VISEMES`, in id order) and Microsoft/Azure 22 (`AZURE_VISEMES`). */
export { AZURE_VISEMES, OCULUS_VISEMES };
export type OculusViseme = (typeof OCULUS_VISEMES)[number];
export type AzureViseme = (typeof AZURE_VISEMES)[number];

/** Both sets' names in id order, as the core reports them (`av.info.visemeSets`). */
export interface VisemeSetNames {
  oculus: string[];
  azure: string[];
}

const SETS = { oculus: OCULUS_VISEMES as readonly string[], azure: AZURE_VISEMES as readonly string[] };

/**
 * Viseme ids from stored names (a store row keeps the name): the ids come from the set every
 * name belongs to. "aa" is a name in both sets; a speech whose names all fit Oculus is Oculus.
 */
export function visemeIdsFromNames(names: readonly string[]): number[] {
  const set = names.every((n) => SETS.oculus.includes(n)) ? SETS.oculus : names.every((n) => SETS.azure.includes(n)) ? SETS.azure : null;
  return names.map((n) => {
    const id = (set ?? SETS.oculus).indexOf(n);
    return Math.max(id, 0);
  });
}

/** Which set a timeline's visemes come from ('none' when it has none). */
export function visemeSetOf(visemes: readonly Pick<VisemeEvent, 'viseme' | 'id'>[]): 'oculus' | 'azure' | 'none' {
  if (visemes.length === 0) return 'none';
  if (visemes.every((v) => SETS.oculus[v.id] === v.viseme)) return 'oculus';
  if (visemes.every((v) => SETS.azure[v.id] === v.viseme)) return 'azure';
  throw new AvatarVoiceError('INVALID_ARGUMENT', 'the visemes mix the Oculus and Azure sets (or carry unknown ids)');
}

/** Throws INVALID_ARGUMENT unless the visemes are of `set` (an empty timeline passes). */
export function requireVisemeSet(visemes: readonly Pick<VisemeEvent, 'viseme' | 'id'>[], set: 'oculus' | 'azure', consumer: string): void {
  const found = visemeSetOf(visemes);
  if (found !== 'none' && found !== set)
    throw new AvatarVoiceError(
      'INVALID_ARGUMENT',
      `${consumer} needs ${set} visemes; this speech has ${found} ones (synthesize with visemeSet: '${set}')`,
    );
}
