import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { ApiProvider } from '../api/ApiContext';
import { ApiClient, type Prefetched } from '../api/client';
import { configurePrefetch, prefetch, prefetched, prefetchesSettled } from '../api/prefetch';
import { AuthProvider, useAuth } from '../auth/AuthContext';
import { parseConfig } from '../config';
import { MessageGroupNewPage } from '../pages/MessageGroupNewPage';
import { MessageGroupPage } from '../pages/MessageGroupPage';
import { MessagesIndex, MessagesLayout } from '../pages/MessagesLayout';

vi.mock('../auth/amplify', () => ({ getAccessToken: async () => 'tok', currentUser: async () => null, doSignOut: async () => undefined }));

const G1 = '11111111-1111-4111-8111-111111111111';
const now = new Date().toISOString().replace('Z', '000+00:00');
const me = { sub: 's', display_name: 'Londo', handle: 'londo', email: 'l@x' };

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function renderAt(path: string, handler: Handler, options: { prefetched?: Prefetched } = {}) {
  const fetchImpl = (async (u: string, init: RequestInit) => handler(new URL(u, 'http://api.test'), init)) as unknown as typeof fetch;
  const api = new ApiClient({ baseUrl: 'http://api.test', getToken: async () => 'tok', fetch: fetchImpl, prefetched: options.prefetched });
  const router = createMemoryRouter(
    [
      {
        path: '/messages',
        element: <MessagesLayout />,
        children: [
          { index: true, element: <MessagesIndex /> },
          { path: 'new/:handle', element: <MessageGroupNewPage /> },
          { path: ':message_group_uuid', element: <MessageGroupPage /> },
        ],
      },
    ],
    { initialEntries: [path], future: { v7_relativeSplatPath: true, v7_fetcherPersist: true, v7_normalizeFormMethod: true, v7_partialHydration: true, v7_skipActionErrorRevalidation: true } },
  );
  render(
    <AuthProvider loadUser={async () => me}>
      <ApiProvider api={api} config={parseConfig({ userPoolId: 'us-east-1_x', userPoolClientId: 'c', apiUrl: 'http://api.test' })}>
        <RouterProvider router={router} future={{ v7_startTransition: true }} />
      </ApiProvider>
    </AuthProvider>,
  );
  return router;
}

const group = { uuid: G1, handle: 'bayko', display_name: 'Bayko', message: 'last', created_at: now };
const msg = (uuid: string, handle: string, text: string) => ({ uuid, handle, display_name: handle, message: text, created_at: now });

beforeEach(() => {
  // The live stream: this server has none (polling, every 5 s: longer than a test).
  vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
});
afterEach(() => vi.unstubAllGlobals());

describe('messages pages', () => {
  it('opens a conversation, sends, appends the answer and moves the conversation up', async () => {
    const posts: unknown[] = [];
    renderAt(`/messages/${G1}`, (url, init) => {
      if (url.pathname === '/api/message_groups') return json(200, [{ ...group, uuid: 'other', handle: 'vir', display_name: 'Vir' }, { ...group, created_at: '2020-01-01T00:00:00.000000+00:00' }]);
      if (url.pathname === `/api/messages/${G1}`) return json(200, [msg('m1', 'bayko', 'Hello Londo')]);
      if (url.pathname === '/api/messages' && init.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        return json(200, { ...msg('m2', 'londo', 'Hi Bayko'), message_group_uuid: G1 });
      }
      return json(404, { errors: ['not_found'] });
    });
    expect(await screen.findByText('Hello Londo')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message @bayko'), 'Hi Bayko');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Hi Bayko', { selector: '.text' })).toBeInTheDocument();
    expect(posts).toEqual([{ message: 'Hi Bayko', message_group_uuid: G1 }]);
    const items = within(screen.getByRole('navigation', { name: 'Conversations' })).getAllByRole('link');
    expect(items[0]).toHaveAttribute('aria-current', 'page');
    expect(items[0]).toHaveTextContent('Hi Bayko');
    expect(screen.getByLabelText('Message @bayko')).toHaveValue('');
  });

  it('opens a conversation clicked in the list', async () => {
    const router = renderAt('/messages', (url) => {
      if (url.pathname === '/api/message_groups') return json(200, [group]);
      if (url.pathname === `/api/messages/${G1}`) return json(200, [msg('m1', 'bayko', 'Hello Londo')]);
      return json(404, {});
    });
    await userEvent.setup().click(await screen.findByRole('link', { name: /Bayko/ }));
    expect(router.state.location.pathname).toBe(`/messages/${G1}`);
    expect(await screen.findByText('Hello Londo')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Bayko/ })).toHaveAttribute('aria-current', 'page');
  });

  it('shows prefetched pages from the first render: no loading state, no request of its own', async () => {
    const requests: string[] = [];
    const handler: Handler = (url) => {
      requests.push(url.pathname);
      if (url.pathname === '/api/message_groups') return json(200, [group]);
      if (url.pathname === `/api/messages/${G1}`) return json(200, [msg('m1', 'bayko', 'Already here')]);
      return json(404, {});
    };
    configurePrefetch({
      baseUrl: 'http://api.test',
      token: () => 'tok',
      fetch: (async (u: string, init: RequestInit) => handler(new URL(u), init)) as unknown as typeof fetch,
    });
    prefetch('/api/message_groups');
    prefetch(`/api/messages/${G1}`);
    await prefetchesSettled(1000);
    expect(requests).toEqual(['/api/message_groups', `/api/messages/${G1}`]);
    renderAt(`/messages/${G1}`, handler, { prefetched });
    expect(screen.getByText('Already here')).toBeInTheDocument(); // synchronously, in the first render
    expect(screen.queryByText('Loading messages…')).toBeNull();
    expect(within(screen.getByRole('navigation', { name: 'Conversations' })).getByText('Bayko')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Message @bayko')).toBeEnabled());
    expect(requests).toEqual(['/api/message_groups', `/api/messages/${G1}`]); // nothing asked again
  });

  it('shows "conversation not found" on 404', async () => {
    renderAt('/messages/22222222-2222-4222-8222-222222222222', (url) =>
      url.pathname === '/api/message_groups' ? json(200, []) : json(404, { errors: ['message_group_not_found'] }),
    );
    expect(await screen.findByRole('heading', { name: 'Conversation not found' })).toBeInTheDocument();
  });

  it('offers a retry when the server cannot be reached', async () => {
    let down = true;
    renderAt(`/messages/${G1}`, (url) => {
      if (url.pathname === '/api/message_groups') return json(200, [group]);
      if (down) throw new TypeError('Failed to fetch');
      return json(200, [msg('m1', 'bayko', 'Back again')]);
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("can't be reached");
    down = false;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Back again')).toBeInTheDocument();
  });

  it('loads older messages with the cursor, above the loaded ones', async () => {
    renderAt(`/messages/${G1}`, (url) => {
      if (url.pathname === '/api/message_groups') return json(200, [group]);
      if (url.searchParams.get('cursor') === 'older') return json(200, [msg('m0', 'bayko', 'First ever')]);
      return json(200, [msg('m1', 'bayko', 'Newer')], { 'X-Next-Cursor': 'older' });
    });
    await screen.findByText('Newer');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load older messages' }));
    await screen.findByText('First ever');
    const texts = [...document.querySelectorAll('.message .text')].map((e) => e.textContent);
    expect(texts).toEqual(['First ever', 'Newer']);
    expect(screen.getByText('This is the start of the conversation.')).toBeInTheDocument();
  });

  it('/messages/new/:handle goes to the existing conversation named by the API', async () => {
    const router = renderAt('/messages/new/bayko', (url) => {
      if (url.pathname === '/api/message_groups') return json(200, []);
      if (url.pathname === '/api/users/@bayko/short') return json(200, { uuid: 'u', handle: 'bayko', display_name: 'Bayko', message_group_uuid: G1 });
      return json(200, []);
    });
    await waitFor(() => expect(router.state.location.pathname).toBe(`/messages/${G1}`));
  });

  it('/messages/new/:handle starts a conversation and then shows it', async () => {
    const posts: unknown[] = [];
    let created = false;
    const router = renderAt('/messages/new/vir', (url, init) => {
      if (url.pathname === '/api/message_groups') return json(200, []);
      if (url.pathname === '/api/users/@vir/short') return json(200, { uuid: 'u', handle: 'vir', display_name: 'Vir Cotto', message_group_uuid: null });
      if (init.method === 'POST') {
        posts.push(JSON.parse(String(init.body)));
        created = true;
        return json(200, { ...msg('m9', 'londo', 'Vir!'), message_group_uuid: G1 });
      }
      if (url.pathname === `/api/messages/${G1}` && created) return json(200, [msg('m9', 'londo', 'Vir!')]);
      return json(404, {});
    });
    expect(await screen.findByRole('heading', { name: /New conversation with Vir Cotto/ })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message @vir'), 'Vir!');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/messages/${G1}`));
    expect(posts).toEqual([{ message: 'Vir!', handle: 'vir' }]);
    expect(await screen.findByText('Vir!', { selector: '.text' })).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Conversations' })).getByText('Vir Cotto')).toBeInTheDocument();
  });

  it('/messages/new/:handle says when nobody has the handle', async () => {
    renderAt('/messages/new/nobody', (url) =>
      url.pathname === '/api/message_groups' ? json(200, []) : json(404, { errors: ['user_not_found'] }),
    );
    expect(await screen.findByRole('heading', { name: 'User not found' })).toBeInTheDocument();
  });
});

describe('AuthProvider', () => {
  function Status() {
    const { status, user } = useAuth();
    return <p>{`${status} ${user?.handle ?? ''}`}</p>;
  }

  it('is signed in from the first render with a user known at start, without asking for it', () => {
    const loadUser = vi.fn(async () => null);
    render(
      <AuthProvider initialUser={me} loadUser={loadUser}>
        <Status />
      </AuthProvider>,
    );
    expect(screen.getByText('signedIn londo')).toBeInTheDocument();
    expect(loadUser).not.toHaveBeenCalled();
  });

  it('asks for the user when none is known at start', async () => {
    render(
      <AuthProvider loadUser={async () => me}>
        <Status />
      </AuthProvider>,
    );
    expect(screen.getByText('loading')).toBeInTheDocument();
    expect(await screen.findByText('signedIn londo')).toBeInTheDocument();
  });
});

