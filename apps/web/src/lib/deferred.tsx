import { Alert, Button } from '@mantine/core';
import { Component, lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A component a page does not need to draw itself (a dialog that a rare event opens), in its own
 * chunk: out of the page's first JavaScript, fetched once the page has loaded and the browser is
 * idle, so it is already here when the dialog opens (offline too) and was fetched before a new
 * release could replace the file. Render it only when it is to be shown. If its code cannot be
 * fetched even then, it says so in place with a retry: the page around it (and every answer on
 * it) stays.
 */
export function deferred<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const once = () =>
    (loading ??= load().catch((e: unknown) => {
      loading = undefined; // offline: the next attempt fetches again
      throw e;
    }));
  whenIdle(() => void once().catch(() => undefined));
  // React.lazy keeps a failed load for good: a retry needs a new lazy component.
  const make = () => lazy(() => once().then((component) => ({ default: component })));
  function Deferred(props: P) {
    const [Lazy, setLazy] = useState(make);
    return (
      <LoadBoundary onRetry={() => setLazy(make)}>
        <Suspense fallback={null}>
          <Lazy {...props} />
        </Suspense>
      </LoadBoundary>
    );
  }
  return Deferred;
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

class LoadBoundary extends Component<{ onRetry: () => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <LoadFailed
        onRetry={() => {
          this.props.onRetry();
          this.setState({ failed: false });
        }}
      />
    );
  }
}

function LoadFailed({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={t('app.partFailed')}>
      <Button size="compact-md" variant="light" mt="xs" onClick={onRetry}>
        {t('app.retry')}
      </Button>
    </Alert>
  );
}
