import { useEffect } from 'react';
import i18n from '../i18n';

/** Sets the tab's title: "<page> · <portal name>" (WCAG 2.4.2, and the browser history reads better). */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    const app = i18n.t('app.name');
    document.title = title ? `${title} · ${app}` : app;
  }, [title]);
}
