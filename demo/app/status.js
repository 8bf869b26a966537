// The page's one live region: short announcements for screen readers and sighted users alike.
import { byId } from './element.js';

let clearTimer = null;

/** Shows `message` in the status bar; `kind` is "info", "success" or "error". */
export function announce(message, kind = 'info') {
  const node = byId('status');
  node.textContent = message;
  node.dataset.kind = kind;
  clearTimeout(clearTimer);
  if (kind === 'success')
    clearTimer = setTimeout(() => {
      if (node.dataset.kind === 'success') node.textContent = 'Ready.';
    }, 8000);
}
