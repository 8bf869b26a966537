// "Export lip-sync": the last utterance's timeline in the formats avatar engines consume, as a
// download (Polly speech marks as JSON lines, TalkingHead's speakAudio() object, ARKit frames).
import { toArkitFrames, toJsonLines, toPollySpeechMarks, toTalkingHead } from 'avatar-voice';

const FORMATS = {
  polly: { file: 'speech-marks.jsonl', type: 'application/jsonl', make: (chunks, text) => toJsonLines(toPollySpeechMarks(chunks, text)) },
  talkinghead: {
    file: 'talkinghead.json',
    type: 'application/json',
    make: (chunks, text) => JSON.stringify(toTalkingHead(chunks, text), null, 1),
  },
  arkit: { file: 'arkit-60fps.json', type: 'application/json', make: (chunks) => JSON.stringify(toArkitFrames(chunks, { fps: 60 })) },
};

export class SpeechExport {
  /** Follows `playback`: every utterance it starts replaces the one to export. */
  constructor(playback, button, select) {
    this.chunks = [];
    this.text = '';
    this.button = button;
    this.select = select;
    playback.on('start', () => {
      this.chunks = [];
      button.disabled = true;
    });
    playback.on('chunk', ({ chunk, text }) => {
      this.chunks.push(chunk);
      this.text = text ?? '';
      button.disabled = false;
    });
    button.addEventListener('click', () => this.download());
  }

  download() {
    const format = FORMATS[this.select.value] ?? FORMATS.polly;
    const blob = new Blob([format.make(this.chunks, this.text)], { type: format.type });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = format.file;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}
