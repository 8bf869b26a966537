// One clause of espeak-ng output together with the clause terminator that ended it.
//
// espeak-ng 1.52's public API has espeak_TextToPhonemes() but not the ...WithTerminator() variant
// Piper's espeak fork adds; without the terminator we cannot restore the punctuation phonemes
// (. , ? ! ; :) that every Piper voice was trained with. The internal TranslateClauseWithTerminator
// exists in 1.52, so this tiny C shim calls it the same way espeak_TextToPhonemes() does.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

// Translates the clause at *text (UTF-8) and advances *text past it (NULL at end of input).
// Returns espeak's static phoneme buffer (valid until the next espeak call) or NULL on a decoding
// error. *terminator receives espeak's CLAUSE_* bits.
const char* avatarVoiceEspeakNextClause(const char** text, int phonemeMode, int* terminator);

// Forgets what the clause reader kept from the previous text. espeak_TextToPhonemes() does not:
// a text ending in ".." leaves its second "." pending ("pick up the punctuation next time"), and
// the next text began with "dot" (Piper's phonemizer shows it too, within one process).
void avatarVoiceEspeakStartText(void);

#ifdef __cplusplus
}
#endif
