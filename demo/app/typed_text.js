// A stand-in for a language model that writes the interviewer's question: the text, word by word,
// one word every `msPerWord`. What it yields goes straight into voice.stream / player.speak as
// text in pieces; `onText` sees the text written so far (the page shows it as it grows).
//
//   for await (const chunk of voice.stream(typedWords('Tell me about yourself.', 50))) ...
export async function* typedWords(text, msPerWord = 50, onText = () => {}, signal = undefined) {
  let written = '';
  for (const word of text.split(/(?=\s)/)) {
    await new Promise((resolve) => setTimeout(resolve, msPerWord));
    if (signal?.aborted) return;
    written += word;
    onText(written);
    yield word;
  }
}
