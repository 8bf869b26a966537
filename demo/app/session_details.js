// What an opened session in History shows: its questions, the answers typed, the timings, and a
// Replay button per question that plays the saved audio with the avatar's lips moving.
import { speakingSummary } from './answer_recorder.js';
import { el } from './element.js';
import { describeError, formatClock, formatDate, formatDuration, isAbort } from './format.js';
import { announce } from './status.js';

const STATUS = { completed: 'Completed', ended_early: 'Ended early', in_progress: 'Not finished' };

export function sessionSummary(session) {
  const meta = session.metadata ?? {};
  const questions = Array.isArray(meta.questions) ? meta.questions : [];
  const answered = questions.filter((q) => q.answer).length;
  const parts = [`${answered}/${questions.length} answered`];
  if (typeof meta.totalMs === 'number') parts.push(formatDuration(meta.totalMs));
  return { status: STATUS[meta.status] ?? 'Saved', text: parts.join(' · '), questions };
}

export function buildSessionDetails(state, session) {
  const meta = session.metadata ?? {};
  const { questions } = sessionSummary(session);
  const facts = [
    ['Question set', meta.questionSetName ?? '–'],
    ['Voice', meta.voiceName ?? 'none (questions shown only)'],
    ['Started', typeof meta.startedAt === 'number' ? formatDate(meta.startedAt) : formatDate(session.createdAt)],
    ['Total time', typeof meta.totalMs === 'number' ? formatDuration(meta.totalMs) : '–'],
  ];
  return el(
    'div',
    { className: 'session-details' },
    el('dl', { className: 'details compact' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('ol', { className: 'qa-list' }, ...questions.map((q) => questionItem(state, session, q))),
  );
}

function questionItem(state, session, q) {
  const timings = [];
  if (q.spokenMs) timings.push(`asked in ${formatDuration(q.spokenMs)}`);
  if (typeof q.answerMs === 'number' && q.answeredAt) timings.push(`answered in ${formatClock(q.answerMs)}`);
  if (q.invalid)
    return el(
      'li',
      { className: 'qa', dataset: { questionIndex: q.index, invalid: 'true' } },
      el('p', { className: 'hint' }, 'This question’s stored data is not valid; it cannot be shown or replayed.'),
    );
  const replay = el(
    'button',
    {
      type: 'button',
      className: 'secondary small',
      onclick: () => replayQuestion(state, session, q, replay),
      attrs: { 'aria-label': `Replay question ${q.index + 1}: ${q.text}` },
    },
    '▶ Replay',
  );
  return el(
    'li',
    { className: 'qa', dataset: { questionIndex: q.index } },
    el('div', { className: 'qa-question' }, el('strong', {}, q.text), replay),
    q.answer
      ? el('blockquote', { className: 'qa-answer' }, q.answer)
      : q.answerAudioId
        ? null
        : el('p', { className: 'hint' }, 'No answer given.'),
    q.answerAudioId ? spokenAnswer(state, session, q) : null,
    timings.length ? el('p', { className: 'hint' }, timings.join(' · ')) : null,
  );
}

/** A recorded answer: speaking time and pace, play it, delete it (the audio row and the link). */
function spokenAnswer(state, session, q) {
  const play = el(
    'button',
    { type: 'button', className: 'secondary small', attrs: { 'aria-label': `Play your spoken answer to question ${q.index + 1}` } },
    '▶ Play answer',
  );
  play.addEventListener('click', async () => {
    try {
      await state.playback.replay(await state.store.loadSpeech(q.answerAudioId), q.answer || '');
    } catch (error) {
      if (!isAbort(error)) announce(`Could not play the answer: ${describeError(error)}`, 'error');
    }
  });
  const remove = el(
    'button',
    { type: 'button', className: 'danger small', attrs: { 'aria-label': `Delete your spoken answer to question ${q.index + 1}` } },
    'Delete recording',
  );
  const row = el(
    'p',
    { className: 'qa-spoken' },
    el('span', {}, `Spoken answer: ${speakingSummary(q.answerSpokenMs ?? 0, q.answer, formatClock)}`),
    play,
    remove,
  );
  remove.addEventListener('click', async () => {
    try {
      await deleteSpokenAnswer(state.store, session.id, q.index);
      row.replaceChildren(el('span', { className: 'hint' }, 'Recording deleted.'));
      announce('Recording deleted.', 'success');
    } catch (error) {
      announce(`Could not delete the recording: ${describeError(error)}`, 'error');
    }
  });
  return row;
}

/** Deletes a question's recorded answer and its link in the session, together. */
async function deleteSpokenAnswer(store, sessionId, index) {
  await store.transaction(async (tx) => {
    const session = await tx.sessions.get(sessionId);
    const questions = Array.isArray(session.metadata?.questions) ? session.metadata.questions : [];
    const q = questions.find((x) => x?.index === index);
    if (!q?.answerAudioId) return;
    await tx.audios.delete(q.answerAudioId).catch((error) => {
      if (error?.code !== 'NOT_FOUND') throw error;
    });
    q.answerAudioId = null;
    q.answerSpokenMs = null;
    await tx.sessions.update(sessionId, { metadata: { ...session.metadata, questions } });
  });
}

async function replayQuestion(state, session, q, button) {
  try {
    const audioId = q.audioId ?? (await findAudio(state, session, q));
    if (!audioId) {
      announce('This question was not spoken aloud (no voice at the time), so there is nothing to replay.', 'error');
      return;
    }
    const speech = await state.store.loadSpeech(audioId);
    button.setAttribute('aria-pressed', 'true');
    announce(`Replaying question ${q.index + 1}.`);
    await state.playback.replay(speech, q.text);
  } catch (error) {
    if (!isAbort(error)) announce(`Could not replay: ${describeError(error)}`, 'error');
  } finally {
    button.removeAttribute('aria-pressed');
  }
}

/** Metadata is written before the audio id arrives when an interview ends abruptly: look it up. */
async function findAudio(state, session, q) {
  const audios = await state.store.audios.list({ sessionId: session.id, limit: 1000 });
  return audios.find((a) => a.metadata?.questionIndex === q.index)?.id ?? null;
}
