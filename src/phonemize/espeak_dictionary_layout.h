// Structural check of a compiled espeak-ng dictionary (`<lang>_dict`) before espeak-ng loads it.
//
//   requireValidEspeakDictionary(file.data, file.size, "de_dict");  // throws, or the file is safe
//
// espeak-ng 1.52's LoadDictionary() and InitGroups() trust the file: the rules offset in its
// header is only checked against 0x8000000 (not the file size), the 1024 hash lists and every
// rule string are walked until a terminator without bounds, and the rule-group table fills
// fixed arrays (groups2[120], groups3[128]) by counts and indexes read from the file. A language
// pack is a user-picked file, so before it is written this walks the same structure with bounds:
//   u32 1024 | u32 rulesOffset | 1024 × (entry* 0) | rules: (6 name\0 (rule\0)* 7)* 0
// where an entry is `len flagsAndWordLength word phonemes\0 flags` (len bytes in all).
// Errors: Error(kInvalidArgument, "invalid espeak-ng dictionary <name>: ..."). Semantics of the
// rule bytecode (which letter group a rule names, which phoneme codes it emits) are not checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace avatar_voice {

void requireValidEspeakDictionary(const uint8_t* data, size_t size, const std::string& name);

}  // namespace avatar_voice
