// The typed wasm boundary: wasm/avatar_voice_core.d.ts against the built module (dist/core).
// Every Embind function and class is declared (and nothing else), with the declared parameter
// counts (Embind records them as `argCount`), and real calls return the declared shapes: the
// declared properties, nothing more, each of its declared kind.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

import { voiceFiles } from './voices.js';

const CORE = fileURLToPath(new URL('../../dist/core/', import.meta.url));
const DTS = fileURLToPath(new URL('../../wasm/avatar_voice_core.d.ts', import.meta.url));

const source = ts.createSourceFile(DTS, readFileSync(DTS, 'utf8'), ts.ScriptTarget.ES2022, true);
const interfaces = new Map<string, ts.InterfaceDeclaration>();
const aliases = new Map<string, ts.TypeAliasDeclaration>();
source.forEachChild((node) => {
  if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node);
});

function declared(name: string): ts.InterfaceDeclaration {
  const node = interfaces.get(name);
  if (!node) throw new Error(`wasm/avatar_voice_core.d.ts declares no interface ${name}`);
  return node;
}

const nameOf = (m: ts.TypeElement): string => (m.name && ts.isIdentifier(m.name) ? m.name.text : '?');

/** Declared functions (name → parameter count) and classes (name → instance interface). */
function declaredBindings(): { functions: Map<string, number>; classes: Map<string, string> } {
  const functions = new Map<string, number>();
  const classes = new Map<string, string>();
  for (const member of declared('CoreBindings').members) {
    if (ts.isMethodSignature(member)) functions.set(nameOf(member), member.parameters.length);
    else if (ts.isPropertySignature(member) && member.type && ts.isConstructorTypeNode(member.type))
      classes.set(nameOf(member), member.type.type.getText(source));
    else throw new Error(`CoreBindings.${nameOf(member)} is neither a function nor a class`);
  }
  return { functions, classes };
}

/** Methods of a declared class interface (delete() is Embind's own), name → parameter count. */
function declaredMethods(name: string): Map<string, number> {
  const methods = new Map<string, number>();
  for (const m of declared(name).members)
    if (ts.isMethodSignature(m) && nameOf(m) !== 'delete') methods.set(nameOf(m), m.parameters.length);
  return methods;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Module = any;
let core: Module;

/** What a value is, against a declared type; '' when it conforms, else the mismatch. */
function mismatch(value: unknown, type: ts.TypeNode, path: string): string {
  if (ts.isParenthesizedTypeNode(type)) return mismatch(value, type.type, path);
  if (ts.isUnionTypeNode(type)) {
    const misses = type.types.map((t) => mismatch(value, t, path));
    return misses.some((m) => m === '') ? '' : misses.join(' | ');
  }
  if (ts.isLiteralTypeNode(type)) {
    if (type.literal.kind === ts.SyntaxKind.NullKeyword) return value === null ? '' : `${path} is not null`;
    if (type.literal.kind === ts.SyntaxKind.TrueKeyword) return value === true ? '' : `${path} is ${JSON.stringify(value)}, not true`;
    if (type.literal.kind === ts.SyntaxKind.FalseKeyword) return value === false ? '' : `${path} is ${JSON.stringify(value)}, not false`;
    const literal = ts.isStringLiteral(type.literal) ? type.literal.text : type.literal.getText(source);
    return value === literal ? '' : `${path} is ${JSON.stringify(value)}, not ${literal}`;
  }
  const kinds: Partial<Record<ts.SyntaxKind, string>> = {
    [ts.SyntaxKind.NumberKeyword]: 'number',
    [ts.SyntaxKind.StringKeyword]: 'string',
    [ts.SyntaxKind.BooleanKeyword]: 'boolean',
  };
  const kind = kinds[type.kind];
  if (kind) return typeof value === kind ? '' : `${path} is ${typeof value}, not ${kind}`;
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) return `${path} is not an array`;
    return value.map((v, i) => mismatch(v, type.elementType, `${path}[${i}]`)).find((m) => m) ?? '';
  }
  if (ts.isTypeLiteralNode(type)) return shapeMismatch(value, type.members, path);
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText(source);
    if (name === 'Record') return value !== null && typeof value === 'object' ? '' : `${path} is not an object`;
    const global = (globalThis as Record<string, unknown>)[name];
    if (typeof global === 'function') return value instanceof (global as new () => unknown) ? '' : `${path} is not a ${name}`;
    if (interfaces.has(name)) return shapeMismatch(value, declared(name).members, path);
    const alias = aliases.get(name);
    if (alias) return mismatch(value, alias.type, path);
  }
  throw new Error(`the shape check does not know the type ${type.getText(source)} (${path})`);
}

function shapeMismatch(value: unknown, members: ts.NodeArray<ts.TypeElement>, path: string): string {
  if (value === null || typeof value !== 'object') return `${path} is not an object`;
  const record = value as Record<string, unknown>;
  const props = members.filter(ts.isPropertySignature);
  const names = new Set(props.map(nameOf));
  const extra = Object.keys(record).filter((k) => !names.has(k));
  if (extra.length) return `${path} has undeclared ${extra.join(', ')}`;
  for (const p of props) {
    const key = nameOf(p);
    if (!(key in record)) {
      if (p.questionToken) continue;
      return `${path}.${key} is missing`;
    }
    const miss = mismatch(record[key], p.type!, `${path}.${key}`);
    if (miss) return miss;
  }
  return '';
}

/** Expects `value` to be of the declared interface `name` (a `{__error}` only for CoreError). */
function expectShape(value: unknown, name: string): void {
  if (name !== 'CoreError') expect((value as { __error?: unknown }).__error).toBeUndefined();
  expect(shapeMismatch(value, declared(name).members, name)).toBe('');
}

beforeAll(async () => {
  const factory = (await import(`${CORE}avatar-voice-core.mjs`)).default;
  core = await factory({ wasmBinary: readFileSync(`${CORE}avatar-voice-core.wasm`) });
  expect(core.installEspeakData(readFileSync(`${CORE}espeak-ng-data-en.pack`), '/espeak/espeak-ng-data')).toBeGreaterThan(0);
  expect(core.initEspeak('/espeak')).toBe('1.52.0');
});

describe('wasm/avatar_voice_core.d.ts', () => {
  it('declares every Embind function and class of the module, and nothing else', () => {
    const { functions, classes } = declaredBindings();
    // Embind classes: constructors whose prototype chain has Embind's handle methods; Embind
    // functions: the other exports that carry Embind's argCount.
    const isClass = (k: string) => typeof core[k] === 'function' && typeof core[k].prototype?.isAliasOf === 'function';
    const realClasses = Object.keys(core).filter(isClass);
    const realFunctions = Object.keys(core).filter((k) => typeof core[k] === 'function' && 'argCount' in core[k] && !isClass(k));
    expect(realFunctions.sort()).toEqual([...functions.keys()].sort());
    expect(realClasses.sort()).toEqual([...classes.keys()].sort());
  });

  it('gives every function and method its declared parameter count', () => {
    const { functions, classes } = declaredBindings();
    for (const [name, count] of functions) expect({ name, count: core[name].argCount }).toEqual({ name, count });
    for (const [className, instance] of classes) {
      const proto = core[className].prototype;
      const real = Object.getOwnPropertyNames(proto).filter((k) => k !== 'constructor');
      const methods = declaredMethods(instance);
      expect({ className, methods: real.sort() }).toEqual({ className, methods: [...methods.keys()].sort() });
      for (const [name, count] of methods) expect({ name, count: proto[name].argCount }).toEqual({ name, count });
    }
  });

  it('returns the declared shapes from the core functions', () => {
    expect(typeof core.version()).toBe('string');
    expectShape(core.limits(), 'CoreLimitsValue');
    expectShape(core.visemeSets(), 'VisemeSetsValue');
    expectShape(core.sqliteSelfCheck(), 'SqliteCheckValue');
    const sentences = core.phonemize('Hello there. Fine!', 'en-us', 0);
    expect(sentences).toHaveLength(2);
    for (const s of sentences) expectShape(s, 'PhonemizedSentenceValue');
    expect(core.encodeWav(new Float32Array(4), 22050)).toBeInstanceOf(Uint8Array);
    expectShape(core.phonemize(42, 'en-us', 0), 'CoreError');
  });

  it('returns the declared shapes from the store functions', () => {
    expect(core.storeOpen(':memory:', [])).toBe(true);
    try {
      expectShape(core.storeCall('config.get', JSON.stringify({ key: 'text.maxChars' }), null), 'StoreReply');
      expectShape(core.storeCall('no.such.method', '{}', null), 'CoreError');
    } finally {
      expect(core.storeClose()).toBe(true);
    }
  });

  it('returns the declared shapes from a voice and its speech stream', () => {
    const { model, config } = voiceFiles('test-tiny-multi');
    expectShape(core.patchModel(model), 'ModelPatchValue');
    const split = core.splitModel(model, false, false, 0);
    expectShape(split, 'ModelSplitValue');
    expect(split.partB.byteLength).toBeGreaterThan(0);
    expect(split.decoderCut).toBeNull();
    expect(split.expansion).toBeNull();
    expect(split.partAChain).toBeNull();
    const cut = core.splitModel(model, true, true, 600);
    expectShape(cut, 'ModelSplitValue');
    expectShape(cut.decoderCut, 'DecoderCutValue');
    expectShape(cut.expansion, 'PriorExpansionValue');
    expect(cut.partB.byteLength).toBe(0);
    expect(cut.partAChain?.length).toBeGreaterThan(1);
    for (const link of cut.partAChain ?? []) expectShape(link, 'ChainLinkValue');
    expectShape(core.splitModel(new Uint8Array([8, 7]), true, true, 600), 'CoreError');
    const voice = new core.WasmVoice();
    try {
      expectShape(voice.load(config), 'VoiceConfigSummary');
      for (const s of voice.plan('Hi there. Bye.', 0)) expectShape(s, 'SentenceIds');
      expectShape(voice.startStream('Hi.', { speaker: 99 }), 'CoreError');
      const stream = voice.startStream('Hi there. Bye.', { speaker: 1, visemeSet: 'azure' });
      try {
        const request = stream.next();
        expectShape(request, 'ModelRequest');
        const chunk = stream.finish(request.sentence, new Float32Array(4096).fill(0.1), null);
        expectShape(chunk, 'SpeechChunkValue');
        expect(chunk.visemes.length).toBeGreaterThan(0);
        expectShape(stream.finish(5, new Float32Array(4), null), 'CoreError');
        // Windowed: durations in, windows out, one window's audio in, its chunk out.
        const frames = new Float32Array(request.ids.length).fill(2);
        const windows = stream.beginWindows(request.sentence, frames, frames.length * 2, 2);
        expect(windows.length).toBeGreaterThan(0);
        for (const w of windows) expectShape(w, 'FrameWindowValue');
        const samples = (windows[0].endFrame - windows[0].startFrame) * 256;
        expectShape(stream.finishWindow(request.sentence, 0, new Float32Array(samples)), 'SpeechChunkValue');
        expectShape(stream.finishWindow(request.sentence, 0, new Float32Array(3)), 'CoreError');
        expectShape(stream.beginWindows(7, frames, 10, 2), 'CoreError');
        expect(stream.done()).toBe(false);
        stream.next();
        expect(stream.done()).toBe(true);
        expect(stream.next()).toBeNull();
      } finally {
        stream.delete();
      }
    } finally {
      voice.delete();
    }
  });
});
