// Rows from the store, checked before any view uses them. The database is the user's (an import
// can carry anything, and so can an older version of this app), so a row that does not have the
// shape this app writes is repaired to something safe to show and marked `invalid`, with the
// reasons, instead of throwing in the middle of start-up. Views show the mark.
import { DEFAULT_STYLE, HAIR_STYLES, STYLE_COLORS } from './avatar_face.js';

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * An avatar style preset with valid colours (`#rrggbb` only: no `url(…)`, no other types) and a
 * known hairstyle. `invalid` lists the fields that were replaced by the default look's.
 */
export function checkedStyle(preset) {
  const data = isObject(preset?.data) ? preset.data : {};
  const invalid = isObject(preset?.data) ? [] : ['data'];
  const clean = {};
  for (const [key] of STYLE_COLORS) {
    if (data[key] === undefined) clean[key] = DEFAULT_STYLE[key];
    else if (typeof data[key] === 'string' && HEX_COLOR.test(data[key])) clean[key] = data[key];
    else {
      clean[key] = DEFAULT_STYLE[key];
      invalid.push(key);
    }
  }
  if (data.hairStyle === undefined || HAIR_STYLES.includes(data.hairStyle)) clean.hairStyle = data.hairStyle ?? DEFAULT_STYLE.hairStyle;
  else {
    clean.hairStyle = DEFAULT_STYLE.hairStyle;
    invalid.push('hairStyle');
  }
  const name = typeof preset?.name === 'string' ? preset.name : `Style ${preset?.id}`;
  return { ...preset, name, data: clean, invalid };
}

/**
 * A session whose metadata can be shown: `questions` is a list of objects with a string `text`
 * (anything else becomes a placeholder marked invalid), and numbers are finite.
 */
export function checkedSession(session) {
  const invalid = [];
  const invalidAs = (field, value) => {
    invalid.push(field);
    return value;
  };
  const meta = isObject(session?.metadata) ? { ...session.metadata } : invalidAs('metadata', {});
  const raw = meta.questions === undefined ? [] : Array.isArray(meta.questions) ? meta.questions : invalidAs('questions', []);
  meta.questions = raw.map((q, index) => {
    if (isObject(q) && typeof q.text === 'string') {
      const answer =
        q.answer === undefined || q.answer === null || typeof q.answer === 'string'
          ? q.answer
          : invalidAs(`questions[${index}].answer`, undefined);
      return { ...q, index: Number.isInteger(q.index) ? q.index : index, answer };
    }
    invalid.push(`questions[${index}]`);
    return { index, text: 'Unreadable question', invalid: true };
  });
  for (const q of meta.questions) {
    // A spoken answer's audio id and length: a whole id and a finite duration, or nothing.
    if (q.answerAudioId !== undefined && q.answerAudioId !== null && !Number.isSafeInteger(q.answerAudioId)) {
      invalid.push(`questions[${q.index}].answerAudioId`);
      q.answerAudioId = null;
    }
    if (q.answerSpokenMs !== undefined && q.answerSpokenMs !== null && !finite(q.answerSpokenMs)) {
      invalid.push(`questions[${q.index}].answerSpokenMs`);
      q.answerSpokenMs = null;
    }
  }
  for (const key of ['startedAt', 'totalMs']) {
    if (meta[key] !== undefined && !finite(meta[key])) {
      invalid.push(key);
      delete meta[key];
    }
  }
  for (const key of ['status', 'questionSetName', 'voiceName']) {
    if (meta[key] !== undefined && typeof meta[key] !== 'string') {
      invalid.push(key);
      delete meta[key];
    }
  }
  const title = typeof session?.title === 'string' ? session.title : '';
  return { ...session, title, metadata: meta, invalid };
}

/** The badge text for a repaired row, or null for a valid one. */
export function invalidLabel(record) {
  return record?.invalid?.length
    ? `Invalid data (${record.invalid.slice(0, 3).join(', ')}${record.invalid.length > 3 ? ', …' : ''})`
    : null;
}
