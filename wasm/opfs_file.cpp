#include "opfs_file.h"

#include <emscripten/emscripten.h>

// Sync access handle calls. Offsets travel as doubles (exact up to 2^53 bytes). A QuotaExceeded
// or any other exception becomes a failure code SQLite turns into an I/O error; the JS side keeps
// the last exception so the TS layer can report QUOTA_EXCEEDED precisely.
EM_JS(double, avOpfsRead, (int slot, uint8_t* ptr, int size, double offset), {
  try {
    return Module.avatarVoiceOpfs[slot].read(HEAPU8.subarray(ptr, ptr + size), { at: offset });
  } catch (e) { Module.avatarVoiceOpfsError = e; return -1; }
});
EM_JS(int, avOpfsWrite, (int slot, const uint8_t* ptr, int size, double offset), {
  try {
    const n = Module.avatarVoiceOpfs[slot].write(HEAPU8.subarray(ptr, ptr + size), { at: offset });
    return n === size ? 1 : 0;
  } catch (e) { Module.avatarVoiceOpfsError = e; return 0; }
});
EM_JS(int, avOpfsTruncate, (int slot, double size), {
  try { Module.avatarVoiceOpfs[slot].truncate(size); return 1; }
  catch (e) { Module.avatarVoiceOpfsError = e; return 0; }
});
EM_JS(double, avOpfsSize, (int slot), {
  try { return Module.avatarVoiceOpfs[slot].getSize(); }
  catch (e) { Module.avatarVoiceOpfsError = e; return -1; }
});
EM_JS(int, avOpfsFlush, (int slot), {
  try { Module.avatarVoiceOpfs[slot].flush(); return 1; }
  catch (e) { Module.avatarVoiceOpfsError = e; return 0; }
});

namespace avatar_voice::wasm {

int64_t OpfsFile::read(uint8_t* data, size_t size, int64_t offset) {
  return static_cast<int64_t>(avOpfsRead(slot_, data, static_cast<int>(size), static_cast<double>(offset)));
}
bool OpfsFile::write(const uint8_t* data, size_t size, int64_t offset) {
  return avOpfsWrite(slot_, data, static_cast<int>(size), static_cast<double>(offset)) == 1;
}
bool OpfsFile::truncate(int64_t size) { return avOpfsTruncate(slot_, static_cast<double>(size)) == 1; }
int64_t OpfsFile::size() { return static_cast<int64_t>(avOpfsSize(slot_)); }
bool OpfsFile::flush() { return avOpfsFlush(slot_) == 1; }

}  // namespace avatar_voice::wasm
