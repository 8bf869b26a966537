// RandomAccessFile over an OPFS FileSystemSyncAccessHandle held by the JS side (web/opfs_pool.ts
// opens the handles before the database and puts them in Module.avatarVoiceOpfs[slot]).
#pragma once

#include "store/file_pool_vfs.h"

namespace avatar_voice::wasm {

class OpfsFile final : public store::RandomAccessFile {
 public:
  explicit OpfsFile(int slot) : slot_(slot) {}
  int64_t read(uint8_t* data, size_t size, int64_t offset) override;
  store::FileWrite write(const uint8_t* data, size_t size, int64_t offset) override;
  store::FileWrite truncate(int64_t size) override;
  int64_t size() override;
  store::FileWrite flush() override;

 private:
  int slot_;
};

}  // namespace avatar_voice::wasm
