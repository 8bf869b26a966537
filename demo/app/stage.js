// The avatar stage beside every view: the face (animated from the playback), the sentence being
// heard with its current word, the phoneme/viseme timeline, and pause/stop for whatever plays.
import { ArkitFace } from './arkit_face.js';
import { AvatarFace } from './avatar_face.js';
import { byId } from './element.js';
import { emotionOf, EMOTIONS } from './emotions.js';
import { FaceAnimator } from './face_animator.js';
import { announce } from './status.js';
import { SpeechExport } from './speech_export.js';
import { SpokenLine } from './spoken_line.js';
import { TimelineStrip } from './timeline_strip.js';

export class Stage {
  constructor(state) {
    this.state = state;
    const playback = state.playback;
    this.face = new AvatarFace(byId('face-host'));
    this.animator = new FaceAnimator(this.face, () => playback.visemeFrame());
    this.timeline = new TimelineStrip(byId('timeline'), () => playback.heardTime);
    this.line = new SpokenLine(byId('spoken-line'));
    this.arkit = new ArkitFace(byId('arkit-face'));
    playback.on('blendshapes', (cue) => this.arkit.show(cue.weights));
    this.export = new SpeechExport(playback, byId('export-lipsync'), byId('export-format'));
    const faceSwitch = byId('face-switch');
    faceSwitch.addEventListener('click', () => this.useArkitFace(faceSwitch.getAttribute('aria-pressed') !== 'true'));
    const pause = byId('stage-pause');
    const stop = byId('stage-stop');
    const stageNode = document.querySelector('.stage');

    playback.on('start', () => {
      this.timeline.clear();
      this.line.clear();
    });
    playback.on('chunk', ({ chunk, startTime }) => this.timeline.add(chunk, startTime));
    playback.on('sentence', (cue) => this.line.showSentence(cue));
    playback.on('word', (cue) => this.line.showWord(cue));
    playback.on('state', ({ playing, paused }) => {
      stageNode.dataset.speaking = String(playing);
      pause.disabled = !playing;
      stop.disabled = !playing;
      pause.textContent = paused ? 'Resume' : 'Pause';
      pause.setAttribute('aria-pressed', String(paused));
    });
    playback.on('idle', () => this.timeline.settle());
    playback.on('blocked', () => announce('The browser is holding audio back. Press Speak (or any button) again to allow sound.', 'error'));
    pause.addEventListener('click', () => playback.togglePause());
    stop.addEventListener('click', () => playback.stop());
    // Esc stops speech from anywhere.
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && playback.busy) playback.stop();
    });

    state.on('avatar', () => this.showAvatar());
    state.on('style', () => this.face.setStyle(state.style?.data ?? {}));
  }

  showAvatar() {
    const avatar = this.state.avatar;
    const emotion = emotionOf(avatar);
    this.animator.setEmotion(emotion);
    byId('avatar-name').textContent = avatar ? `${avatar.name} · ${EMOTIONS[emotion].label.toLowerCase()}` : '';
    this.face.setLabel(avatar ? `${avatar.name}, looking ${EMOTIONS[emotion].label.toLowerCase()}` : 'Avatar');
  }

  /** Swaps the SVG face (viseme weights) for the canvas face (ARKit blendshapes) and back. */
  useArkitFace(on) {
    byId('arkit-face').hidden = !on;
    byId('face-host').hidden = on;
    const button = byId('face-switch');
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? 'SVG face' : 'ARKit face';
  }

  /** Shows a style without saving it (the Avatar view's live preview). */
  preview(style) {
    this.face.setStyle(style);
  }
}
