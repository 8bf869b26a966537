#include "opfs_file.h"

#include <emscripten/emscripten.h>

// Sync access handle calls. Offsets travel as doubles (exact up to 2^53 bytes). A change answers
// 1 (done), 0 (any other exception: an I/O error) or 2 (QuotaExceededError: the origin is at its
// quota), so the kind of failure reaches SQLite and the store as a value (FileWrite::kFull →
// SQLITE_FULL → Error(kQuotaExceeded)), not as state kept on the side.
EM_JS(double, avOpfsRead, (int slot, uint8_t* ptr, int size, double offset), {
  try {
    return Module.avatarVoiceOpfs[slot].read(HEAPU8.subarray(ptr, ptr + size), { at: offset });
  } catch (e) { return -1; }
});
EM_JS(int, avOpfsWrite, (int slot, const uint8_t* ptr, int size, double offset), {
  try {
    const n = Module.avatarVoiceOpfs[slot].write(HEAPU8.subarray(ptr, ptr + size), { at: offset });
    return n === size ? 1 : 0;
  } catch (e) { return e && e.name === 'QuotaExceededError' ? 2 : 0; }
});
EM_JS(int, avOpfsTruncate, (int slot, double size), {
  try { Module.avatarVoiceOpfs[slot].truncate(size); return 1; }
  catch (e) { return e && e.name === 'QuotaExceededError' ? 2 : 0; }
});
EM_JS(double, avOpfsSize, (int slot), {
  try { return Module.avatarVoiceOpfs[slot].getSize(); }
  catch (e) { return -1; }
});
EM_JS(int, avOpfsFlush, (int slot), {
  try { Module.avatarVoiceOpfs[slot].flush(); return 1; }
  catch (e) { return e && e.name === 'QuotaExceededError' ? 2 : 0; }
});

namespace avatar_voice::wasm {
namespace {

store::FileWrite fileWrite(int answer) {
  switch (answer) {
    case 1: return store::FileWrite::kDone;
    case 2: return store::FileWrite::kFull;
    default: return store::FileWrite::kFailed;
  }
}

}  // namespace

int64_t OpfsFile::read(uint8_t* data, size_t size, int64_t offset) {
  return static_cast<int64_t>(avOpfsRead(slot_, data, static_cast<int>(size), static_cast<double>(offset)));
}
store::FileWrite OpfsFile::write(const uint8_t* data, size_t size, int64_t offset) {
  return fileWrite(avOpfsWrite(slot_, data, static_cast<int>(size), static_cast<double>(offset)));
}
store::FileWrite OpfsFile::truncate(int64_t size) {
  return fileWrite(avOpfsTruncate(slot_, static_cast<double>(size)));
}
int64_t OpfsFile::size() { return static_cast<int64_t>(avOpfsSize(slot_)); }
store::FileWrite OpfsFile::flush() { return fileWrite(avOpfsFlush(slot_)); }

}  // namespace avatar_voice::wasm
