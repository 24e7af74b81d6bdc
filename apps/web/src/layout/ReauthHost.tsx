import { lazy, Suspense, useEffect, useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import type { PendingReauth } from './ReauthDialog';

// The dialog's code (form, modal) is not part of the first load: it is fetched once someone is
// signed in, while the browser is idle, so it is there when a session lapses.
const loadDialog = () => import('./ReauthDialog');
const ReauthDialog = lazy(() => loadDialog().then((m) => ({ default: m.ReauthDialog })));

/**
 * Registers the sign-in-again handler with the API client: a request that meets a 401 the
 * refresh cannot cure waits on the promise this hands out, which the dialog settles.
 */
export function ReauthHost() {
  const [pending, setPending] = useState<PendingReauth | null>(null);
  const { status } = useSession();

  useEffect(
    () =>
      api.setReauthHandler(
        (user) =>
          new Promise<void>((resolve, reject) => {
            setPending({
              user,
              resolve: () => {
                setPending(null);
                resolve();
              },
              reject: (e) => {
                setPending(null);
                reject(e instanceof Error ? e : new Error(String(e)));
              },
            });
          }),
      ),
    [],
  );

  useEffect(() => {
    if (status !== 'signed-in') return;
    const preload = () => void loadDialog();
    if ('requestIdleCallback' in window) window.requestIdleCallback(preload);
    else setTimeout(preload, 2000);
  }, [status]);

  if (!pending) return null;
  return (
    <Suspense fallback={null}>
      <ReauthDialog pending={pending} />
    </Suspense>
  );
}
