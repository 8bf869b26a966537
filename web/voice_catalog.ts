/**
 * A Piper voice catalogue: the `voices.json` format of Hugging Face's `rhasspy/piper-voices`
 * (key, language, quality, speakers, files with their size and MD5), read from a URL the app
 * chooses. Files are listed relative to the catalogue, so a mirror is a copy of the folder.
 *
 * ```ts
 * const catalog = await av.catalog();                     // the Hugging Face index by default
 * const german = catalog.voices.filter((v) => v.language.family === 'de');
 * const voice = await av.loadVoice({ catalog: german[0].key }, { onProgress });  // MD5 checked
 * ```
 *
 * A catalogue entry that does not have the format's shape is left out and listed in `rejected`
 * with the reason; the others stay usable. Each successful fetch keeps a copy in OPFS
 * (`avatar-voice/catalogs/`), which answers when the network does not (offline), so a voice saved
 * from the catalogue loads by its key offline too.
 */
import { AvatarVoiceError } from './errors.js';
import { appDir, sha256Hex, voiceCacheAvailable, writeFile } from './voice_cache.js';
import { type LoadOptions, absoluteUrl, fetchLimited } from './voice_source.js';

/** Hugging Face's index of every published Piper voice. */
export const DEFAULT_CATALOG_URL = 'https://huggingface.co/rhasspy/piper-voices/resolve/main/voices.json';

/** The largest catalogue read (Hugging Face's, with every voice, is about 0.5 MB). */
export const MAX_CATALOG_BYTES = 16 * 1024 * 1024;

/** One file of a catalogue voice, where to get it and what it must be. */
export interface CatalogFile {
  /** Path as the catalogue lists it, relative to the catalogue. */
  path: string;
  /** Absolute URL (the catalogue's URL + path). */
  url: string;
  bytes: number;
  /** MD5 (hex, lower case) the catalogue lists: loadVoice checks the download against it. */
  md5: string;
}

export interface CatalogLanguage {
  /** "en_US", "de_DE", "zh_CN"… */
  code: string;
  /** "en", "de", "zh"… */
  family: string;
  region: string;
  nameNative: string;
  nameEnglish: string;
  countryEnglish: string;
}

export interface CatalogVoice {
  /** "en_US-lessac-medium": what `loadVoice({ catalog })` takes. */
  key: string;
  name: string;
  language: CatalogLanguage;
  /** "x_low" | "low" | "medium" | "high" (as listed; other values are kept). */
  quality: string;
  numSpeakers: number;
  /** Speaker names by id (empty for a single-speaker voice). */
  speakers: string[];
  /** Other keys this voice was published under. */
  aliases: string[];
  model: CatalogFile;
  config: CatalogFile;
  /** Its id in the OPFS voice cache when it was saved from this catalogue, else null. */
  cachedId: string | null;
}

export interface CatalogRejection {
  key: string;
  reason: string;
}

export interface VoiceCatalog {
  url: string;
  /** Sorted by key. */
  voices: CatalogVoice[];
  /** Entries left out, with why. */
  rejected: CatalogRejection[];
  /** 'network' when just fetched; 'saved' when the network failed and the OPFS copy answered. */
  source: 'network' | 'saved';
  /** When this copy was fetched (ms since the epoch). */
  fetchedAt: number;
}

export interface CatalogOptions {
  signal?: AbortSignal;
  onProgress?: LoadOptions['onProgress'];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

class Rejected extends Error {}

function file(path: string, value: unknown, base: string): CatalogFile {
  if (!isObject(value)) throw new Rejected(`file "${path}" is not an object`);
  const bytes = value.size_bytes;
  const md5 = value.md5_digest;
  if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) throw new Rejected(`file "${path}" has no valid size_bytes`);
  if (typeof md5 !== 'string' || !/^[0-9a-fA-F]{32}$/.test(md5)) throw new Rejected(`file "${path}" has no valid md5_digest`);
  // Paths stay inside the catalogue's folder: no scheme, no absolute path, no "..", and the
  // resolved URL (which also undoes "%2e%2e") must still start with the folder's.
  const url = /^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(path) || path.split(/[/\\]/).includes('..') ? null : new URL(path, base).href;
  if (!url?.startsWith(new URL('.', base).href)) throw new Rejected(`file "${path}" is not a relative path inside the catalogue`);
  return { path, url, bytes: bytes as number, md5: md5.toLowerCase() };
}

function speakerNames(map: unknown, count: number): string[] {
  if (map === undefined || map === null) return [];
  if (!isObject(map)) throw new Rejected('speaker_id_map is not an object');
  const names: string[] = [];
  for (const [name, id] of Object.entries(map)) {
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= count)
      throw new Rejected(`speaker "${name}" has id ${String(id)}, outside 0..${count - 1}`);
    names[id as number] = name;
  }
  return Array.from(names, (n, i) => n ?? String(i));
}

function voice(key: string, entry: unknown, base: string): CatalogVoice {
  if (!isObject(entry)) throw new Rejected('the entry is not an object');
  if (entry.key !== undefined && entry.key !== key) throw new Rejected(`its "key" field says "${String(entry.key)}"`);
  const language = entry.language;
  if (!isObject(language) || typeof language.code !== 'string' || !language.code) throw new Rejected('no language.code');
  if (typeof entry.quality !== 'string' || !entry.quality) throw new Rejected('no quality');
  const numSpeakers = entry.num_speakers ?? 1;
  if (!Number.isInteger(numSpeakers) || (numSpeakers as number) < 1) throw new Rejected('num_speakers is not a positive integer');
  if (!isObject(entry.files)) throw new Rejected('no files');
  const files = Object.entries(entry.files).map(([path, value]) => file(path, value, base));
  const models = files.filter((f) => f.path.endsWith('.onnx'));
  const configs = files.filter((f) => f.path.endsWith('.onnx.json'));
  if (models.length !== 1 || configs.length !== 1)
    throw new Rejected(`needs one .onnx and one .onnx.json file, lists ${models.length} and ${configs.length}`);
  const aliases = entry.aliases ?? [];
  if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string')) throw new Rejected('aliases is not a list of strings');
  return {
    key,
    name: text(entry.name) || key,
    language: {
      code: language.code,
      family: text(language.family) || language.code.split(/[_-]/)[0]!,
      region: text(language.region),
      nameNative: text(language.name_native),
      nameEnglish: text(language.name_english),
      countryEnglish: text(language.country_english),
    },
    quality: entry.quality,
    numSpeakers: numSpeakers as number,
    speakers: speakerNames(entry.speaker_id_map, numSpeakers as number),
    aliases,
    model: models[0]!,
    config: configs[0]!,
    cachedId: null,
  };
}

/**
 * The voices of a `voices.json` text fetched from `url`. INVALID_CATALOG when it is not a JSON
 * object; entries without the format's shape go to `rejected`.
 */
export function parseVoiceCatalog(json: string, url: string): Pick<VoiceCatalog, 'voices' | 'rejected'> {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch (cause) {
    throw new AvatarVoiceError('INVALID_CATALOG', `the voice catalogue at ${url} is not JSON: ${(cause as Error).message}`);
  }
  if (!isObject(root)) throw new AvatarVoiceError('INVALID_CATALOG', `the voice catalogue at ${url} is not a JSON object of voices`);
  const voices: CatalogVoice[] = [];
  const rejected: CatalogRejection[] = [];
  for (const [key, entry] of Object.entries(root)) {
    try {
      voices.push(voice(key, entry, url));
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      rejected.push({ key, reason: error.message });
    }
  }
  voices.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { voices, rejected };
}

/** The voice `key` names in `catalog` (its key or one of its aliases), or NOT_FOUND. */
export function catalogVoice(catalog: VoiceCatalog, key: string): CatalogVoice {
  const found = catalog.voices.find((v) => v.key === key) ?? catalog.voices.find((v) => v.aliases.includes(key));
  if (found) return found;
  const why = catalog.rejected.find((r) => r.key === key);
  throw new AvatarVoiceError(
    'NOT_FOUND',
    why
      ? `voice "${key}" in the catalogue at ${catalog.url} is malformed: ${why.reason}`
      : `no voice "${key}" in the catalogue at ${catalog.url} (${catalog.voices.length} voices)`,
  );
}

const catalogsDir = () => appDir('catalogs');

const savedName = async (url: string) => `${(await sha256Hex(new TextEncoder().encode(url))).slice(0, 32)}.json`;

interface SavedCatalog {
  url: string;
  fetchedAt: number;
  text: string;
}

async function saveCopy(copy: SavedCatalog): Promise<void> {
  if (!voiceCacheAvailable()) return;
  // A copy that cannot be written (quota) only costs the offline fallback.
  await writeFile(await catalogsDir(), await savedName(copy.url), JSON.stringify(copy)).catch(() => undefined);
}

async function readCopy(url: string): Promise<SavedCatalog | null> {
  if (!voiceCacheAvailable()) return null;
  try {
    const handle = await (await catalogsDir()).getFileHandle(await savedName(url));
    const copy = JSON.parse(await (await handle.getFile()).text()) as SavedCatalog;
    return copy.url === url && typeof copy.text === 'string' ? copy : null;
  } catch {
    return null;
  }
}

/**
 * Fetches and parses the catalogue at `url` and keeps a copy; when the fetch fails (offline,
 * server down) the last copy kept answers, with `source: 'saved'`. `cachedIds` maps a model URL
 * to its id in the voice cache.
 */
export async function fetchVoiceCatalog(
  url: string | URL,
  options: CatalogOptions,
  cachedIds: () => Promise<Map<string, string>>,
): Promise<VoiceCatalog> {
  const href = absoluteUrl(url);
  let copy: SavedCatalog;
  let source: VoiceCatalog['source'] = 'network';
  try {
    const bytes = await fetchLimited(
      href,
      'catalog',
      { signal: options.signal, onProgress: options.onProgress },
      { maxBytes: MAX_CATALOG_BYTES, code: 'INVALID_CATALOG', what: 'the voice catalogue' },
    );
    copy = { url: href, fetchedAt: Date.now(), text: new TextDecoder().decode(bytes) };
  } catch (error) {
    const saved = (error as AvatarVoiceError).code === 'ASSET_LOAD' ? await readCopy(href) : null;
    if (!saved) throw error;
    copy = saved;
    source = 'saved';
  }
  const parsed = parseVoiceCatalog(copy.text, href);
  if (source === 'network') await saveCopy(copy);
  const ids = await cachedIds();
  for (const v of parsed.voices) v.cachedId = ids.get(v.model.url) ?? null;
  return { url: href, ...parsed, source, fetchedAt: copy.fetchedAt };
}
