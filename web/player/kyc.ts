/**
 * Identity verification on the cashier page (withdrawals need it): the status, and a form that
 * sends the identity with one document (a photo or PDF of an ID) to `POST /kyc/documents`.
 */
import { api, ApiError, describeError } from '../shared/api.ts';
import { h, mount, toast } from '../shared/dom.ts';

interface KycView { status: string; reason: string | null; submissions: number; expiresAt: number | null }

export function kycCard(token: string): HTMLElement {
  const status = h('p', { testid: 'kyc-status' }, '…');
  const fullName = h('input', { testid: 'kyc-name', placeholder: 'full name', 'aria-label': 'full name' });
  const dob = h('input', { testid: 'kyc-dob', type: 'date', 'aria-label': 'date of birth' });
  const country = h('input', { testid: 'kyc-country', placeholder: 'GB', maxLength: 2, 'aria-label': 'country' });
  const docNumber = h('input', { testid: 'kyc-doc-number', placeholder: 'document number', 'aria-label': 'document number' });
  const file = h('input', { testid: 'kyc-file', type: 'file', accept: 'image/jpeg,image/png,application/pdf', 'aria-label': 'document' });
  const send = h('button', { testid: 'kyc-submit' }, 'Verify my identity');
  const form = h('div', null, fullName, dob, country, docNumber, file, send);
  const card = h('section', { class: 'card', testid: 'kyc' }, h('h3', null, 'Identity'), status, form);

  const show = (v: KycView) => {
    mount(status, `Identity: ${v.status}${v.reason ? ` (${v.reason})` : ''}`);
    status.dataset.status = v.status;
    form.hidden = v.status === 'verified' || v.status === 'pending';
  };
  const refresh = () => api<KycView>('GET', '/kyc', { token }).then(show, () => undefined);
  send.addEventListener('click', () => {
    const doc = file.files?.[0];
    if (!doc) return toast('Choose a photo or PDF of your ID', 'error');
    const query = new URLSearchParams({ fullName: fullName.value.trim(), dateOfBirth: dob.value, country: country.value.trim().toUpperCase(), documentNumber: docNumber.value.trim() });
    send.disabled = true;
    fetch(`/kyc/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': doc.type }, body: doc })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'http/error', body?.error?.message ?? `failed (${res.status})`);
        show(body as KycView);
        toast(`Identity ${(body as KycView).status}`, (body as KycView).status === 'verified' ? 'ok' : 'error');
      })
      .catch((e) => toast(describeError(e), 'error'))
      .finally(() => (send.disabled = false));
  });
  void refresh();
  return card;
}
