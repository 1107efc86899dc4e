import { useMemo } from 'react';
import { createBrowserRouter, Link, Navigate, RouterProvider } from 'react-router-dom';
import { ApiProvider } from './api/ApiContext';
import { ApiClient } from './api/client';
import { getAccessToken } from './auth/amplify';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { AppShell, RequireAuth } from './components/AppShell';
import { AuthCard } from './components/Field';
import type { CruddurConfig } from './config';
import { ConfirmPage, ForgotPasswordPage, SignInPage, SignUpPage } from './pages/AuthPages';
import { MessageGroupNewPage } from './pages/MessageGroupNewPage';
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

const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage /> },
  { path: '/signup', element: <SignUpPage /> },
  { path: '/confirm', element: <ConfirmPage /> },
  { path: '/forgot', element: <ForgotPasswordPage /> },
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
              { path: 'new/:handle', element: <MessageGroupNewPage /> },
              { path: ':message_group_uuid', element: <MessageGroupPage /> },
            ],
          },
        ],
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
], { future: ROUTER_FUTURE });

function WithApi({ config }: { config: CruddurConfig }) {
  const { expire } = useAuth();
  const api = useMemo(
    () => new ApiClient({ baseUrl: config.apiUrl, getToken: getAccessToken, onUnauthorized: expire }),
    [config.apiUrl, expire],
  );
  return (
    <ApiProvider api={api} config={config}>
      <RouterProvider router={router} future={{ v7_startTransition: true }} />
    </ApiProvider>
  );
}

export function App({ config }: { config: CruddurConfig }) {
  return (
    <AuthProvider>
      <WithApi config={config} />
    </AuthProvider>
  );
}
