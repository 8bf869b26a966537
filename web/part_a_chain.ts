/**
 * Part A of a split voice run as one onnxruntime-web session, or as the chain of smaller sessions
 * the core cut it into (src/voice/graph_chain.h: creating them costs less than half of creating
 * A as one, which is most of a cached voice's load). Either way `run` answers with A's outputs.
 *
 * ```ts
 * const a = await PartA.create(split, options, bytes);   // bytes('a') or bytes('a0'), bytes('a1'), ...
 * const out = await a.run(piperFeeds(request, multiSpeaker), [split.maskInput, split.durationOutput]);
 * ```
 */
import type * as ort from 'onnxruntime-web/wasm';

import type { ChainLinkValue, ModelSplitValue } from '../wasm/avatar_voice_core.js';
import { assertPiperInputs, createSession, piperSession, run } from './ort_runtime.js';
import type { OrtOptions } from './ort_voice_session.js';

/** A part of a split voice: 'a', or link i of A's chain `a${i}`, 'b', or B's 'flow' and 'decoder'. */
export type PartName = 'a' | 'b' | 'flow' | 'decoder' | `a${number}`;
/** Where each part's model comes from (the split itself, or files still being read from the cache). */
export type PartSource = (part: PartName) => Uint8Array | Promise<Uint8Array>;

type Outputs = Record<string, ort.Tensor>;

export class PartA {
  private constructor(
    private readonly sessions: ort.InferenceSession[],
    private readonly links: readonly ChainLinkValue[] | null,
    readonly inputNames: readonly string[],
  ) {}

  static async create(split: ModelSplitValue, options: OrtOptions, bytes: PartSource): Promise<PartA> {
    const links = split.partAChain;
    if (!links) {
      const session = await piperSession(await createSession(await bytes('a'), options));
      return new PartA([session], null, session.inputNames);
    }
    assertPiperInputs(split.partAInputs);
    const sessions: ort.InferenceSession[] = [];
    try {
      for (let i = 0; i < links.length; i++) sessions.push(await createSession(await bytes(`a${i}`), options));
    } catch (error) {
      await Promise.all(sessions.map((s) => s.release()));
      throw error;
    }
    return new PartA(sessions, links, split.partAInputs);
  }

  /** A's outputs `fetches` for `feeds` (the voice's inputs). */
  async run(feeds: Outputs, fetches: string[]): Promise<Outputs> {
    if (!this.links) return run(this.sessions[0]!, feeds, fetches);
    // Each link reads the voice's inputs and earlier links' outputs, all kept here until the end.
    const known: Outputs = { ...feeds };
    for (let i = 0; i < this.links.length; i++) {
      const link = this.links[i]!;
      const linkFeeds: Outputs = {};
      for (const name of link.inputs) linkFeeds[name] = known[name]!;
      Object.assign(known, await run(this.sessions[i]!, linkFeeds, link.outputs));
    }
    return Object.fromEntries(fetches.map((name) => [name, known[name]!]));
  }

  async release(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.release()));
  }
}
