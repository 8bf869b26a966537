// The sentence being heard, under the avatar, with the current word marked: fed by the Player's
// 'sentence' and 'word' cues (which fire when their audio reaches the speaker).
import { el } from './element.js';

export class SpokenLine {
  constructor(node) {
    this.node = node;
    this.sentence = null;
  }

  showSentence(cue) {
    this.sentence = cue;
    this.node.replaceChildren(cue.text ?? '');
  }

  showWord(cue) {
    const s = this.sentence;
    if (!s || s.text === undefined || cue.textStart < s.textStart || cue.textEnd > s.textEnd) return;
    const text = s.text;
    const a = cue.textStart - s.textStart;
    const b = cue.textEnd - s.textStart;
    this.node.replaceChildren(text.slice(0, a), el('mark', {}, text.slice(a, b)), text.slice(b));
  }

  clear() {
    this.sentence = null;
    this.node.replaceChildren();
  }
}
