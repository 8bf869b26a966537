#include "store/file_pool_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace avatar_voice::store {

int64_t MemoryFile::read(uint8_t* data, size_t size, int64_t offset) {
  if (offset < 0) return -1;
  if (static_cast<size_t>(offset) >= bytes_.size()) return 0;
  const size_t n = std::min(size, bytes_.size() - static_cast<size_t>(offset));
  std::memcpy(data, bytes_.data() + offset, n);
  return static_cast<int64_t>(n);
}

FileWrite MemoryFile::write(const uint8_t* data, size_t size, int64_t offset) {
  if (offset < 0) return FileWrite::kFailed;
  const size_t end = static_cast<size_t>(offset) + size;
  if (end > bytes_.size()) bytes_.resize(end);
  std::memcpy(bytes_.data() + offset, data, size);
  return FileWrite::kDone;
}

FileWrite MemoryFile::truncate(int64_t size) {
  if (size < 0) return FileWrite::kFailed;
  bytes_.resize(static_cast<size_t>(size));
  return FileWrite::kDone;
}

void FilePool::add(const std::string& name, std::shared_ptr<RandomAccessFile> file) {
  files_[name] = Entry{std::move(file), false};
}

RandomAccessFile* FilePool::find(const std::string& name) {
  auto it = files_.find(name);
  return it == files_.end() ? nullptr : it->second.file.get();
}

bool FilePool::exists(const std::string& name) {
  auto it = files_.find(name);
  if (it == files_.end()) return false;
  return !it->second.deleted || it->second.file->size() > 0;
}

void FilePool::markDeleted(const std::string& name, bool deleted) {
  auto it = files_.find(name);
  if (it != files_.end()) it->second.deleted = deleted;
}

namespace {

struct PoolVfs {
  sqlite3_vfs vfs;
  std::string name;
  std::shared_ptr<FilePool> pool;
};

// sqlite3_file subclass: SQLite allocates szOsFile bytes and we construct into them.
struct PoolFile {
  sqlite3_file base;
  RandomAccessFile* file;                  // pooled (borrowed) or `owned` below
  std::unique_ptr<MemoryFile>* owned;      // temp files that are not in the pool
  int lock;
};

PoolVfs* poolOf(sqlite3_vfs* vfs) { return static_cast<PoolVfs*>(vfs->pAppData); }
PoolFile* fileOf(sqlite3_file* f) { return reinterpret_cast<PoolFile*>(f); }

int xClose(sqlite3_file* f) {
  PoolFile* p = fileOf(f);
  delete p->owned;
  p->owned = nullptr;
  return SQLITE_OK;
}

int xRead(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  const int64_t n = fileOf(f)->file->read(static_cast<uint8_t*>(out), static_cast<size_t>(amount), offset);
  if (n < 0) return SQLITE_IOERR_READ;
  if (n < amount) {
    // SQLite requires the unread tail to be zero-filled on a short read.
    std::memset(static_cast<uint8_t*>(out) + n, 0, static_cast<size_t>(amount - n));
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}

// SQLITE_FULL for a file that may not grow: SQLite then fails the statement with it, and
// throwSqliteError turns it into Error(kQuotaExceeded).
int resultCode(FileWrite result, int ioError) {
  switch (result) {
    case FileWrite::kDone: return SQLITE_OK;
    case FileWrite::kFull: return SQLITE_FULL;
    case FileWrite::kFailed: break;
  }
  return ioError;
}

int xWrite(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  return resultCode(
      fileOf(f)->file->write(static_cast<const uint8_t*>(data), static_cast<size_t>(amount), offset),
      SQLITE_IOERR_WRITE);
}

int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
  return resultCode(fileOf(f)->file->truncate(size), SQLITE_IOERR_TRUNCATE);
}

int xSync(sqlite3_file* f, int) { return resultCode(fileOf(f)->file->flush(), SQLITE_IOERR_FSYNC); }

int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
  const int64_t s = fileOf(f)->file->size();
  if (s < 0) return SQLITE_IOERR_FSTAT;
  *size = s;
  return SQLITE_OK;
}

int xLock(sqlite3_file* f, int level) {
  fileOf(f)->lock = level;
  return SQLITE_OK;
}
int xUnlock(sqlite3_file* f, int level) {
  fileOf(f)->lock = level;
  return SQLITE_OK;
}
int xCheckReservedLock(sqlite3_file* f, int* out) {
  *out = fileOf(f)->lock >= SQLITE_LOCK_RESERVED;
  return SQLITE_OK;
}
int xFileControl(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int xSectorSize(sqlite3_file*) { return 4096; }
int xDeviceCharacteristics(sqlite3_file*) { return SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN; }

const sqlite3_io_methods kIoMethods = {
    1, xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock, xCheckReservedLock,
    xFileControl, xSectorSize, xDeviceCharacteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

int xOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* outFlags) {
  PoolFile* p = fileOf(f);
  p->base.pMethods = nullptr;
  p->owned = nullptr;
  p->lock = SQLITE_LOCK_NONE;
  RandomAccessFile* pooled = name ? poolOf(vfs)->pool->find(name) : nullptr;
  if (pooled) {
    if (!(flags & SQLITE_OPEN_CREATE) && !poolOf(vfs)->pool->exists(name)) return SQLITE_CANTOPEN;
    poolOf(vfs)->pool->markDeleted(name, false);
    p->file = pooled;
  } else if (name == nullptr || (flags & (SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_TEMP_DB |
                                          SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_TRANSIENT_DB))) {
    // Temp files live in memory; they never need to survive the connection.
    p->owned = new std::unique_ptr<MemoryFile>(new MemoryFile());
    p->file = p->owned->get();
  } else {
    return SQLITE_CANTOPEN;  // a persistent file we did not open ahead of time
  }
  if (outFlags) *outFlags = flags;
  p->base.pMethods = &kIoMethods;
  return SQLITE_OK;
}

int xDelete(sqlite3_vfs* vfs, const char* name, int) {
  FilePool& pool = *poolOf(vfs)->pool;
  if (RandomAccessFile* file = pool.find(name)) {
    // The handle stays open (it was opened ahead of time): empty it and call it gone.
    if (file->truncate(0) != FileWrite::kDone || file->flush() != FileWrite::kDone)
      return SQLITE_IOERR_DELETE;
    pool.markDeleted(name, true);
  }
  return SQLITE_OK;
}

int xAccess(sqlite3_vfs* vfs, const char* name, int, int* out) {
  *out = poolOf(vfs)->pool->exists(name);
  return SQLITE_OK;
}

int xFullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  const size_t n = std::strlen(name);
  if (n + 1 > static_cast<size_t>(size)) return SQLITE_CANTOPEN;
  std::memcpy(out, name, n + 1);
  return SQLITE_OK;
}

// Randomness, sleep and time come from the platform's default VFS.
int xRandomness(sqlite3_vfs*, int n, char* out) {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  return base->xRandomness(base, n, out);
}
int xSleep(sqlite3_vfs*, int us) {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  return base->xSleep(base, us);
}
int xCurrentTime(sqlite3_vfs*, double* out) {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  return base->xCurrentTime(base, out);
}
int xGetLastError(sqlite3_vfs*, int, char*) { return 0; }

std::map<std::string, std::unique_ptr<PoolVfs>>& registry() {
  static std::map<std::string, std::unique_ptr<PoolVfs>> vfses;
  return vfses;
}

}  // namespace

void registerFilePoolVfs(const std::string& name, std::shared_ptr<FilePool> pool) {
  auto& vfses = registry();
  auto it = vfses.find(name);
  if (it != vfses.end()) {
    it->second->pool = std::move(pool);  // same VFS object, new files (e.g. after an import)
    return;
  }
  auto entry = std::make_unique<PoolVfs>();
  entry->name = name;
  entry->pool = std::move(pool);
  sqlite3_vfs& v = entry->vfs;
  std::memset(&v, 0, sizeof v);
  v.iVersion = 1;
  v.szOsFile = sizeof(PoolFile);
  v.mxPathname = 512;
  v.zName = entry->name.c_str();
  v.pAppData = entry.get();
  v.xOpen = xOpen;
  v.xDelete = xDelete;
  v.xAccess = xAccess;
  v.xFullPathname = xFullPathname;
  v.xRandomness = xRandomness;
  v.xSleep = xSleep;
  v.xCurrentTime = xCurrentTime;
  v.xGetLastError = xGetLastError;
  const int rc = sqlite3_vfs_register(&v, 0);
  if (rc != SQLITE_OK) throw Error(ErrorCode::kStore, "cannot register SQLite VFS " + name);
  vfses.emplace(name, std::move(entry));
}

}  // namespace avatar_voice::store
