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
 * packs.packFor('nb');       // 'no': Norwegian Bokmål uses the "no" dictionary
 * packs.packFor('tlh');      // throws LANGUAGE_UNAVAILABLE: no pack has it
 * ```
 */
import { AvatarVoiceError } from './errors.js';
import { LANGUAGE_PACKS } from './generated/core_tables.js';

export { LANGUAGE_PACKS };

/**
 * Espeak voices whose dictionary has another name (their voice file's `dictionary` line; the
 * build packs those voice files with that dictionary, scripts/build.sh). Every other voice's
 * dictionary is its language code: "pt-br" → "pt".
 */
const DICTIONARY_OF_VOICE: Readonly<Record<string, string>> = { nb: 'no' };

export class LanguagePacks {
  private readonly languages = new Set<string>(['en']);

  /** The pack to install for `espeakVoice` ("de", "pt-br", …), or null when none is needed. */
  packFor(espeakVoice: string | null): string | null {
    if (!espeakVoice) return null; // the core's default voice, English
    const code = espeakVoice.split('-')[0]!.toLowerCase();
    const language = DICTIONARY_OF_VOICE[code] ?? code;
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
