// Assets: user-supplied files (backgrounds, textures, ...) stored by a safe file name, with their
// size and SHA-256, up to the configured size limit (config "assets.maxBytes").
//
//   AssetRepository assets(db);
//   Asset bg = assets.create("studio.png", "image/png", pngBytes);
//   std::vector<uint8_t> png = assets.getBytes(bg.id);
//
// Borrows the Database, which must outlive it. create()/replaceBytes() copy the bytes into the
// database. A name that is not a plain file name is kInvalidArgument (see isSafeAssetName), a
// taken name or bytes over the limit kConstraint, an unknown id kNotFound.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

// 1..255 bytes of UTF-8; no '/', '\\', control character or any of  : * ? " < > |  ; not starting
// with '.' and not ending with '.' or a space. Such a name can become a download file name or an
// OPFS entry on any platform without being a path.
bool isSafeAssetName(std::string_view name);

class AssetRepository {
 public:
  explicit AssetRepository(Database& db) : db_(db) {}

  Asset create(const std::string& name, const std::string& mime, const std::vector<uint8_t>& bytes);
  Asset get(int64_t id);
  std::optional<Asset> findByName(const std::string& name);
  std::vector<uint8_t> getBytes(int64_t id);
  std::vector<Asset> list(const Page& page = {});
  Asset update(int64_t id, const AssetUpdate& update);
  Asset replaceBytes(int64_t id, const std::vector<uint8_t>& bytes);
  void remove(int64_t id);
  int64_t count();

 private:
  void checkSize(size_t size);

  Database& db_;
};

}  // namespace avatar_voice::store
