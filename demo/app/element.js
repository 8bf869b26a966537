// Builds DOM nodes from data. Text always goes in as text nodes (never parsed as HTML), so a
// user's answer or a voice's name can contain anything.
//   el('li', { className: 'item', dataset: { id: 3 } }, el('strong', {}, name), ' · ', size)

const SVG_NS = 'http://www.w3.org/2000/svg';

export function el(tag, props = {}, ...children) {
  return fill(document.createElement(tag), props, children);
}

/** An SVG element; `attrs` are set with setAttribute (SVG has no properties for most of them). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

function fill(node, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'attrs') for (const [name, v] of Object.entries(value)) node.setAttribute(name, String(v));
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  // Strings and numbers become text nodes through append().
  node.append(
    ...children
      .flat()
      .filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (typeof c === 'number' ? String(c) : c)),
  );
  return node;
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`demo markup is missing #${id}`);
  return node;
}
