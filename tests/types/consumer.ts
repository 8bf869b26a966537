// Compile-only: what a strict TypeScript user writes against the public API. `tsc` over this file
// (npm run typecheck, and the package smoke test against the installed tarball) must pass; the
// lines marked ts-expect-error must stay errors. Nothing here runs.
import {
  AvatarVoice,
  AvatarVoiceError,
  type AvatarVoiceErrorCode,
  type CreateOptions,
  joinChunks,
  type LoadProgress,
  type PhonemizedSentence,
  Player,
  type SpeechChunk,
  type Store,
  type SynthesisResult,
  type TimedPhoneme,
  type Voice,
  type VisemeEvent,
  type VoiceStreaming,
  type StreamingFallbackReason,
  type ArkitAnimation,
  type PollySpeechMark,
  type TalkingHeadSpeech,
  toArkitFrames,
  toAzureVisemeEvents,
  toPollySpeechMarks,
  toTalkingHead,
} from 'avatar-voice';

/** Compile-time equality: `expectType<Equal<A, B>>(true)` fails to compile unless A and B match. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(value: T): T {
  return value;
}

export async function create(): Promise<AvatarVoice> {
  const options: CreateOptions = {
    worker: true,
    workerUrl: new URL('/vendor/avatar-voice/worker.js', location.href),
    assets: { coreWasm: '/cdn/avatar-voice-core.wasm', espeakData: new URL('https://cdn.example/espeak.pack') },
    ort: { numThreads: 2, wasmPaths: { mjs: '/ort/ort-wasm-simd-threaded.mjs', wasm: '/ort/ort-wasm-simd-threaded.wasm' } },
  };
  const av = await AvatarVoice.create(options);
  await AvatarVoice.create({ ort: { wasmPaths: '/ort/' } });
  // @ts-expect-error the worker flag is a boolean
  await AvatarVoice.create({ worker: 'yes' });
  // @ts-expect-error exactOptionalPropertyTypes: leave an option out rather than passing undefined
  await AvatarVoice.create({ workerUrl: undefined });
  const version: string = av.info.version;
  void version;
  return av;
}

export async function phonemize(av: AvatarVoice): Promise<string> {
  const sentences = await av.phonemize('Hello there. How are you?', { voice: 'en-us', maxChars: 500 });
  expectType<Equal<typeof sentences, PhonemizedSentence[]>>(true);
  const first = sentences[0]; // noUncheckedIndexedAccess: possibly undefined
  if (!first) return '';
  const word = 'Hello there.'.slice(first.phonemes[0]?.textStart ?? 0, first.phonemes[0]?.textEnd ?? 0);
  await av.loadLanguage('de');
  return `${word}: ${first.phonemes.map((p) => p.phoneme).join('')}`;
}

export async function synthesize(av: AvatarVoice, controller: AbortController): Promise<SynthesisResult> {
  const progress: LoadProgress[] = [];
  const voice = await av.loadVoice(
    { model: '/voices/en_US-lessac-medium.onnx' },
    { onProgress: (p) => progress.push(p), signal: controller.signal, cache: true },
  );
  expectType<Equal<typeof voice, Voice>>(true);
  await av.loadVoice({ model: new Uint8Array(8), config: { audio: { sample_rate: 22050 } } });
  // @ts-expect-error a voice source needs a model, a config object or a cached id, not a number
  await av.loadVoice({ model: 42 });

  const rate: number = voice.sampleRate;
  const chunks: SpeechChunk[] = [];
  const streaming: VoiceStreaming = voice.info.streaming;
  if (streaming.mode === 'window') void ((streaming.marginFrames + streaming.decoderMarginFrames) satisfies number);
  else void (streaming.reason satisfies StreamingFallbackReason);
  for await (const chunk of voice.stream('Tell me about yourself.', { noiseW: 0, visemeSet: 'azure', signal: controller.signal })) {
    // A window of sentence `index`: its phonemes start in it (the last may end in the next window).
    const last = chunk.phonemes.reduce((n: number, p: TimedPhoneme) => Math.max(n, p.startSample), 0);
    if (last > chunk.samples.length || chunk.sampleRate !== rate) throw new Error('timeline does not fit the audio');
    const where: [number, boolean, number] = [chunk.sampleOffset, chunk.endsSentence, chunk.sentenceSamples];
    void where;
    const mouth: VisemeEvent | undefined = chunk.visemes[0];
    void mouth?.viseme;
    chunks.push(chunk);
  }
  for await (const sentence of voice.stream('Whole sentences.', { chunking: 'sentence' })) void sentence.index;
  // @ts-expect-error chunks are windows or sentences
  voice.stream('x', { chunking: 'word' });
  // @ts-expect-error only the Oculus and Azure viseme sets exist
  await voice.synthesize('x', { visemeSet: 'arkit' });
  const all = await voice.synthesize('One more thing.', { speaker: 'p225', lengthScale: 1.2 });
  const joined = joinChunks(chunks, rate);
  expectType<Equal<typeof joined, SynthesisResult>>(true);
  const timing: 'model' | 'estimated' = all.timing;
  void timing;
  const wav: Uint8Array = await voice.toWav(all.samples);
  void wav;

  const player = new Player({ sampleRate: voice.sampleRate, attackMs: 30 });
  const off = player.on('viseme', (e) => console.log(e.viseme, e.weight, e.time));
  player.on('word', (e) => console.log(e.text ?? '', e.time));
  // @ts-expect-error there is no 'mouth' event
  player.on('mouth', () => undefined);
  await player.speak(voice, 'Hello there.');
  off();
  player.dispose();
  await voice.dispose();
  return all;
}

export async function store(av: AvatarVoice, speech: SynthesisResult): Promise<Store> {
  const db = await av.openStore({ storage: 'opfs', name: 'interviews.sqlite3' });
  const ada = await db.avatars.getOrCreate('Ada');
  const id: number = ada.id;
  await db.avatars.patchState(id, { emotion: 'happy', mood: null });
  const session = await db.sessions.create({ avatarId: id, kind: 'interview', title: 'Mock #1' });
  const audio = await db.saveSpeech(speech, { text: 'Tell me about yourself.', voiceId: 'sha', sessionId: session.id, format: 'wav' });
  const format: 'wav' | 'pcm_f32' | 'opus' = audio.format;
  void format;
  const replay = await db.loadSpeech(audio.id);
  const samples: Float32Array = replay.samples;
  void samples;
  const renamed = await db.transaction(async (tx) => {
    await tx.sessions.softDelete(session.id);
    return (await tx.avatars.update(id, { name: 'Ada L.' })).name;
  });
  expectType<Equal<typeof renamed, string>>(true);
  await db.config.set('theme', { dark: true });
  // @ts-expect-error store rows are JSON: a function is not
  await db.config.set('theme', () => 1);
  const stats = await db.stats();
  void stats;
  return db;
}

/** Errors: `code` is a closed union a program can switch on, exhaustively. */
export function describe(error: unknown): string {
  if (!(error instanceof AvatarVoiceError)) return String(error);
  const code: AvatarVoiceErrorCode = error.code;
  // @ts-expect-error not one of the codes
  if (code === 'NO_SUCH_CODE') return '';
  switch (code) {
    case 'TEXT_TOO_LONG':
    case 'INVALID_UTF8':
    case 'INVALID_ARGUMENT':
      return `fix the input: ${error.message}`;
    case 'ASSET_LOAD':
    case 'INTEGRITY':
    case 'CACHE_CORRUPT':
      return 'download failed, retry';
    case 'AUTOPLAY_BLOCKED':
      return 'click to enable sound';
    case 'ABORTED':
      return 'cancelled';
    case 'STORE_LOCKED':
      return 'open in another tab';
    default:
      return `${error.name} ${code}: ${error.message}`;
  }
}

export function exhaustive(code: AvatarVoiceErrorCode): string {
  switch (code) {
    case 'INVALID_ARGUMENT':
    case 'INVALID_UTF8':
    case 'TEXT_TOO_LONG':
    case 'ESPEAK_INIT':
    case 'LANGUAGE_UNAVAILABLE':
    case 'INVALID_VOICE_CONFIG':
    case 'INVALID_MODEL':
    case 'STORE':
    case 'NOT_FOUND':
    case 'CONSTRAINT':
    case 'OUT_OF_MEMORY':
    case 'ASSET_LOAD':
    case 'WORKER_CRASHED':
    case 'DISPOSED':
    case 'ABORTED':
    case 'AUTOPLAY_BLOCKED':
    case 'CACHE_CORRUPT':
    case 'INTEGRITY':
    case 'INVALID_CATALOG':
    case 'QUOTA_EXCEEDED':
    case 'STORE_LOCKED':
    case 'TOO_LARGE':
    case 'SYNTHESIS_TIMEOUT':
    case 'INVALID_SSML':
    case 'INTERNAL':
      return code;
    default: {
      // A new code in the package makes this line fail to compile: handle it above.
      const unhandled: never = code;
      return unhandled;
    }
  }
}

/** The avatar formats take any speech: a result, a chunk, a list of chunks. */
export function formats(result: SynthesisResult, chunks: SpeechChunk[], text: string, player: Player): number {
  const head: TalkingHeadSpeech = toTalkingHead(result, text);
  const marks: PollySpeechMark[] = toPollySpeechMarks(chunks, text);
  const first = marks[0];
  // Only sentence and word marks carry byte offsets.
  const bytes = first && first.type !== 'viseme' ? first.end - first.start : 0;
  // @ts-expect-error viseme marks have no start
  if (first?.type === 'viseme') void first.start;
  const arkit: ArkitAnimation = toArkitFrames(chunks[0]!, { fps: 30, naming: 'camel' });
  const jaw: number | undefined = arkit.frames[0]?.weights['jawOpen'];
  const azure = toAzureVisemeEvents(result, text).visemes[0]?.audioOffset ?? 0;
  const off = player.on('blendshapes', (e) => void e.weights['jawOpen']);
  off();
  return head.wtimes.length + bytes + (jaw ?? 0) + azure + player.blendshapesAt()['mouthFunnel']!;
}
