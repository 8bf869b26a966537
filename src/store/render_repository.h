// Rendered images of an avatar (thumbnails, frames), optionally tied to a session.
//
//   RenderRepository renders(db);
//   NewRender fields;
//   fields.avatarId = ada.id;
//   fields.kind = "thumbnail";
//   fields.mime = "image/png";
//   fields.width = fields.height = 256;
//   Render r = renders.create(fields, pngBytes);
//   std::vector<uint8_t> png = renders.getBytes(r.id);
//
// Borrows the Database, which must outlive it. create() copies the bytes into the database; rows
// returned by get/list carry the size but not the bytes. Unknown ids throw kNotFound.
#pragma once

#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

class RenderRepository {
 public:
  explicit RenderRepository(Database& db) : db_(db) {}

  Render create(const NewRender& fields, const std::vector<uint8_t>& bytes);
  Render get(int64_t id);
  std::vector<uint8_t> getBytes(int64_t id);
  std::vector<Render> list(const RenderFilter& filter = {});
  Render update(int64_t id, const RenderUpdate& update);
  void remove(int64_t id);
  int64_t count();

 private:
  Database& db_;
};

}  // namespace avatar_voice::store
