// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_KEY, clearCredentials, credentialHeaders, loadCredentials, saveCredentials } from './credentials.js';

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe('the console credentials', () => {
  it('keep the token in the tab session storage only: never local storage, a cookie or the URL', () => {
    const before = window.location.href;
    saveCredentials({ token: 'secret-token-0123456789', adminUserId: 'ops-7' });
    expect(sessionStorage.getItem(CREDENTIALS_KEY)).toContain('secret-token-0123456789');
    expect(localStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    expect(window.location.href).toBe(before);
    expect(loadCredentials()).toEqual({ token: 'secret-token-0123456789', adminUserId: 'ops-7' });
  });

  it('are gone after sign-out', () => {
    saveCredentials({ token: 'secret-token-0123456789' });
    clearCredentials();
    expect(loadCredentials()).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it('read nothing from a damaged entry', () => {
    for (const text of ['not json', '42', 'null', '{"token":""}', '{"token":7}']) {
      sessionStorage.setItem(CREDENTIALS_KEY, text);
      expect(loadCredentials(), text).toBeNull();
    }
    sessionStorage.setItem(CREDENTIALS_KEY, '{"token":"t-0123456789abcdef","adminUserId":""}');
    expect(loadCredentials()).toEqual({ token: 't-0123456789abcdef' });
  });

  it('become the SDK headers: the token, and the user id for the audit; none with the session cookie', () => {
    expect(credentialHeaders({ token: 'tok', adminUserId: 'ops-7' })).toEqual({ 'x-sheen-admin-token': 'tok', 'x-sheen-admin-user-id': 'ops-7' });
    expect(credentialHeaders({ token: 'tok' })).toEqual({ 'x-sheen-admin-token': 'tok' });
    expect(credentialHeaders(null)).toEqual({});
  });
});
