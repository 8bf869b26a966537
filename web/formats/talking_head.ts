/**
 * Speech → the object met4citizen/TalkingHead's `speakAudio()` takes: words and Oculus visemes with
 * times and durations in milliseconds from the start of the audio.
 *
 * ```ts
 * const speech = await voice.synthesize(text);
 * const audio = head.audioCtx.createBuffer(1, speech.samples.length, speech.sampleRate);
 * audio.copyToChannel(speech.samples, 0);
 * head.speakAudio({ audio, ...toTalkingHead(speech, text) });
 * ```
 *
 * TalkingHead's viseme names are Oculus names with `I`, `O`, `U` where this package says `ih`,
 * `oh`, `ou`; silence is left out (TalkingHead rests the mouth between visemes by itself). Words
 * are the words as written, without the punctuation espeak-ng attaches to them.
 */
import { AvatarVoiceError } from '../errors.js';
import { type OculusViseme, requireVisemeSet } from '../viseme_sets.js';
import { bareWord, type SpeechInput, speechTimeline } from './speech_timeline.js';

export type TalkingHeadViseme = 'PP' | 'FF' | 'TH' | 'DD' | 'kk' | 'CH' | 'SS' | 'nn' | 'RR' | 'aa' | 'E' | 'I' | 'O' | 'U';

/** The lip-sync half of TalkingHead's `speakAudio()` argument (add `audio` yourself). */
export interface TalkingHeadSpeech {
  words: string[];
  wtimes: number[];
  wdurations: number[];
  visemes: TalkingHeadViseme[];
  vtimes: number[];
  vdurations: number[];
  markers: Array<() => void>;
  mtimes: number[];
}

const NAMES: Record<Exclude<OculusViseme, 'sil'>, TalkingHeadViseme> = {
  PP: 'PP',
  FF: 'FF',
  TH: 'TH',
  DD: 'DD',
  kk: 'kk',
  CH: 'CH',
  SS: 'SS',
  nn: 'nn',
  RR: 'RR',
  aa: 'aa',
  E: 'E',
  ih: 'I',
  oh: 'O',
  ou: 'U',
};

/** `speech`: a chunk, a synthesize() result, a stored speech or a list of chunks (Oculus visemes). */
export function toTalkingHead(speech: SpeechInput, text: string): TalkingHeadSpeech {
  const timeline = speechTimeline(speech);
  requireVisemeSet(timeline.visemes, 'oculus', 'toTalkingHead');
  const out: TalkingHeadSpeech = {
    words: [],
    wtimes: [],
    wdurations: [],
    visemes: [],
    vtimes: [],
    vdurations: [],
    markers: [],
    mtimes: [],
  };
  for (const w of timeline.words) {
    const bare = bareWord(text, w);
    if (!bare) continue;
    out.words.push(text.slice(bare.start, bare.end));
    out.wtimes.push(w.startMs);
    out.wdurations.push(w.endMs - w.startMs);
  }
  for (const v of timeline.visemes) {
    if (v.viseme === 'sil') continue;
    out.visemes.push(NAMES[v.viseme as Exclude<OculusViseme, 'sil'>]);
    out.vtimes.push(v.startMs);
    out.vdurations.push(v.endMs - v.startMs);
  }
  return out;
}

/**
 * Samples as 16-bit little-endian PCM, the chunk format of TalkingHead's `streamAudio()` (and of
 * most audio pipes). Values outside [-1, 1] are clipped.
 */
export function toPcm16(samples: Float32Array): ArrayBuffer {
  if (!(samples instanceof Float32Array)) throw new AvatarVoiceError('INVALID_ARGUMENT', 'toPcm16 takes a Float32Array');
  const out = new DataView(new ArrayBuffer(samples.length * 2));
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out.setInt16(i * 2, Math.round(s * 32767), true);
  }
  return out.buffer;
}
