// A SQLite VFS over a fixed set of named, already-open files: the design SQLite's own
// "opfs-sahpool" uses. In the browser worker each file is an OPFS FileSystemSyncAccessHandle
// opened ahead of time (wasm/opfs_file.cpp); natively and in tests they are MemoryFiles.
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

// What the VFS needs of a file. Implementations throw nothing: they return false on failure.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `size` bytes at `offset`; returns how many were read (fewer at end of file), or
  // -1 on an I/O error.
  virtual int64_t read(uint8_t* data, size_t size, int64_t offset) = 0;
  virtual bool write(const uint8_t* data, size_t size, int64_t offset) = 0;
  virtual bool truncate(int64_t size) = 0;
  virtual int64_t size() = 0;  // -1 on error
  virtual bool flush() = 0;
};

class MemoryFile final : public RandomAccessFile {
 public:
  int64_t read(uint8_t* data, size_t size, int64_t offset) override;
  bool write(const uint8_t* data, size_t size, int64_t offset) override;
  bool truncate(int64_t size) override;
  int64_t size() override { return static_cast<int64_t>(bytes_.size()); }
  bool flush() override { return true; }
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
