// A SQLite VFS over a fixed set of named, already-open files: the design of SQLite's own
// "opfs-sahpool" VFS (this one registers under the name it is given; the worker's is
// "avatar-voice-opfs", wasm/store_bindings.cpp). In the browser worker each file is an OPFS
// FileSystemSyncAccessHandle opened ahead of time (wasm/opfs_file.cpp); natively and in tests
// they are MemoryFiles.
//
//   auto pool = std::make_shared<FilePool>();
//   pool->add("/avatar-voice.sqlite3", std::make_shared<MemoryFile>());
//   pool->add("/avatar-voice.sqlite3-journal", std::make_shared<MemoryFile>());
//   registerFilePoolVfs("memory-pool", pool);   // once per name; the VFS keeps the pool alive
//   Store store("/avatar-voice.sqlite3", "memory-pool");
//
// Why a pool: sync access handles can only be created asynchronously, but SQLite opens files
// synchronously, in the middle of a transaction. So every file SQLite may need is opened before
// the database is. Names SQLite asks for that are not in the pool (temp files, statement
// journals) live in memory. Deleting a pooled file truncates it and marks it absent; the handle
// stays open. Locking is a no-op: an OPFS sync access handle is already exclusive to one worker,
// so a second tab cannot open the same database at all (it gets STORE_LOCKED from the glue).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace avatar_voice::store {

// How a change to a file ended. kFull is its own kind because the caller can act on it: the VFS
// reports it to SQLite as SQLITE_FULL and the store raises Error(kQuotaExceeded), where any other
// failure is an I/O error (kStore).
enum class FileWrite {
  kDone,
  kFailed,  // an I/O error
  kFull,    // no room: the file may not grow (an OPFS origin at its quota)
};

// What the VFS needs of a file. Implementations throw nothing: they report failures in the result.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `size` bytes at `offset`; returns how many were read (fewer at end of file), or
  // -1 on an I/O error.
  virtual int64_t read(uint8_t* data, size_t size, int64_t offset) = 0;
  virtual FileWrite write(const uint8_t* data, size_t size, int64_t offset) = 0;
  virtual FileWrite truncate(int64_t size) = 0;
  virtual int64_t size() = 0;  // -1 on error
  virtual FileWrite flush() = 0;
};

class MemoryFile final : public RandomAccessFile {
 public:
  int64_t read(uint8_t* data, size_t size, int64_t offset) override;
  FileWrite write(const uint8_t* data, size_t size, int64_t offset) override;
  FileWrite truncate(int64_t size) override;
  int64_t size() override { return static_cast<int64_t>(bytes_.size()); }
  FileWrite flush() override { return FileWrite::kDone; }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

class FilePool {
 public:
  void add(const std::string& name, std::shared_ptr<RandomAccessFile> file);
  // nullptr when `name` is not pooled.
  RandomAccessFile* find(const std::string& name);
  bool exists(const std::string& name);
  void markDeleted(const std::string& name, bool deleted);

 private:
  struct Entry {
    std::shared_ptr<RandomAccessFile> file;
    bool deleted = false;
  };
  std::map<std::string, Entry> files_;
};

// Registers (or re-points) the VFS `name` at `pool`. Throws Error(kStore) if SQLite refuses.
void registerFilePoolVfs(const std::string& name, std::shared_ptr<FilePool> pool);

}  // namespace avatar_voice::store
