#include "store/asset_repository.h"

#include "text/unicode_nfd.h"

#include "store/column_values.h"
#include "store/config_repository.h"
#include "store/queries.h"
#include "store/sha256.h"

namespace avatar_voice::store {
namespace {

constexpr const char* kColumns = "id, name, mime, size, sha256, created_at, updated_at";

Asset readAsset(const Statement& row) {
  Asset asset;
  asset.id = row.columnInt64(0);
  asset.name = row.columnText(1);
  asset.mime = row.columnText(2);
  asset.size = row.columnInt64(3);
  asset.sha256 = row.columnText(4);
  asset.createdAt = row.columnInt64(5);
  asset.updatedAt = row.columnInt64(6);
  return asset;
}

std::string notFound(int64_t id) { return "asset " + std::to_string(id) + " not found"; }

void checkName(const std::string& name) {
  if (!isSafeAssetName(name)) {
    throw Error(ErrorCode::kInvalidArgument,
                "asset name '" + name +
                    "' is not a plain file name (1..255 bytes, no path "
                    "separator, control character or :*?\"<>|, no leading dot)");
  }
}

}  // namespace

bool isSafeAssetName(std::string_view name) {
  if (name.empty() || name.size() > 255 || !isValidUtf8(name)) return false;
  if (name.front() == '.' || name.back() == '.' || name.back() == ' ') return false;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
    if (std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos) return false;
  }
  return true;
}

void AssetRepository::checkSize(size_t size) {
  const int64_t limit = ConfigRepository(db_).getInt64("assets.maxBytes");
  if (static_cast<uint64_t>(size) > static_cast<uint64_t>(limit)) {
    throw Error(ErrorCode::kConstraint,
                "asset is " + std::to_string(size) +
                    " bytes, over the limit assets.maxBytes = " + std::to_string(limit));
  }
}

Asset AssetRepository::create(const std::string& name, const std::string& mime,
                              const std::vector<uint8_t>& bytes) {
  checkName(name);
  requireText(mime, "mime");
  return db_.transaction([&] {
    checkSize(bytes.size());
    const int64_t now = db_.nowMs();
    Statement insert = db_.prepare(
        std::string("INSERT INTO assets(name, mime, size, bytes, sha256, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ") +
        kColumns);
    insert.bindText(1, name).bindText(2, mime).bindInt64(3, static_cast<int64_t>(bytes.size()));
    insert.bindBlob(4, bytes).bindText(5, sha256Hex(bytes.data(), bytes.size()));
    insert.bindInt64(6, now).bindInt64(7, now);
    insert.step();
    Asset asset = readAsset(insert);
    insert.run();
    return asset;
  });
}

Asset AssetRepository::get(int64_t id) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM assets WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return readAsset(select);
}

std::optional<Asset> AssetRepository::findByName(const std::string& name) {
  Statement select = db_.prepare(std::string("SELECT ") + kColumns + " FROM assets WHERE name = ?");
  select.bindText(1, name);
  if (!select.step()) return std::nullopt;
  return readAsset(select);
}

std::vector<uint8_t> AssetRepository::getBytes(int64_t id) {
  Statement select = db_.prepare("SELECT bytes FROM assets WHERE id = ?");
  select.bindInt64(1, id);
  if (!select.step()) throw Error(ErrorCode::kNotFound, notFound(id));
  return select.columnBlob(0);
}

std::vector<Asset> AssetRepository::list(const Page& page) {
  Statement select =
      ListQuery(std::string("SELECT ") + kColumns + " FROM assets").prepare(db_, page);
  std::vector<Asset> assets;
  while (select.step()) assets.push_back(readAsset(select));
  return assets;
}

Asset AssetRepository::update(int64_t id, const AssetUpdate& update) {
  UpdateQuery query("assets");
  if (update.name) {
    checkName(*update.name);
    query.set("name = ?", *update.name);
  }
  if (update.mime) {
    requireText(*update.mime, "mime");
    query.set("mime = ?", *update.mime);
  }
  if (query.empty()) return get(id);
  query.set("updated_at = ?", db_.nowMs());
  return query.run(db_, id, kColumns, notFound(id), readAsset);
}

Asset AssetRepository::replaceBytes(int64_t id, const std::vector<uint8_t>& bytes) {
  return db_.transaction([&] {
    checkSize(bytes.size());
    Statement write =
        db_.prepare(std::string("UPDATE assets SET bytes = ?, size = ?, sha256 = ?, updated_at = ?"
                                " WHERE id = ? RETURNING ") +
                    kColumns);
    write.bindBlob(1, bytes).bindInt64(2, static_cast<int64_t>(bytes.size()));
    write.bindText(3, sha256Hex(bytes.data(), bytes.size())).bindInt64(4, db_.nowMs());
    write.bindInt64(5, id);
    if (!write.step()) throw Error(ErrorCode::kNotFound, notFound(id));
    Asset asset = readAsset(write);
    write.run();
    return asset;
  });
}

void AssetRepository::remove(int64_t id) {
  Statement remove = db_.prepare("DELETE FROM assets WHERE id = ?");
  remove.bindInt64(1, id).run();
  if (db_.changes() == 0) throw Error(ErrorCode::kNotFound, notFound(id));
}

int64_t AssetRepository::count() { return db_.queryInt64("SELECT count(*) FROM assets"); }

}  // namespace avatar_voice::store
