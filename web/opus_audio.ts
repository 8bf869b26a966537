/**
 * Speech ⇄ the store's compact "opus" bytes, with WebCodecs (`AudioEncoder` / `AudioDecoder`)
 * where the engine has them: about 3 KB per second at 24 kbit/s instead of 88 KB (pcm_f32).
 *
 * ```ts
 * if (await opusAvailable()) {
 *   const bytes = await encodeOpus(samples, 22050);            // "AVOP" + Opus packets
 *   const back = await decodeOpus(bytes);                       // back.samples.length === samples.length
 * }
 * ```
 *
 * Opus runs at 48 kHz, so the samples are resampled to 48 kHz first and back after (resample.ts,
 * the same arithmetic in every engine). Lengths are exact: the container records the original
 * rate and sample count and the encoder's pre-skip (its lookahead, from the OpusHead it reports);
 * decoding drops the pre-skip itself (packets are decoded without the OpusHead, so no decoder
 * trims them its own way) and returns exactly the original count, so stored phoneme and viseme
 * times stay exact. Lossy: the waveform differs (tests/browser/opus_store.browser.test.ts
 * measures the SNR it keeps).
 *
 * Container (little-endian): "AVOP", version 1 (u8), 0 (u8), pre-skip at 48 kHz (u16), original
 * sample rate (u32), original sample count (u32), packet count (u32); then per packet its length
 * (u16) and bytes (20 ms each).
 */
import { AvatarVoiceError } from './errors.js';
import { resample } from './resample.js';

const OPUS_RATE = 48_000;
const HEADER_BYTES = 20;
const VERSION = 1;
/** The default bit rate: speech stays intelligible and natural; 1,000 utterances of 3 s ≈ 9 MiB. */
export const OPUS_BITRATE = 24_000;

/** Samples per packet: 20 ms at 48 kHz. */
const FRAME = 960;

const ENCODER_CONFIG = (bitrate: number): AudioEncoderConfig => ({ codec: 'opus', sampleRate: OPUS_RATE, numberOfChannels: 1, bitrate });
const DECODER_CONFIG: AudioDecoderConfig = { codec: 'opus', sampleRate: OPUS_RATE, numberOfChannels: 1 };

/** Whether this engine can both encode and decode mono Opus at 48 kHz (WebCodecs). */
export async function opusAvailable(bitrate = OPUS_BITRATE): Promise<boolean> {
  if (typeof AudioEncoder === 'undefined' || typeof AudioDecoder === 'undefined') return false;
  try {
    const [enc, dec] = await Promise.all([
      AudioEncoder.isConfigSupported(ENCODER_CONFIG(bitrate)),
      AudioDecoder.isConfigSupported(DECODER_CONFIG),
    ]);
    return enc.supported === true && dec.supported === true;
  } catch {
    return false;
  }
}

/** Samples at `sampleRate` → the "opus" container. */
export async function encodeOpus(samples: Float32Array, sampleRate: number, bitrate = OPUS_BITRATE): Promise<Uint8Array> {
  // 40 ms of silence after the speech: the encoder's lookahead would otherwise cut its last ms.
  const padded = new Float32Array(samples.length + Math.ceil(sampleRate / 25));
  padded.set(samples);
  const resampled = resample(padded, sampleRate, OPUS_RATE);
  // Whole 20 ms frames: WebKit's encoder (GStreamer) drops a last partial frame at flush, which
  // left rows that could not be decoded back to their length.
  const pcm = new Float32Array(Math.ceil(resampled.length / FRAME) * FRAME);
  pcm.set(resampled);
  const packets: Uint8Array[] = [];
  let preSkip: number | null = null;
  let failure: unknown = null;
  const encoder = new AudioEncoder({
    output: (chunk, metadata) => {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      packets.push(bytes);
      const head = metadata?.decoderConfig?.description;
      if (head && preSkip === null) preSkip = opusHeadPreSkip(head);
    },
    error: (e) => {
      failure = e;
    },
  });
  try {
    encoder.configure(ENCODER_CONFIG(bitrate));
    encoder.encode(
      new AudioData({
        format: 'f32-planar',
        sampleRate: OPUS_RATE,
        numberOfFrames: pcm.length,
        numberOfChannels: 1,
        timestamp: 0,
        data: pcm,
      }),
    );
    await encoder.flush();
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  if (failure) throw new AvatarVoiceError('INTERNAL', `the Opus encoder failed: ${String(failure)}`);
  // Without an OpusHead the lookahead is unknown, and the stored times would drift by it.
  if (preSkip === null) throw new AvatarVoiceError('INTERNAL', 'the Opus encoder reported no pre-skip (OpusHead)');
  // Never store what readContainer would refuse as cut: the caller hears it now, nothing is lost.
  if (packets.length * FRAME < preSkip + Math.ceil((samples.length * OPUS_RATE) / sampleRate))
    throw new AvatarVoiceError('INTERNAL', `the Opus encoder returned ${packets.length} packets, too few for ${samples.length} samples`);
  return writeContainer(packets, preSkip, sampleRate, samples.length);
}

/** The "opus" container → exactly its original samples (count and rate), decoded. */
export async function decodeOpus(bytes: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number }> {
  const { preSkip, sampleRate, sampleCount, packets } = readContainer(bytes);
  const pieces: Float32Array[] = [];
  let failure: unknown = null;
  const decoder = new AudioDecoder({
    output: (data) => {
      const piece = new Float32Array(data.numberOfFrames);
      data.copyTo(piece, { planeIndex: 0, format: 'f32-planar' });
      pieces.push(piece);
      data.close();
    },
    error: (e) => {
      failure = e;
    },
  });
  try {
    decoder.configure(DECODER_CONFIG);
    for (const [i, data] of packets.entries()) decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: i * 20_000, data }));
    await decoder.flush();
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  if (failure) throw new AvatarVoiceError('STORE', `stored Opus audio does not decode: ${String(failure)}`);
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const pcm = new Float32Array(total);
  let at = 0;
  for (const p of pieces) {
    pcm.set(p, at);
    at += p.length;
  }
  return { samples: resample(pcm.subarray(Math.min(preSkip, total)), OPUS_RATE, sampleRate, sampleCount), sampleRate };
}

/** OpusHead (RFC 7845 §5.1): "OpusHead", version, channels, pre-skip (u16 LE at byte 10), … */
function opusHeadPreSkip(description: AllowSharedBufferSource): number | null {
  const head = ArrayBuffer.isView(description)
    ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength)
    : new Uint8Array(description);
  if (head.length < 12 || String.fromCharCode(...head.subarray(0, 8)) !== 'OpusHead') return null;
  return head[10]! | (head[11]! << 8);
}

function writeContainer(packets: Uint8Array[], preSkip: number, sampleRate: number, sampleCount: number): Uint8Array {
  const size = HEADER_BYTES + packets.reduce((n, p) => n + 2 + p.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x41, 0x56, 0x4f, 0x50, VERSION, 0]); // "AVOP"
  view.setUint16(6, preSkip, true);
  view.setUint32(8, sampleRate, true);
  view.setUint32(12, sampleCount, true);
  view.setUint32(16, packets.length, true);
  let at = HEADER_BYTES;
  for (const p of packets) {
    if (p.length > 0xffff) throw new AvatarVoiceError('INTERNAL', `an Opus packet of ${p.length} bytes does not fit the container`);
    view.setUint16(at, p.length, true);
    out.set(p, at + 2);
    at += 2 + p.length;
  }
  return out;
}

function readContainer(bytes: Uint8Array): { preSkip: number; sampleRate: number; sampleCount: number; packets: Uint8Array[] } {
  const bad = (why: string) => new AvatarVoiceError('STORE', `stored Opus audio is damaged: ${why}`);
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== 'AVOP') throw bad('no "AVOP" header');
  if (bytes[4] !== VERSION) throw bad(`container version ${bytes[4]} is not ${VERSION}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const preSkip = view.getUint16(6, true);
  const sampleRate = view.getUint32(8, true);
  const sampleCount = view.getUint32(12, true);
  const count = view.getUint32(16, true);
  if (!(sampleRate >= 1000 && sampleRate <= 384_000)) throw bad(`sample rate ${sampleRate}`);
  // 20 ms per packet: the packets must cover the samples (plus pre-skip), or the file is cut.
  if (count * FRAME < preSkip + Math.ceil((sampleCount * OPUS_RATE) / sampleRate))
    throw bad(`${count} packets cannot hold ${sampleCount} samples`);
  const packets: Uint8Array[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.length) throw bad(`packet ${i} is missing`);
    const length = view.getUint16(at, true);
    if (at + 2 + length > bytes.length) throw bad(`packet ${i} is cut short`);
    packets.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (at !== bytes.length) throw bad(`${bytes.length - at} bytes after the last packet`);
  return { preSkip, sampleRate, sampleCount, packets };
}
