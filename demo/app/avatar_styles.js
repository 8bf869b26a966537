// Avatar looks, stored as presets of kind "avatar_style" (shared by avatars: an avatar's state
// names the one it wears). Three are seeded on first run.
import { DEFAULT_STYLE } from './avatar_face.js';
import { checkedStyle } from './records.js';

export const STYLE_KIND = 'avatar_style';

const SEED = [
  { name: 'Classic', data: { ...DEFAULT_STYLE } },
  {
    name: 'Sunny',
    data: { skin: '#e0a87e', hair: '#8a3b12', eyes: '#3d7a3a', lips: '#b8545c', shirt: '#e39b2d', backdrop: '#fdf1d6', hairStyle: 'long' },
  },
  {
    name: 'Midnight',
    data: { skin: '#8d5a3b', hair: '#17141a', eyes: '#4a2f1f', lips: '#7e3b42', shirt: '#4b3f8f', backdrop: '#d9d6f2', hairStyle: 'bun' },
  },
];

export async function seedStyles(store) {
  const existing = await store.presets.list({ kind: STYLE_KIND, limit: 1000 });
  if (existing.length) return existing;
  return store.transaction(async (tx) => {
    const created = [];
    for (const s of SEED) created.push(await tx.presets.create({ kind: STYLE_KIND, ...s }));
    return created;
  });
}

/** The stored styles, each checked (an invalid one is repaired and marked, see records.js). */
export async function listStyles(store) {
  return (await store.presets.list({ kind: STYLE_KIND, limit: 1000 })).map(checkedStyle);
}

/** The avatar's style preset, or the first one when it names none (or a deleted one). */
export function styleOf(avatar, styles) {
  return styles.find((s) => s.id === avatar?.state?.styleId) ?? styles[0] ?? null;
}
