// The strip under the avatar: the utterance's phonemes (top lane) and visemes (bottom lane) laid
// out on the audio timeline, sliding left under a fixed playhead as the audio is heard. Built
// from the same chunks the Player schedules, so what is under the playhead is what you hear.
import { el } from './element.js';

const PX_PER_SECOND = 260;
const PLAYHEAD_FRACTION = 0.3;

export class TimelineStrip {
  constructor(host, clock) {
    this.clock = clock; // () => heard context time (s)
    this.host = host;
    this.track = el('div', { className: 'timeline-track' });
    this.phonemeLane = el('div', { className: 'lane lane-phonemes', attrs: { 'aria-hidden': 'true' } });
    this.visemeLane = el('div', { className: 'lane lane-visemes', attrs: { 'aria-hidden': 'true' } });
    this.track.append(this.phonemeLane, this.visemeLane);
    this.playhead = el('div', { className: 'playhead' });
    this.empty = el('p', { className: 'timeline-empty' }, 'Speak something to see its phonemes and visemes here.');
    host.append(this.track, this.playhead, this.empty);
    this.items = [];
    this.origin = null;
    this.frame = 0;
    this.liveUntil = 0;
  }

  clear() {
    this.phonemeLane.replaceChildren();
    this.visemeLane.replaceChildren();
    this.items = [];
    this.origin = null;
    this.empty.hidden = false;
    this.track.style.transform = '';
  }

  /** Adds one scheduled chunk: `startTime` is where the Player put it on the context timeline. */
  add(chunk, startTime) {
    if (this.origin === null) this.origin = startTime;
    this.empty.hidden = true;
    const base = startTime - this.origin;
    for (const p of chunk.phonemes) {
      if (!(p.endMs > p.startMs)) continue;
      this.place(this.phonemeLane, base + p.startMs / 1000, base + p.endMs / 1000, label(p.phoneme), 'phoneme', p.phoneme);
    }
    for (const v of chunk.visemes) {
      if (!(v.endMs > v.startMs)) continue;
      this.place(this.visemeLane, base + v.startMs / 1000, base + v.endMs / 1000, v.viseme, 'viseme', v.viseme);
    }
    this.items.sort((a, b) => a.start - b.start);
    this.start();
  }

  place(lane, start, end, text, kind, value) {
    const node = el('span', { className: `cell cell-${kind}`, dataset: { [kind]: value } }, text);
    node.style.left = `${start * PX_PER_SECOND}px`;
    node.style.width = `${Math.max(2, (end - start) * PX_PER_SECOND - 1)}px`;
    lane.append(node);
    this.items.push({ start, end, node });
  }

  start() {
    this.liveUntil = Infinity;
    if (!this.frame) this.frame = requestAnimationFrame(this.tick);
  }

  /** Keeps drawing a little after playback so the last cells slide past the playhead. */
  settle() {
    this.liveUntil = performance.now() + 600;
  }

  tick = (now) => {
    this.frame = 0;
    if (this.origin === null) return;
    const t = this.clock() - this.origin;
    const x = this.host.clientWidth * PLAYHEAD_FRACTION - t * PX_PER_SECOND;
    this.track.style.transform = `translateX(${x.toFixed(1)}px)`;
    for (const item of this.items) item.node.classList.toggle('is-now', item.start <= t && t < item.end);
    if (now < this.liveUntil) this.frame = requestAnimationFrame(this.tick);
  };
}

function label(phoneme) {
  if (phoneme === ' ') return '␣';
  if (phoneme === '^' || phoneme === '$' || phoneme === '_') return '·';
  return phoneme;
}
