import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { Me } from '@dg/contracts';
import { api } from '../api/client';
import { ApiProblem } from '../api/problem';
import { ProblemAlert } from '../components/ProblemAlert';

export interface PendingReauth {
  user: Me;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The sign-in dialog the API client opens when a session ends under a page: the page stays as it
 * is (every edit with it), and the requests that met the 401 continue once the person signs in.
 * Signing out from here gives up those requests; the page then goes to the sign-in page.
 */
export function ReauthDialog({ pending }: { pending: PendingReauth }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<{ email: string; password: string }>({
    defaultValues: { email: pending.user.email, password: '' },
  });

  const submit = form.handleSubmit(async ({ email, password }) => {
    setError(null);
    try {
      await api.login(email, password);
      pending.resolve();
    } catch (e) {
      setError(e);
      form.setFocus('password');
    }
  });

  const giveUp = async () => {
    pending.reject(new ApiProblem({ status: 401, code: 'UNAUTHENTICATED' }));
    await api.logout();
    const here = window.location.pathname + window.location.search;
    window.location.assign(`/login?redirect=${encodeURIComponent(here)}`);
  };

  return (
    <Modal
      opened
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title={t('auth.reauthTitle')}
      centered
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text>{t('auth.reauthText')}</Text>
          <div aria-live="assertive">{error ? <ProblemAlert error={error} title={t('auth.failed')} /> : null}</div>
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            {...form.register('email', { required: true })}
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            data-autofocus
            {...form.register('password', { required: true })}
          />
          <Text size="sm" c="dimmed">
            {t('auth.reauthOther')}
          </Text>
          <Group justify="space-between">
            <Button variant="subtle" onClick={() => void giveUp()}>
              {t('auth.signOut')}
            </Button>
            <Button type="submit" loading={form.formState.isSubmitting}>
              {t('auth.signIn')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
