// The History view: past sessions (newest first), each opening to its questions, answers,
// timings and replays; soft delete to "Recently deleted", restore, or remove for good.
import { byId, el } from './element.js';
import { describeError, formatDate } from './format.js';
import { checkedSession, invalidLabel } from './records.js';
import { buildSessionDetails, sessionSummary } from './session_details.js';
import { announce } from './status.js';

export class HistoryView {
  constructor(state) {
    this.state = state;
    state.on('sessions', () => this.refresh());
    state.on('data', () => this.refresh());
    state.on('avatars', () => this.refresh());
  }

  async refresh(openId = null) {
    const { store } = this.state;
    const [rows, avatars] = await Promise.all([
      store.sessions.list({ includeDeleted: true, limit: 1000 }),
      store.avatars.list({ limit: 1000 }),
    ]);
    const sessions = rows.map(checkedSession);
    const names = new Map(avatars.map((a) => [a.id, a.name]));
    const newestFirst = sessions.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    const live = newestFirst.filter((s) => s.deletedAt === null);
    const deleted = newestFirst.filter((s) => s.deletedAt !== null);
    byId('history-empty').hidden = live.length > 0;
    byId('trash-empty').hidden = deleted.length > 0;
    byId('history-list').replaceChildren(...live.map((s) => this.sessionItem(s, names.get(s.avatarId), s.id === openId)));
    byId('trash-list').replaceChildren(...deleted.map((s) => this.trashItem(s)));
  }

  sessionItem(session, avatarName, open) {
    const { status, text } = sessionSummary(session);
    const details = el(
      'details',
      { className: 'session-card', open },
      el(
        'summary',
        {},
        el('span', { className: 'session-title' }, session.title || 'Untitled session'),
        el('span', { className: 'badge badge-muted' }, status),
        invalidLabel(session) ? el('span', { className: 'badge badge-warn session-invalid' }, invalidLabel(session)) : null,
        el('span', { className: 'hint session-meta' }, `${formatDate(session.createdAt)} · ${avatarName ?? 'avatar removed'} · ${text}`),
      ),
    );
    // Built when first opened: a long history stays cheap.
    const fill = () => {
      if (details.open && details.childElementCount === 1) details.append(buildSessionDetails(this.state, session));
    };
    details.addEventListener('toggle', fill);
    if (open) fill();
    const remove = el(
      'button',
      {
        type: 'button',
        className: 'danger small',
        onclick: () => this.softDelete(session),
        attrs: { 'aria-label': `Delete ${session.title}` },
      },
      'Delete',
    );
    return el(
      'li',
      { className: 'session', dataset: { sessionId: session.id, ...(session.invalid.length && { invalid: 'true' }) } },
      details,
      el('div', { className: 'session-actions' }, remove),
    );
  }

  trashItem(session) {
    const purge = el(
      'button',
      { type: 'button', className: 'danger small', attrs: { 'aria-label': `Delete ${session.title} for good` } },
      'Delete for good',
    );
    // Two steps: the first click arms the button for a few seconds.
    purge.addEventListener('click', () => {
      if (purge.dataset.armed) return this.purge(session);
      purge.dataset.armed = 'true';
      purge.textContent = 'Click again to confirm';
      setTimeout(() => {
        delete purge.dataset.armed;
        purge.textContent = 'Delete for good';
      }, 4000);
    });
    return el(
      'li',
      { className: 'session is-deleted', dataset: { sessionId: session.id } },
      el(
        'div',
        { className: 'item-main' },
        el('strong', {}, session.title || 'Untitled session'),
        el('div', { className: 'hint' }, `Deleted ${formatDate(session.deletedAt)}`),
      ),
      el(
        'div',
        { className: 'session-actions' },
        el(
          'button',
          {
            type: 'button',
            className: 'secondary small',
            onclick: () => this.restore(session),
            attrs: { 'aria-label': `Restore ${session.title}` },
          },
          'Restore',
        ),
        purge,
      ),
    );
  }

  async softDelete(session) {
    await this.act(() => this.state.store.sessions.softDelete(session.id), `Moved “${session.title}” to Recently deleted.`);
  }

  async restore(session) {
    await this.act(() => this.state.store.sessions.restore(session.id), `Restored “${session.title}”.`);
  }

  async purge(session) {
    await this.act(() => this.state.store.sessions.purge(session.id), `Deleted “${session.title}” and its audio for good.`);
  }

  async act(change, message) {
    try {
      await change();
      await this.refresh();
      announce(message, 'success');
    } catch (error) {
      announce(describeError(error), 'error');
    }
  }
}
