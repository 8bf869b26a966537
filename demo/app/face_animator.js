// Drives the face once per animation frame: the mouth follows the Player's blended viseme weights
// (player.visemeAt(), smoothed a little more so shapes flow), the brows and mouth corners glide to
// the avatar's emotion, the eyes blink and glance around at random.
import { EMOTIONS } from './emotions.js';
import { MOUTH_SHAPES, approach, blendMouth } from './viseme_shapes.js';

const MOUTH_TIME_CONSTANT_MS = 28;
const EXPRESSION_TIME_CONSTANT_MS = 180;
const BLINK_MS = 150;

export class FaceAnimator {
  /** `frameSource()` returns the Player's VisemeFrame now, or null when there is no Player. */
  constructor(face, frameSource) {
    this.face = face;
    this.frameSource = frameSource;
    this.mouth = { ...MOUTH_SHAPES.sil };
    this.expression = { ...EMOTIONS.neutral };
    this.targetExpression = EMOTIONS.neutral;
    this.viseme = 'sil';
    this.last = performance.now();
    this.nextBlink = this.last + 1200;
    this.blinkStart = -1;
    this.gaze = { x: 0, y: 0 };
    this.gazeTarget = { x: 0, y: 0 };
    this.nextGlance = this.last + 2000;
    this.reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.frame = requestAnimationFrame(this.tick);
  }

  setEmotion(name) {
    this.targetExpression = EMOTIONS[name] ?? EMOTIONS.neutral;
  }

  tick = (now) => {
    const dt = Math.min(100, now - this.last);
    this.last = now;
    const frame = this.frameSource();
    const weights = frame?.weights ?? [];
    const speaking = weights.length > 0;
    approach(this.mouth, blendMouth(weights), 1 - Math.exp(-dt / MOUTH_TIME_CONSTANT_MS));
    const { label, asymmetric, ...pose } = this.targetExpression;
    approach(this.expression, pose, 1 - Math.exp(-dt / EXPRESSION_TIME_CONSTANT_MS));
    this.expression.asymmetric = asymmetric === true;
    const viseme = frame?.viseme ?? 'sil';
    if (viseme !== this.viseme) {
      this.viseme = viseme;
      this.face.mouth.dataset.viseme = viseme;
    }
    this.face.render({
      mouth: this.mouth,
      // While talking the smile relaxes a bit, so vowels read clearly.
      expression: speaking ? { ...this.expression, corner: this.expression.corner * 0.6 } : this.expression,
      blink: this.blink(now),
      gaze: this.look(now, dt, speaking),
      bob: this.reducedMotion ? 0 : Math.sin(now / 1400) * 1.2,
    });
    this.frame = requestAnimationFrame(this.tick);
  };

  blink(now) {
    if (this.blinkStart < 0 && now >= this.nextBlink) this.blinkStart = now;
    if (this.blinkStart < 0) return 0;
    const t = (now - this.blinkStart) / BLINK_MS;
    if (t >= 1) {
      this.blinkStart = -1;
      // Now and then a double blink, like people do.
      this.nextBlink = now + (Math.random() < 0.15 ? 180 : 2200 + Math.random() * 3800);
      return 0;
    }
    return Math.sin(Math.PI * t);
  }

  look(now, dt, speaking) {
    if (now >= this.nextGlance) {
      this.nextGlance = now + 1500 + Math.random() * 3000;
      // Talking to you: mostly eye contact. Idle: looks around a little.
      this.gazeTarget =
        speaking || Math.random() < 0.4 ? { x: 0, y: 0 } : { x: (Math.random() * 2 - 1) * 3, y: (Math.random() * 2 - 1) * 1.5 };
    }
    approach(this.gaze, this.gazeTarget, 1 - Math.exp(-dt / 60));
    return this.gaze;
  }

  dispose() {
    cancelAnimationFrame(this.frame);
  }
}
