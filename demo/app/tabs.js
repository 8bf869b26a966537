// Accessible tabs (WAI-ARIA pattern): arrow keys, Home/End move between tabs, only the selected
// tab is in the tab order, and the panel of the selected tab is the only one shown.
import { byId } from './element.js';

export class Tabs {
  constructor(tablist) {
    this.tabs = [...tablist.querySelectorAll('[role="tab"]')];
    this.listeners = new Set();
    for (const tab of this.tabs) {
      tab.addEventListener('click', () => this.select(tab.id));
      tab.addEventListener('keydown', (event) => this.onKey(event, tab));
    }
    // Any element with data-go-tab="tab-id" jumps to that tab.
    document.addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target.closest('[data-go-tab]') : null;
      if (target) this.select(target.dataset.goTab, { focus: true });
    });
  }

  get selected() {
    return this.tabs.find((t) => t.getAttribute('aria-selected') === 'true')?.id;
  }

  /** Calls `fn(tabId)` whenever a tab is shown. */
  onSelect(fn) {
    this.listeners.add(fn);
  }

  select(id, { focus = false } = {}) {
    for (const tab of this.tabs) {
      const on = tab.id === id;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      byId(tab.getAttribute('aria-controls')).hidden = !on;
      if (on && focus) tab.focus();
    }
    for (const fn of this.listeners) fn(id);
  }

  onKey(event, tab) {
    const i = this.tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: this.tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.select(this.tabs[(next + this.tabs.length) % this.tabs.length].id, { focus: true });
  }
}
