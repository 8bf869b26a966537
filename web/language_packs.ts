/**
 * Which espeak-ng languages the engine has, and which shipped data pack a voice needs. The packs
 * that ship are the build's list (`LANGUAGE_PACKS`, from cmake/EspeakNg.cmake); English is built
 * in. `AvatarVoice.loadVoice` uses this to install the pack of a voice's `espeak.voice`.
 *
 * ```ts
 * const packs = new LanguagePacks();
 * packs.packFor('de');       // 'de': ships beside the core and is not installed yet
 * packs.installed('de');
 * packs.packFor('de-ch');    // null: nothing to install
 * packs.packFor('cmn');      // throws LANGUAGE_UNAVAILABLE: no pack has it
 * ```
 */
import { AvatarVoiceError } from './errors.js';
import { LANGUAGE_PACKS } from './generated/core_tables.js';

export { LANGUAGE_PACKS };

export class LanguagePacks {
  private readonly languages = new Set<string>(['en']);

  /** The pack to install for `espeakVoice` ("de", "pt-br", …), or null when none is needed. */
  packFor(espeakVoice: string | null): string | null {
    if (!espeakVoice) return null; // the core's default voice, English
    const language = espeakVoice.split('-')[0]!.toLowerCase();
    if (this.languages.has(language)) return null;
    if ((LANGUAGE_PACKS as readonly string[]).includes(language)) return language;
    throw new AvatarVoiceError(
      'LANGUAGE_UNAVAILABLE',
      `no espeak-ng language pack has the voice's language "${espeakVoice}" (shipped: en, ${LANGUAGE_PACKS.join(', ')}); ` +
        `install one first with av.loadLanguage('${language}', source)`,
    );
  }

  /** Records that `language`'s data is in the engine (a shipped or a custom pack). */
  installed(language: string): void {
    this.languages.add(language);
  }
}
