// Sessions of an avatar (an interview, a rehearsal, ...), soft-deleted before they are purged.
//
//   SessionRepository sessions(db);
//   NewSession fields;
//   fields.avatarId = ada.id;
//   fields.kind = "interview";
//   Session s = sessions.create(fields);
//   sessions.softDelete(s.id);   // hidden from list(), kept with its audios and renders
//   sessions.restore(s.id);      // back
//   sessions.purge(s.id);        // gone, with its audios (and their phonemes) and renders
//
// Borrows the Database, which must outlive it. get() returns a soft-deleted session too (with
// deletedAt set) so that it can be shown in a trash view and restored; update() and attaching new
// audios/renders need a live session (kNotFound otherwise). Unknown ids throw kNotFound.
#pragma once

#include <optional>
#include <vector>

#include "store/database.h"
#include "store/entities.h"

namespace avatar_voice::store {

class SessionRepository {
 public:
  explicit SessionRepository(Database& db) : db_(db) {}

  Session create(const NewSession& fields);
  Session get(int64_t id);
  // The session if it exists and is not soft-deleted; kNotFound otherwise.
  Session getLive(int64_t id);
  std::vector<Session> list(const SessionFilter& filter = {});
  Session update(int64_t id, const SessionUpdate& update);
  // Idempotent: a session deleted twice keeps its first deletedAt.
  Session softDelete(int64_t id);
  // Idempotent: restoring a live session is a no-op.
  Session restore(int64_t id);
  // Hard delete, live or soft-deleted; cascades to the session's audios, phonemes and renders.
  void purge(int64_t id);
  int64_t count(bool includeDeleted = false);

  // For rows created inside a session (audios, renders): throws kNotFound if the avatar does not
  // exist or the session does not exist or is soft-deleted, kConstraint if the session belongs to
  // another avatar. Either id may be absent.
  void checkAttachable(const std::optional<int64_t>& avatarId,
                       const std::optional<int64_t>& sessionId);

 private:
  Database& db_;
};

}  // namespace avatar_voice::store
