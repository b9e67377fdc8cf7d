import { type FormEvent, useId, useState } from 'react';
import { useAuth } from './auth.js';

/**
 * The form of SPEC §9, when no session cookie lets the console in: the token stays in this tab's
 * session storage only, and the user id goes with each write so the audit names the operator.
 */
export function SignInPage({ notice }: { notice?: string | undefined }) {
  const { signIn } = useAuth();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const tokenId = useId();
  const userId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const token = String(form.get('token') ?? '').trim();
    const adminUserId = String(form.get('adminUserId') ?? '').trim();
    setPending(true);
    const refused = await signIn(adminUserId ? { token, adminUserId } : { token });
    setPending(false);
    setRefusal(refused);
  }

  return (
    <main className="sign-in">
      <h1>Run Hub admin</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} aria-labelledby={`${tokenId}-title`}>
        <h2 id={`${tokenId}-title`}>Sign in</h2>
        <p className="hint">
          With the admin panel's session this page opens by itself. Otherwise use an admin token: one of <code>ADMIN_TOKEN</code>, or the one the server made in{' '}
          <code>.runhub/admin-token</code>. It is kept in this tab only.
        </p>
        <label htmlFor={tokenId}>Admin token</label>
        <input id={tokenId} name="token" type="password" required autoComplete="off" spellCheck={false} />
        <label htmlFor={userId}>
          Admin user id <span className="hint">(optional: names you in the audit log)</span>
        </label>
        <input id={userId} name="adminUserId" type="text" maxLength={256} autoComplete="username" />
        {refusal ? (
          <p className="error" role="alert">
            {refusal}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
