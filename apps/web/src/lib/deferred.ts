import { lazy, type ComponentType } from 'react';

/**
 * A component a page does not need to draw itself (a dialog that a rare event opens), in its own
 * chunk: out of the page's first JavaScript, fetched once the page has loaded and the browser is
 * idle, so it is already here when the dialog opens (offline too) and was fetched before a new
 * release could replace the file. Render it only when it is to be shown, inside `<Suspense>`.
 */
export function deferred<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const once = () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined; // offline: the next attempt (or the render) tries again
      throw e;
    }));
  whenIdle(() => void once().catch(() => undefined));
  return lazy(() => once().then((component) => ({ default: component })));
}

/** Two seconds after the page is up (its own data first), then at the browser's next idle moment. */
function whenIdle(run: () => void): void {
  if (typeof window === 'undefined') return;
  const idle = () =>
    typeof window.requestIdleCallback === 'function'
      ? window.requestIdleCallback(run, { timeout: 5000 })
      : run();
  const later = () => setTimeout(idle, 2000);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}
