import { Anchor, Box, Button, Container, Group, Text } from '@mantine/core';
import { Outlet, useNavigate, useRouter, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { setLang, useLang } from '../i18n';
import { ReauthHost } from './ReauthHost';
import { AnchorLink, ButtonLink } from '../components/links';

/**
 * The frame of every page: skip link, header (portal name, language, who is signed in), one
 * <main> landmark, footer. After a navigation, focus moves to the new page's heading so screen
 * reader and keyboard users start at the top of what changed.
 */
export function AppLayout() {
  const { t } = useTranslation();
  const lang = useLang();
  const { status, user } = useSession();
  const navigate = useNavigate();
  const router = useRouter();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = mainRef.current;
    if (!main) return;
    // Wait for the lazily loaded page to render its heading.
    const id = window.setTimeout(() => {
      const h1 = main.querySelector('h1');
      const target: HTMLElement = h1 ?? main;
      if (target === h1) h1.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    }, 50);
    return () => window.clearTimeout(id);
  }, [pathname]);

  const signOut = async () => {
    await api.logout();
    router.options.context.queryClient.clear();
    await navigate({ to: '/' });
  };

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', minHeight: '100dvh' }}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Box component="header" className="no-print" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg">
          <Group justify="space-between" gap="xs" wrap="wrap">
            <AnchorLink to="/" fw={700} size="lg" c="blue.9" underline="never">
              {t('app.name')}
            </AnchorLink>
            <Group gap="xs" wrap="wrap">
              <Button
                variant="subtle"
                size="compact-md"
                lang={lang === 'th' ? 'en' : 'th'}
                aria-label={t('app.switchToLabel')}
                onClick={() => void setLang(lang === 'th' ? 'en' : 'th')}
              >
                {t('app.switchTo')}
              </Button>
              {status === 'signed-in' && user ? (
                <>
                  <Text size="sm" data-testid="signed-in-user">
                    {t('auth.signedInAs', { name: user.displayName })}
                  </Text>
                  <Button variant="outline" size="compact-md" onClick={() => void signOut()}>
                    {t('auth.signOut')}
                  </Button>
                </>
              ) : status === 'signed-out' && pathname !== '/login' ? (
                <ButtonLink to="/login" size="compact-md">
                  {t('auth.signIn')}
                </ButtonLink>
              ) : null}
            </Group>
          </Group>
        </Container>
      </Box>
      <Box component="main" id="main" ref={mainRef} tabIndex={-1} py="lg" style={{ flex: 1 }}>
        <Outlet />
      </Box>
      <Box component="footer" className="no-print" py="md" bg="gray.0" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg">
          <Text size="sm">{t('app.org')}</Text>
          <Text size="sm" c="dimmed">
            {t('app.footer')}
          </Text>
          <Anchor href="/docs" size="sm">
            {t('app.apiDocs')}
          </Anchor>
        </Container>
      </Box>
      <ReauthHost />
    </Box>
  );
}
