// A stand-in for a language model that writes the interviewer's question: the text, word by word,
// one word every `msPerWord`, at its own pace whether or not the reader keeps up (as a network
// stream buffers what arrives). What it yields goes straight into voice.stream / player.speak as
// text in pieces; `onText` sees the text written so far (the page shows it as it grows).
//
//   for await (const chunk of voice.stream(typedWords('Tell me about yourself.', 50))) ...
export async function* typedWords(text, msPerWord = 50, onText = () => {}) {
  const words = text.split(/(?=\s)/);
  const arrived = [];
  let written = '';
  let wake = null;
  const timers = words.map((word, k) =>
    setTimeout(
      () => {
        written += word;
        arrived.push(word);
        onText(written);
        wake?.();
      },
      msPerWord * (k + 1),
    ),
  );
  try {
    for (let k = 0; k < words.length; k++) {
      while (arrived.length === 0) await new Promise((resolve) => (wake = resolve));
      yield arrived.shift();
    }
  } finally {
    for (const timer of timers) clearTimeout(timer); // the reader stopped: stop writing
  }
}
