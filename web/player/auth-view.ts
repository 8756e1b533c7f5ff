/** Sign up and log in. */
import { api, describeError, deviceId } from '../shared/api.ts';
import { h, mount } from '../shared/dom.ts';
import type { Session } from './session.ts';

function deviceHeader(): Record<string, string> {
  const id = deviceId();
  return id ? { 'x-device-id': id } : {};
}

export function authView(root: HTMLElement, onSession: (s: Session) => void, opts: { title?: string; allowSignup?: boolean; roles?: string[] } = {}): () => void {
  const allowSignup = opts.allowSignup ?? true;
  const error = h('p', { class: 'error', testid: 'auth-error', role: 'alert' });
  const username = h('input', { name: 'username', autocomplete: 'username', placeholder: 'username', required: true, minLength: 3, maxLength: 32, testid: 'auth-username' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', placeholder: 'password', required: true, minLength: 8, maxLength: 128, testid: 'auth-password' });
  const submit = async (path: '/auth/login' | '/auth/register') => {
    error.textContent = '';
    try {
      const res = await api<{ userId: string; token: string; role: string }>('POST', path, { body: { username: username.value.trim(), password: password.value }, headers: deviceHeader() });
      if (opts.roles && !opts.roles.includes(res.role)) {
        error.textContent = `this account (${res.role}) cannot use this console`;
        return;
      }
      onSession({ userId: res.userId, username: username.value.trim(), role: res.role, token: res.token });
    } catch (e) {
      error.textContent = describeError(e);
    }
  };
  const form = h('form', { class: 'card auth', onsubmit: (e: Event) => (e.preventDefault(), void submit('/auth/login')) },
    h('h1', null, opts.title ?? 'Casino Live'),
    allowSignup ? h('p', { class: 'muted' }, 'New here? Pick a username and password and sign up: you get a demo balance to play with.') : null,
    h('label', null, 'Username', username),
    h('label', null, 'Password', password),
    allowSignup ? h('p', { class: 'hint' }, 'Password: 8+ characters with a letter and a digit.') : null,
    error,
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary', testid: 'login' }, 'Log in'),
      allowSignup ? h('button', { type: 'button', testid: 'signup', onclick: () => void submit('/auth/register') }, 'Sign up') : null,
    ),
  );
  mount(root, h('main', { class: 'center' }, form));
  username.focus();
  return () => undefined;
}
