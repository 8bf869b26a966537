// One practice interview as data: the session row (kind "interview") whose metadata holds every
// question, answer and timing, and the spoken questions saved as audio of that session
// (store.saveSpeech with sessionId). The metadata is written after every step, so an interview
// that is closed half way is still in History.
//
//   const run = await InterviewRun.start(state, questionSet, questions);
//   await run.ask();                 // the avatar says question 1 (audio saved)
//   await run.answer('My answer');   // timings recorded, moves to question 2
//   await run.finish('completed');
import { isAbort } from './format.js';
import { typedWords } from './typed_text.js';

/** How fast the stand-in language model writes a question (typed_text.js). */
const TYPED_MS_PER_WORD = 50;

export class InterviewRun {
  static async start(state, questionSet, questions) {
    const now = Date.now();
    const metadata = {
      questionSetId: questionSet.id,
      questionSetName: questionSet.name,
      voiceId: state.voice?.info.sha256 ?? null,
      voiceName: state.voiceName || null,
      speaker: state.speaker,
      status: 'in_progress',
      startedAt: now,
      endedAt: null,
      totalMs: null,
      questions: questions.map((text, index) => ({
        index,
        text,
        audioId: null,
        askedAt: null,
        spokenMs: null,
        answerStartedAt: null,
        answeredAt: null,
        answerMs: null,
        answer: '',
        answerAudioId: null, // the spoken answer, if recorded (an audio of this session)
        answerSpokenMs: null,
      })),
    };
    const title = `${questionSet.name} interview`;
    const session = await state.store.sessions.create({ avatarId: state.avatar.id, kind: 'interview', title, metadata });
    return new InterviewRun(state, session);
  }

  constructor(state, session) {
    this.state = state;
    this.session = session;
    this.meta = structuredClone(session.metadata);
    this.index = 0;
    this.asking = null;
    this.saves = [];
  }

  get questions() {
    return this.meta.questions;
  }

  get current() {
    return this.meta.questions[this.index] ?? null;
  }

  get isLast() {
    return this.index === this.meta.questions.length - 1;
  }

  /**
   * The avatar asks the current question (shown only, when there is no voice). `typed`: the
   * question arrives word by word as a language model would write it (typed_text.js), spoken
   * sentence by sentence as it is written; `onText` sees the text written so far.
   */
  ask(speed = 1, { typed = false, onText = () => {} } = {}) {
    this.asking = this.askCurrent(this.current, speed, typed, onText);
    return this.asking;
  }

  async askCurrent(question, speed, typed, onText) {
    const { voice, playback } = this.state;
    question.askedAt = Date.now();
    const text = typed ? typedWords(question.text, TYPED_MS_PER_WORD, onText) : question.text;
    if (!typed) onText(question.text);
    if (voice) {
      const options = this.state.synthesisOptions(speed);
      try {
        const speech = await playback.say(voice, text, options);
        this.keepAudio(question, speech, voice);
      } catch (error) {
        if (!isAbort(error)) throw error;
        // Cut short (Next, Stop): still keep the whole question for replays, made in the background.
        this.keepAudio(question, voice.synthesize(question.text, options), voice);
      }
    } else if (typed) {
      for await (const _ of text); // no voice: the question is still written out
    }
    onText(question.text);
    question.answerStartedAt = Date.now();
    await this.persist();
  }

  keepAudio(question, speechOrPromise, voice) {
    const saved = Promise.resolve(speechOrPromise)
      .then((speech) => {
        question.spokenMs = Math.round(speech.durationMs);
        return this.state.store.saveSpeech(speech, {
          text: question.text,
          voiceId: voice.info.sha256,
          avatarId: this.state.avatar.id,
          sessionId: this.session.id,
          metadata: { questionIndex: question.index, speaker: this.state.speaker },
          // ~1/30 of the raw samples; the package stores a WAV where Opus is unavailable.
          format: 'opus',
        });
      })
      .then((audio) => {
        question.audioId = audio.id;
        return this.persist();
      })
      .catch((error) => console.warn('could not save the question audio', error));
    this.saves.push(saved);
  }

  /**
   * Keeps a spoken answer to the current question as audio of this session (Opus where the
   * browser has it), replacing an earlier recording of the same question.
   */
  async keepRecording(recording) {
    const q = this.current;
    const audio = await this.state.store.saveRecording(recording, {
      text: `Answer to: ${q.text}`,
      voiceId: 'microphone',
      avatarId: this.state.avatar.id,
      sessionId: this.session.id,
      metadata: { questionIndex: q.index, kind: 'answer' },
      format: 'opus',
    });
    const replaced = q.answerAudioId;
    q.answerAudioId = audio.id;
    q.answerSpokenMs = audio.durationMs;
    await this.persist();
    if (replaced) await this.state.store.audios.delete(replaced).catch(() => {});
    return audio;
  }

  async deleteRecording() {
    const q = this.current;
    const id = q?.answerAudioId;
    if (!id) return;
    q.answerAudioId = null;
    q.answerSpokenMs = null;
    await this.persist();
    await this.state.store.audios.delete(id);
  }

  /** Records the answer to the current question and moves on. */
  async answer(text) {
    this.state.playback.stop();
    await this.asking?.catch(() => {});
    const q = this.current;
    q.answer = text;
    q.answeredAt = Date.now();
    q.answerMs = q.answeredAt - (q.answerStartedAt ?? q.askedAt ?? q.answeredAt);
    this.index++;
    await this.persist();
  }

  async finish(status) {
    this.state.playback.stop();
    await Promise.all(this.saves);
    this.meta.status = status;
    this.meta.endedAt = Date.now();
    this.meta.totalMs = this.meta.endedAt - this.meta.startedAt;
    // Questions never reached are dropped from the record.
    this.meta.questions = this.meta.questions.filter((q) => q.askedAt !== null);
    await this.persist();
    this.state.changed('sessions');
    return this.session;
  }

  async persist() {
    this.session = await this.state.store.sessions.update(this.session.id, { metadata: this.meta });
  }
}
