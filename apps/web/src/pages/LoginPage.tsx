import { Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ProblemAlert } from '../components/ProblemAlert';
import { usePageTitle } from '../lib/title';
import { AnchorLink } from '../components/links';

const route = getRouteApi('/login');

interface LoginForm {
  email: string;
  password: string;
}

/** Sign-in, Thai first. After it, back to the address that asked for it (`?redirect=`). */
export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('auth.signIn'));
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<LoginForm>({ defaultValues: { email: '', password: '' } });

  const submit = handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      await api.login(email, password);
      await navigate({ href: redirect ?? '/', replace: true });
    } catch (e) {
      setError(e);
      setFocus('password');
    }
  });

  return (
    <Container size={460}>
      <Stack>
        <Title order={1}>{t('auth.signIn')}</Title>
        <Text>{t('auth.intro')}</Text>
        <Paper withBorder p="lg" radius="md">
          <form onSubmit={submit} noValidate aria-describedby={error ? 'login-error' : undefined}>
            <Stack>
              <div id="login-error" aria-live="assertive">
                {error ? <ProblemAlert error={error} title={t('auth.failed')} /> : null}
              </div>
              <TextInput
                label={t('auth.email')}
                type="email"
                autoComplete="username"
                inputMode="email"
                required
                error={errors.email?.message}
                {...register('email', { required: t('auth.emailRequired') })}
              />
              <PasswordInput
                label={t('auth.password')}
                autoComplete="current-password"
                required
                error={errors.password?.message}
                {...register('password', { required: t('auth.passwordRequired') })}
              />
              <Button type="submit" loading={isSubmitting} loaderProps={{ 'aria-label': t('auth.signingIn') }}>
                {t('auth.signIn')}
              </Button>
              <AnchorLink to="/forgot-password">
                {t('auth.forgot')}
              </AnchorLink>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Container>
  );
}
