// The voice catalogue (Piper's voices.json) in Node: parsing a fixture in the published format,
// then a catalogue of the generated test voices on disk: load by key or alias, with the listed
// MD5 checked (node:crypto computes the digests the catalogue lists: an independent oracle).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AvatarVoice, DEFAULT_CATALOG_URL, parseVoiceCatalog } from '../../dist/index.js';
import { VOICES, codeOf, voiceFiles } from './voices.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/catalog/voices.json');
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

describe('parseVoiceCatalog on a voices.json in the published format', () => {
  const base = 'https://mirror.example/piper-voices/voices.json';
  const { voices, rejected } = parseVoiceCatalog(readFileSync(FIXTURE, 'utf8'), base);

  it('reads every well-formed voice, sorted by key, with files resolved against the catalogue', () => {
    expect(voices.map((v) => v.key)).toEqual(['de_DE-thorsten-low', 'en_GB-vctk-medium', 'en_US-lessac-medium']);
    const lessac = voices.find((v) => v.key === 'en_US-lessac-medium')!;
    expect(lessac).toMatchObject({
      name: 'lessac',
      quality: 'medium',
      numSpeakers: 1,
      speakers: [],
      aliases: ['en-us-lessac-medium'],
      language: { code: 'en_US', family: 'en', region: 'US', nameEnglish: 'English', countryEnglish: 'United States' },
      cachedId: null,
    });
    expect(lessac.model).toEqual({
      path: 'en/en_US/lessac/medium/en_US-lessac-medium.onnx',
      url: 'https://mirror.example/piper-voices/en/en_US/lessac/medium/en_US-lessac-medium.onnx',
      bytes: 63201294,
      md5: '2ed4ea8c6b0e0e5a1c7ab5d0e9f1b2c3', // listed in upper case
    });
    expect(lessac.config.url).toBe('https://mirror.example/piper-voices/en/en_US/lessac/medium/en_US-lessac-medium.onnx.json');
  });

  it('names speakers by id', () => {
    const vctk = voices.find((v) => v.key === 'en_GB-vctk-medium')!;
    expect(vctk.numSpeakers).toBe(3);
    expect(vctk.speakers).toEqual(['p239', 'p236', 'p264']);
  });

  it('leaves out each malformed entry with its reason and keeps the rest', () => {
    const reasons = Object.fromEntries(rejected.map((r) => [r.key, r.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'xx_XX-bad-speaker-low',
      'xx_XX-elsewhere-low',
      'xx_XX-encoded-escape-low',
      'xx_XX-escape-low',
      'xx_XX-no-language-low',
      'xx_XX-no-md5-low',
      'xx_XX-not-an-object',
      'xx_XX-two-models-low',
      'xx_XX-wrong-key-low',
    ]);
    expect(reasons['xx_XX-no-md5-low']).toMatch(/md5_digest/);
    expect(reasons['xx_XX-escape-low']).toMatch(/relative path/);
    expect(reasons['xx_XX-elsewhere-low']).toMatch(/relative path/);
    expect(reasons['xx_XX-encoded-escape-low']).toMatch(/relative path/); // "%2e%2e" is ".." to a URL parser
    expect(reasons['xx_XX-two-models-low']).toMatch(/lists 2 and 1/);
    expect(reasons['xx_XX-wrong-key-low']).toMatch(/something-else/);
    expect(reasons['xx_XX-bad-speaker-low']).toMatch(/id 5/);
    expect(reasons['xx_XX-no-language-low']).toMatch(/language/);
  });

  it('refuses a catalogue that is not a JSON object, typed', () => {
    for (const text of ['', 'not json', '[1, 2]', '"voices"', 'null'])
      expect(() => parseVoiceCatalog(text, base)).toThrow(expect.objectContaining({ code: 'INVALID_CATALOG' }));
  });

  it('on mutated catalogues: only INVALID_CATALOG, and every file URL stays inside the catalogue folder', () => {
    // A seeded generator (mulberry32) so a failure replays.
    let seed = 20261202;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const odd = [null, -1, 1.5, 1e300, '', '..', '/etc/passwd', 'http://x/a.onnx', '\\x.onnx', [], {}, true, 'a'.repeat(300)];
    const mutate = (value: unknown, depth: number): unknown => {
      if (random() < 0.08) return pick(odd);
      if (Array.isArray(value)) return value.map((v) => mutate(v, depth + 1));
      if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          if (random() < 0.05) continue;
          const key =
            random() < 0.05
              ? pick([
                  '../a.onnx',
                  'x.onnx',
                  'b/../../c.onnx.json',
                  'C:/a.onnx',
                  '//h/a.onnx',
                  '%2e%2e/%2E%2e/a.onnx',
                  'a/.%2e/.%2e/b.onnx.json',
                ])
              : k;
          out[key] = mutate(v, depth + 1);
        }
        return out;
      }
      return value;
    };
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const folder = 'https://mirror.example/piper-voices/';
    let voicesSeen = 0;
    for (let i = 0; i < 2000; i++) {
      let text = JSON.stringify(mutate(fixture, 0));
      if (random() < 0.1) text = text.slice(0, Math.floor(random() * text.length)); // truncated download
      let parsed: ReturnType<typeof parseVoiceCatalog> | null = null;
      try {
        parsed = parseVoiceCatalog(text, base);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('INVALID_CATALOG');
        continue;
      }
      for (const v of parsed.voices) {
        voicesSeen++;
        for (const f of [v.model, v.config]) {
          expect(f.url.startsWith(folder)).toBe(true);
          expect(f.md5).toMatch(/^[0-9a-f]{32}$/);
          expect(Number.isSafeInteger(f.bytes) && f.bytes >= 0).toBe(true);
        }
        expect(v.speakers.length).toBeLessThanOrEqual(v.numSpeakers);
      }
    }
    expect(voicesSeen).toBeGreaterThan(300); // the mutations left enough voices whole to check
  });

  it('defaults to the Hugging Face index', () => {
    expect(DEFAULT_CATALOG_URL).toBe('https://huggingface.co/rhasspy/piper-voices/resolve/main/voices.json');
  });
});

describe('loading a voice from a catalogue on disk', () => {
  let av: AvatarVoice;
  let catalogUrl: string;
  const tiny = voiceFiles('test-tiny');

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'av-catalog-'));
    const entry = (key: string, digest: { model: string; modelBytes: number }, aliases: string[] = []) => ({
      key,
      name: key,
      language: { code: 'en_US', family: 'en', region: 'US' },
      quality: 'x_low',
      num_speakers: 1,
      files: {
        // Relative to the catalogue, as on Hugging Face.
        [`voices/${key}.onnx`]: { size_bytes: digest.modelBytes, md5_digest: digest.model },
        [`voices/${key}.onnx.json`]: { size_bytes: Buffer.byteLength(tiny.config), md5_digest: md5(Buffer.from(tiny.config)) },
      },
      aliases,
    });
    mkdirSync(join(dir, 'voices'));
    for (const key of ['tiny', 'tiny-bad-md5', 'tiny-bad-size']) {
      copyFileSync(`${VOICES}test-tiny.onnx`, join(dir, 'voices', `${key}.onnx`));
      writeFileSync(join(dir, 'voices', `${key}.onnx.json`), tiny.config);
    }
    const digest = { model: md5(tiny.model), modelBytes: tiny.model.byteLength };
    const catalog = {
      tiny: entry('tiny', digest, ['tiny-alias']),
      'tiny-bad-md5': entry('tiny-bad-md5', { ...digest, model: md5(Buffer.from('something else')) }),
      'tiny-bad-size': entry('tiny-bad-size', { ...digest, modelBytes: digest.modelBytes + 1 }),
    };
    writeFileSync(join(dir, 'voices.json'), JSON.stringify(catalog));
    writeFileSync(join(dir, 'broken.json'), '{"tiny": ');
    catalogUrl = pathToFileURL(join(dir, 'voices.json')).href;
    av = await AvatarVoice.create();
  }, 60_000);
  afterAll(() => av?.dispose());

  it('lists the voices and loads one by key: the same audio as the files loaded directly', async () => {
    const catalog = await av.catalog(catalogUrl);
    expect(catalog.source).toBe('network');
    expect(catalog.voices.map((v) => v.key)).toEqual(['tiny', 'tiny-bad-md5', 'tiny-bad-size']);
    const fromCatalog = await av.loadVoice({ catalog: 'tiny' }, { catalogUrl });
    const direct = await av.loadVoice(tiny);
    const options = { noiseScale: 0, noiseW: 0 };
    const a = await fromCatalog.synthesize('Tell me about yourself.', options);
    const b = await direct.synthesize('Tell me about yourself.', options);
    expect(a.samples.length).toBeGreaterThan(1000);
    expect(a.samples).toEqual(b.samples);
    expect(fromCatalog.info.sha256).toBe(createHash('sha256').update(tiny.model).digest('hex'));
  });

  it('finds a voice by one of its aliases', async () => {
    const voice = await av.loadVoice({ catalog: 'tiny-alias' }, { catalogUrl });
    expect(voice.info.modelBytes).toBe(tiny.model.byteLength);
  });

  it('refuses a download whose MD5 or size differs from the listed one (INTEGRITY)', async () => {
    expect(await codeOf(av.loadVoice({ catalog: 'tiny-bad-md5' }, { catalogUrl }))).toBe('INTEGRITY');
    expect(await codeOf(av.loadVoice({ catalog: 'tiny-bad-size' }, { catalogUrl }))).toBe('INTEGRITY');
    await expect(av.loadVoice({ catalog: 'tiny-bad-md5' }, { catalogUrl })).rejects.toThrow(/MD5 [0-9a-f]{32}; the catalogue lists/);
  });

  it('names a key the catalogue lacks (NOT_FOUND) and a broken or missing catalogue', async () => {
    expect(await codeOf(av.loadVoice({ catalog: 'nope' }, { catalogUrl }))).toBe('NOT_FOUND');
    const broken = catalogUrl.replace(/voices\.json$/, 'broken.json');
    expect(await codeOf(av.catalog(broken))).toBe('INVALID_CATALOG');
    expect(await codeOf(av.loadVoice({ catalog: 'tiny' }, { catalogUrl: broken }))).toBe('INVALID_CATALOG');
    expect(await codeOf(av.catalog(catalogUrl.replace(/voices\.json$/, 'missing.json')))).toBe('ASSET_LOAD');
  });
});
