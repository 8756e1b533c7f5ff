/** A tiny DOM builder for the browser apps: no framework, no innerHTML (no injection). */

type Child = Node | string | number | null | undefined | false | Child[];
export type Props = Record<string, unknown> & { class?: string; text?: string; testid?: string; dataset?: Record<string, string | number> };

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'type', 'placeholder', 'min', 'max', 'step', 'autocomplete', 'name', 'title', 'href', 'htmlFor', 'id', 'required', 'minLength', 'maxLength']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'testid') el.setAttribute('data-testid', String(value));
    else if (key === 'dataset') for (const [k, v] of Object.entries(value as Record<string, unknown>)) el.dataset[k] = String(v);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    else if (PROPERTIES.has(key)) (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: SVGElement[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(c);
  return el;
}

/** Money for display (integer minor units → "€12.50"); never used for arithmetic. */
export function money(minor: number, currency = 'EUR'): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const major = `${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
  const symbol = ({ EUR: '€', GBP: '£', USD: '$' } as Record<string, string>)[currency];
  return symbol ? `${sign}${symbol}${major}` : `${sign}${major} ${currency}`;
}

/** "12.50" typed by a player → 1250 minor units; null when not a positive amount with ≤ 2 decimals. */
export function parseMajor(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return minor > 0 ? minor : null;
}

export function time(at: number | string): string {
  return new Date(at).toLocaleTimeString('en-GB');
}

export function dateTime(at: number | string): string {
  const d = new Date(at);
  return `${d.toLocaleDateString('en-GB')} ${d.toLocaleTimeString('en-GB')}`;
}

/** Ids the server accepts for bets and idempotency keys: [A-Za-z0-9_.:-], from a CSPRNG. */
export function randomId(prefix = ''): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

let toastTimer: ReturnType<typeof setTimeout> | null = null;
export function toast(message: string, kind: 'info' | 'error' | 'ok' = 'info'): void {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(el);
  }
  el.textContent = message;
  el.className = `toast show ${kind}`;
  if (toastTimer) clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el!.classList.remove('show'), 4000);
}
