// See espeak_clause_shim.h. Mirrors espeak_TextToPhonemes() in espeak-ng 1.52's speech.c, with
// TranslateClauseWithTerminator() in place of TranslateClause().
#include "espeak_clause_shim.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <stddef.h>

#include "dictionary.h"  // GetTranslatedPhonemeString
#include "readclause.h"
#include "translate.h"   // translator, p_decoder, TranslateClauseWithTerminator

const char* avatarVoiceEspeakNextClause(const char** text, int phonemeMode, int* terminator) {
  *terminator = 0;
  if (translator == NULL) return NULL;
  if (p_decoder == NULL) p_decoder = create_text_decoder();
  if (text_decoder_decode_string_multibyte(p_decoder, *text, translator->encoding,
                                           espeakCHARS_UTF8) != ENS_OK)
    return NULL;
  TranslateClauseWithTerminator(translator, NULL, NULL, terminator);
  *text = text_decoder_get_buffer(p_decoder);
  return GetTranslatedPhonemeString(phonemeMode);
}

void avatarVoiceEspeakStartText(void) { InitText2(); }
