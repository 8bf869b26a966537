// Getting a Piper voice into the engine: from picked/dropped files, from a URL, or from the
// package's OPFS voice cache. Every voice is kept in that cache, so it loads offline next time.
// The cache names file-loaded voices "voice"; the demo remembers their file names itself.
// loadVoice also installs the espeak-ng language pack a voice needs (the package knows which).

/** Picks the model and its config out of a list of files; either may be missing. */
export function splitVoiceFiles(files) {
  const list = [...files];
  return {
    model: list.find((f) => /\.onnx$/i.test(f.name)) ?? null,
    config: list.find((f) => /\.json$/i.test(f.name)) ?? null,
  };
}

export async function loadVoiceFromFiles(state, model, config) {
  const voice = await state.av.loadVoice({ model, config }, { cache: true });
  const name = model.name.replace(/\.onnx$/i, '');
  await rememberName(state, voice.info.sha256, name);
  return { voice, name };
}

export async function loadVoiceFromUrl(state, url, { onProgress, signal }) {
  const voice = await state.av.loadVoice({ model: url }, { cache: true, onProgress, signal });
  const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() ?? 'voice').replace(/\.onnx$/i, '');
  await rememberName(state, voice.info.sha256, name);
  return { voice, name };
}

/** A voice of a Piper catalogue by its key: the package checks each file's size and MD5. */
export async function loadVoiceFromCatalog(state, key, catalogUrl, { onProgress, signal }) {
  const voice = await state.av.loadVoice({ catalog: key }, { catalogUrl, onProgress, signal });
  await rememberName(state, voice.info.sha256, key);
  return { voice, name: key };
}

export async function loadCachedVoice(state, entry) {
  const voice = await state.av.loadVoice({ cachedId: entry.id });
  return { voice, name: await displayName(state, entry) };
}

/** The voice that was in use last time, if it is still cached; null otherwise. */
export async function restoreLastVoice(state) {
  const last = await state.setting('voice', null);
  if (!last?.id) return null;
  const entry = (await state.av.listVoices()).find((v) => v.id === last.id);
  if (!entry) return null;
  const loaded = await loadCachedVoice(state, entry);
  return { ...loaded, speaker: last.speaker ?? null };
}

export async function displayName(state, entry) {
  const names = await state.setting('voiceNames', {});
  return names[entry.id] ?? (entry.name && entry.name !== 'voice' ? entry.name : `voice ${entry.id.slice(0, 8)}`);
}

async function rememberName(state, id, name) {
  const names = await state.setting('voiceNames', {});
  if (names[id] === name) return;
  await state.saveSetting('voiceNames', { ...names, [id]: name });
}
