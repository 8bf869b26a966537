// The Interview view: choose a question set (and edit sets), then the avatar asks each question
// aloud while a timer runs and you type; "Next" moves on; the session lands in History. With
// "word by word", each question arrives as a language model would write it and is spoken as it
// is written (voice.stream of text in pieces).
import { AnswerRecorder, microphoneProblem, speakingSummary } from './answer_recorder.js';
import { byId, el } from './element.js';
import { describeError, formatClock, formatDuration } from './format.js';
import { InterviewRun } from './interview_run.js';
import { QUESTION_SET_KIND, listQuestionSets, parseQuestions, questionsOf } from './question_sets.js';
import { announce } from './status.js';

export class InterviewView {
  constructor(state, { speed, openHistory }) {
    this.state = state;
    this.speed = speed; // () => the Speak view's speed
    this.openHistory = openHistory;
    this.sets = [];
    this.run = null;
    this.timer = null;
    this.moving = false;
    byId('interview-set').addEventListener('change', () => this.showSet());
    byId('interview-start').addEventListener('click', () => this.start());
    byId('interview-next').addEventListener('click', () => this.next());
    byId('interview-end').addEventListener('click', () => this.end());
    byId('interview-repeat').addEventListener('click', () => this.repeat());
    byId('interview-record').addEventListener('click', () => (this.recorder ? this.stopRecording() : this.startRecording()));
    byId('interview-recording-play').addEventListener('click', () => this.playRecording());
    byId('interview-recording-delete').addEventListener('click', () => this.deleteRecording());
    byId('interview-again').addEventListener('click', () => this.showPanel('setup'));
    byId('interview-history').addEventListener('click', () => this.openHistory(this.lastSessionId));
    byId('interview-answer').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.next();
      }
    });
    byId('qset-save').addEventListener('click', () => this.saveSet());
    byId('qset-new').addEventListener('click', () => this.saveSetAsNew());
    byId('qset-delete').addEventListener('click', () => this.deleteSet());
    state.on('data', () => this.load());
  }

  async load(selectId) {
    this.sets = await listQuestionSets(this.state.store);
    const select = byId('interview-set');
    const keep = selectId ?? Number(select.value);
    select.replaceChildren(...this.sets.map((s) => el('option', { value: String(s.id) }, `${s.name} (${questionsOf(s).length})`)));
    if (this.sets.some((s) => s.id === keep)) select.value = String(keep);
    this.showSet();
    byId('interview-start').disabled = this.sets.length === 0;
  }

  get selectedSet() {
    return this.sets.find((s) => s.id === Number(byId('interview-set').value)) ?? null;
  }

  showSet() {
    const set = this.selectedSet;
    const questions = questionsOf(set);
    const count = byId('interview-count');
    count.max = String(Math.max(1, questions.length));
    if (Number(count.value) > questions.length) count.value = String(Math.max(1, questions.length));
    byId('interview-set-preview').textContent = set
      ? `${set.data?.description ?? ''} ${questions.length} questions; the first ones are asked in order.`.trim()
      : '';
    byId('qset-name').value = set?.name ?? '';
    byId('qset-questions').value = questions.join('\n');
    byId('qset-delete').disabled = this.sets.length <= 1;
  }

  showPanel(which) {
    byId('interview-setup').hidden = which !== 'setup';
    byId('interview-run').hidden = which !== 'run';
    byId('interview-done').hidden = which !== 'done';
  }

  async start() {
    const set = this.selectedSet;
    const questions = questionsOf(set).slice(0, Math.max(1, Number(byId('interview-count').value) || 1));
    if (!questions.length) {
      announce('This set has no questions yet: add some under “Edit question sets”.', 'error');
      return;
    }
    try {
      this.run = await InterviewRun.start(this.state, set, questions);
    } catch (error) {
      announce(`Could not start: ${describeError(error)}`, 'error');
      return;
    }
    this.showPanel('run');
    if (!this.state.voice) announce('No voice loaded: questions are shown but not spoken. Add a voice in Voices.', 'info');
    await this.askCurrent();
  }

  async askCurrent() {
    const run = this.run;
    const q = run.current;
    byId('interview-progress').textContent = `Question ${run.index + 1} of ${run.questions.length}`;
    const heading = byId('interview-question');
    const typed = byId('interview-streamed').checked;
    heading.textContent = typed ? '' : q.text;
    heading.dataset.writing = String(typed);
    byId('interview-next').textContent = run.isLast ? 'Finish interview' : 'Next question';
    const answer = byId('interview-answer');
    answer.value = '';
    answer.focus();
    this.showRecording(null);
    this.setPhase(this.state.voice ? `${this.state.avatar.name} is asking…` : 'Read the question, then answer.', 'asking');
    this.stopTimer();
    byId('interview-timer').textContent = '0:00';
    try {
      await run.ask(this.speed(), {
        typed,
        onText: (text) => {
          if (run.current === q) heading.textContent = text;
        },
      });
    } catch (error) {
      announce(`Could not ask the question: ${describeError(error)}`, 'error');
    }
    if (this.run !== run || run.current !== q) return; // moved on meanwhile
    heading.dataset.writing = 'false';
    this.setPhase('Your turn: type your answer. Ctrl+Enter moves on.', 'answering');
    this.startTimer(q.answerStartedAt);
  }

  setPhase(text, phase) {
    const node = byId('interview-phase');
    node.textContent = text;
    byId('interview-run').dataset.phase = phase;
  }

  startTimer(since) {
    this.stopTimer();
    const tick = () => (byId('interview-timer').textContent = formatClock(Date.now() - since));
    tick();
    this.timer = setInterval(tick, 250);
  }

  stopTimer() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async next() {
    if (!this.run || this.moving) return;
    this.moving = true;
    try {
      if (this.recorder) await this.stopRecording();
      const last = this.run.isLast;
      await this.run.answer(byId('interview-answer').value.trim());
      if (last) await this.complete('completed');
      else await this.askCurrent();
    } finally {
      this.moving = false;
    }
  }

  async end() {
    if (!this.run || this.moving) return;
    this.moving = true;
    try {
      if (this.recorder) await this.stopRecording();
      await this.run.answer(byId('interview-answer').value.trim());
      await this.complete('ended_early');
    } finally {
      this.moving = false;
    }
  }

  async repeat() {
    const q = this.run?.current;
    if (!q || !this.state.voice) return;
    try {
      if (q.audioId) await this.state.playback.replay(await this.state.store.loadSpeech(q.audioId), q.text);
      else await this.state.playback.say(this.state.voice, q.text, this.state.synthesisOptions(this.speed()));
    } catch {
      // stopped: nothing to report
    }
  }

  async complete(status) {
    this.stopTimer();
    const session = await this.run.finish(status);
    this.lastSessionId = session.id;
    this.run = null;
    const meta = session.metadata;
    const answered = meta.questions.filter((q) => q.answer).length;
    byId('interview-summary').textContent =
      `${status === 'completed' ? 'Well done!' : 'Ended early.'} You answered ${answered} of ${meta.questions.length} questions in ${formatDuration(meta.totalMs)}.`;
    byId('interview-summary-list').replaceChildren(
      ...meta.questions.map((q) =>
        el(
          'li',
          {},
          el('span', {}, q.text),
          el(
            'span',
            { className: 'hint' },
            q.answer || q.answerAudioId ? ` answered in ${formatClock(q.answerMs)}` : ' skipped',
            q.answerAudioId ? ` · spoken ${speakingSummary(q.answerSpokenMs, q.answer, formatClock)}` : '',
          ),
        ),
      ),
    );
    this.showPanel('done');
    byId('interview-summary').focus?.();
    announce('Interview saved to History.', 'success');
  }

  /** Starts recording a spoken answer; without a microphone the user is told why and keeps typing. */
  async startRecording() {
    const status = byId('interview-recording');
    if (!AnswerRecorder.supported()) {
      status.textContent = 'This browser cannot record audio. You can still type your answer.';
      announce(status.textContent, 'error');
      return;
    }
    const button = byId('interview-record');
    button.disabled = true;
    try {
      this.state.playback.stop(); // the avatar stops talking when you start
      this.recorder = await AnswerRecorder.start();
    } catch (error) {
      status.textContent = microphoneProblem(error);
      announce(status.textContent, 'error');
      return;
    } finally {
      button.disabled = false;
    }
    button.textContent = '■ Stop recording';
    button.setAttribute('aria-pressed', 'true');
    const tick = () => (status.textContent = `Recording… ${formatClock(this.recorder?.elapsedMs ?? 0)}`);
    tick();
    this.recordingTimer = setInterval(tick, 250);
  }

  /** Stops the recording and saves it with the session. */
  async stopRecording() {
    const recorder = this.recorder;
    this.recorder = null;
    clearInterval(this.recordingTimer);
    const button = byId('interview-record');
    button.textContent = '🎙 Record answer';
    button.setAttribute('aria-pressed', 'false');
    if (!recorder) return;
    byId('interview-recording').textContent = 'Saving the recording…';
    try {
      await this.run.keepRecording(await recorder.stop());
      this.showRecording(this.run.current);
      announce('Spoken answer saved.', 'success');
    } catch (error) {
      byId('interview-recording').textContent = `The recording could not be saved: ${describeError(error)}`;
      announce(byId('interview-recording').textContent, 'error');
    }
  }

  /** The recorded answer of `q` (speaking time and pace), or the empty state. */
  showRecording(q) {
    const has = Boolean(q?.answerAudioId);
    byId('interview-recording').textContent = has
      ? `Recorded ${speakingSummary(q.answerSpokenMs, byId('interview-answer').value, formatClock)}`
      : '';
    byId('interview-recording-play').hidden = !has;
    byId('interview-recording-delete').hidden = !has;
  }

  async playRecording() {
    const q = this.run?.current;
    if (!q?.answerAudioId) return;
    try {
      await this.state.playback.replay(await this.state.store.loadSpeech(q.answerAudioId), q.answer || '');
    } catch (error) {
      announce(`Could not play the recording: ${describeError(error)}`, 'error');
    }
  }

  async deleteRecording() {
    try {
      await this.run?.deleteRecording();
      this.showRecording(null);
      announce('Recording deleted.', 'success');
    } catch (error) {
      announce(`Could not delete the recording: ${describeError(error)}`, 'error');
    }
  }

  async saveSet() {
    const set = this.selectedSet;
    if (!set) return;
    const name = byId('qset-name').value.trim() || set.name;
    const questions = parseQuestions(byId('qset-questions').value);
    try {
      await this.state.store.presets.update(set.id, { name, data: { ...(set.data ?? {}), questions } });
      await this.load(set.id);
      announce(`Saved “${name}” (${questions.length} questions).`, 'success');
    } catch (error) {
      announce(`Could not save: ${describeError(error)}`, 'error');
    }
  }

  async saveSetAsNew() {
    let name = byId('qset-name').value.trim() || 'My questions';
    if (this.sets.some((s) => s.name === name)) name = `${name} (copy)`;
    const questions = parseQuestions(byId('qset-questions').value);
    try {
      const created = await this.state.store.presets.create({
        kind: QUESTION_SET_KIND,
        name,
        data: { description: 'Your own questions.', questions },
      });
      await this.load(created.id);
      announce(`Created the set “${name}”.`, 'success');
    } catch (error) {
      announce(`Could not create the set: ${describeError(error)}`, 'error');
    }
  }

  async deleteSet() {
    const set = this.selectedSet;
    if (!set || this.sets.length <= 1) return;
    await this.state.store.presets.delete(set.id);
    await this.load();
    announce(`Deleted the set “${set.name}”.`, 'success');
  }
}
