import { useMemo } from 'react';
import { createBrowserRouter, Link, Navigate, RouterProvider } from 'react-router-dom';
import { ApiProvider } from './api/ApiContext';
import { ApiClient } from './api/client';
import { pathsForRoute, prefetch, prefetched } from './api/prefetch';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { getAccessToken, type CurrentUser } from './auth/session';
import { AppShell, RequireAuth } from './components/AppShell';
import { AuthCard } from './components/Field';
import type { CruddurConfig } from './config';
import { MessageGroupPage } from './pages/MessageGroupPage';
import { MessagesIndex, MessagesLayout } from './pages/MessagesLayout';

function NotFoundPage() {
  return (
    <AuthCard title="Page not found">
      <p>
        <Link to="/messages">Go to your messages</Link>
      </p>
    </AuthCard>
  );
}

// React Router 7's behaviour now, so its deprecation warnings stay quiet.
export const ROUTER_FUTURE = {
  v7_fetcherPersist: true,
  v7_normalizeFormMethod: true,
  v7_partialHydration: true,
  v7_relativeSplatPath: true,
  v7_skipActionErrorRevalidation: true,
} as const;

// The routes. The pages of the signed-out flow (sign-in, sign-up, confirm,
// forgot password) and the rarely used "new conversation" page are chunks of
// their own, loaded when their route is first matched (with aws-amplify, which
// the sign-in pages need and a signed-in page with a usable token does not):
// the code a conversation needs to show is the app's chunk alone.
const authPage = (name: 'SignInPage' | 'SignUpPage' | 'ConfirmPage' | 'ForgotPasswordPage') => async () => {
  const pages = await import('./pages/AuthPages');
  return { Component: pages[name] };
};

function PageLoading() {
  return (
    <p className="muted page-status" role="status">
      Loading…
    </p>
  );
}

export function createAppRouter() {
  return createBrowserRouter(
    [
      { path: '/signin', lazy: authPage('SignInPage'), HydrateFallback: PageLoading },
      { path: '/signup', lazy: authPage('SignUpPage'), HydrateFallback: PageLoading },
      { path: '/confirm', lazy: authPage('ConfirmPage'), HydrateFallback: PageLoading },
      { path: '/forgot', lazy: authPage('ForgotPasswordPage'), HydrateFallback: PageLoading },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppShell />,
            children: [
              { path: '/', element: <Navigate to="/messages" replace /> },
              {
                path: '/messages',
                element: <MessagesLayout />,
                children: [
                  { index: true, element: <MessagesIndex /> },
                  {
                    path: 'new/:handle',
                    lazy: async () => ({ Component: (await import('./pages/MessageGroupNewPage')).MessageGroupNewPage }),
                    HydrateFallback: PageLoading,
                  },
                  { path: ':message_group_uuid', element: <MessageGroupPage /> },
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
    { future: ROUTER_FUTURE },
  );
}

export type AppRouter = ReturnType<typeof createAppRouter>;

/**
 * Starts the API reads of the page a navigation leads to as the router
 * commits it, before React renders the new route (its loading state
 * included): a click on a conversation sends GET /api/messages/{uuid} in the
 * click's own task. Only what the page before did not load already (the
 * conversation list stays when another conversation is opened). The page
 * takes the request in flight through the API client (api/prefetch.ts).
 */
export function prefetchOnNavigation(router: AppRouter): () => void {
  let last = router.state.location.pathname;
  return router.subscribe((state) => {
    const next = state.location.pathname;
    if (next === last) return;
    const before = new Set(pathsForRoute(last));
    last = next;
    for (const path of pathsForRoute(next)) if (!before.has(path)) prefetch(path);
  });
}

function WithApi({ config, router }: { config: CruddurConfig; router: AppRouter }) {
  const { expire } = useAuth();
  const api = useMemo(
    () =>
      new ApiClient({ baseUrl: config.apiUrl, getToken: getAccessToken, onUnauthorized: expire, prefetched }),
    [config.apiUrl, expire],
  );
  return (
    <ApiProvider api={api} config={config}>
      <RouterProvider router={router} future={{ v7_startTransition: true }} />
    </ApiProvider>
  );
}

export function App({
  config,
  router,
  initialUser = null,
}: {
  config: CruddurConfig;
  router: AppRouter;
  initialUser?: CurrentUser | null;
}) {
  return (
    <AuthProvider initialUser={initialUser}>
      <WithApi config={config} router={router} />
    </AuthProvider>
  );
}
