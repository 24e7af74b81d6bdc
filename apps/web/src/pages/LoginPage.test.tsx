import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../app/providers';

const me = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'somchai@agency.go.th',
  displayName: 'สมชาย ใจดี',
  roles: ['coordinator'],
  agencyId: '00000000-0000-4000-8000-0000000000aa',
};

function problem(status: number, code: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ status, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

describe('the sign-in page', () => {
  it('says in Thai how long to wait after too many attempts, then returns to the deep link', async () => {
    const answers: Response[] = [
      problem(401, 'UNAUTHENTICATED'), // the restore: nobody signed in
      problem(429, 'RATE_LIMITED', { 'retry-after': '90' }),
      new Response(
        JSON.stringify({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 900, refreshToken: 'r', refreshExpiresIn: 1, user: me }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      ),
    ];
    const fetchMock = vi.fn((_input: RequestInfo | URL, _init?: RequestInit) =>
      Promise.resolve(answers.shift() ?? problem(404, 'NOT_FOUND')),
    );
    vi.stubGlobal('fetch', fetchMock);
    window.history.pushState({}, '', '/cycles/2565/response');

    render(<App />);
    // The guard sent the visitor to sign in, keeping where they were going.
    const email = await screen.findByLabelText(/อีเมล/);
    expect(window.location.pathname + window.location.search).toBe('/login?redirect=%2Fcycles%2F2565%2Fresponse');

    const user = userEvent.setup();
    await user.type(email, me.email);
    await user.type(screen.getByLabelText(/รหัสผ่าน/), 'a-long-passphrase');
    await user.click(screen.getByRole('button', { name: 'เข้าสู่ระบบ' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('โปรดรอ 1 นาที 30 วินาทีแล้วลองใหม่');

    await user.click(screen.getByRole('button', { name: 'เข้าสู่ระบบ' }));
    await waitFor(() => expect(window.location.pathname).toBe('/cycles/2565/response'));
    expect(await screen.findByTestId('signed-in-user')).toHaveTextContent('สมชาย ใจดี');
    const login = fetchMock.mock.calls.find(([url]) => String(url as string).endsWith('/auth/login'));
    expect(JSON.parse(login?.[1]?.body as string)).toEqual({ email: me.email, password: 'a-long-passphrase' });
  });
});
