import type { AssignableRole } from '@dg/contracts';
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type ParsedLocation,
} from '@tanstack/react-router';
import type { ApiClient } from '../api/client';
import { ForbiddenError, hasAnyRole, safeRedirect } from '../auth/session';
import { AppLayout } from '../layout/AppLayout';
import { RouteError } from '../layout/RouteError';
import { NotFoundPage } from '../pages/NotFoundPage';
import { validateResponseSearch } from '../pages/response/search';
import { validateQueueSearch } from '../pages/review/search';

/**
 * The portal's addresses (docs/API.md "Portal addresses", which e-mail and LINE messages link to),
 * as one code-based route tree. Every page is its own chunk (lazyRouteComponent), so the landing
 * loads only the shell. Pages read their params with `getRouteApi('<path>')`, not by importing
 * this file.
 */
export interface RouterContext {
  api: ApiClient;
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppLayout,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteError,
});

/**
 * A route guard: waits for the session restored from the refresh cookie, sends a visitor to the
 * sign-in page with the address to come back to, and refuses a role the page is not for.
 */
async function requireSession(
  context: RouterContext,
  location: ParsedLocation,
  roles?: readonly AssignableRole[],
): Promise<void> {
  const user = context.api.user ?? (await context.api.restore());
  if (!user) {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect protocol
    throw redirect({ to: '/login', search: { redirect: location.href } });
  }
  if (roles && !hasAnyRole(user, roles)) throw new ForbiddenError();
}

const landingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: lazyRouteComponent(() => import('../pages/LandingPage'), 'LandingPage'),
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const target = safeRedirect(search.redirect);
    return target ? { redirect: target } : {};
  },
  beforeLoad: async ({ context, search }) => {
    const user = context.api.user ?? (await context.api.restore());
    if (user) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect protocol
      throw redirect({ href: search.redirect ?? '/' });
    }
  },
  component: lazyRouteComponent(() => import('../pages/LoginPage'), 'LoginPage'),
});

const forgotRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: lazyRouteComponent(() => import('../pages/ForgotPasswordPage'), 'ForgotPasswordPage'),
});

const responseRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cycles/$cycleId/response',
  validateSearch: validateResponseSearch,
  beforeLoad: ({ context, location }) => requireSession(context, location, ['coordinator', 'approver']),
  component: lazyRouteComponent(() => import('../pages/response/ResponsePage'), 'ResponsePage'),
});

// Sub-addresses of the response (not in the messages' list, so free to grow): check before
// sending, and the print view. Same guard as the questionnaire.
const responseCheckRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cycles/$cycleId/response/check',
  beforeLoad: ({ context, location }) => requireSession(context, location, ['coordinator', 'approver']),
  component: lazyRouteComponent(() => import('../pages/response/check/CheckPage'), 'CheckPage'),
});

const responsePrintRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cycles/$cycleId/response/print',
  beforeLoad: ({ context, location }) => requireSession(context, location, ['coordinator', 'approver']),
  component: lazyRouteComponent(() => import('../pages/response/print/PrintPage'), 'PrintPage'),
});

// The verification queue (not in the messages' list of addresses): DGA staff pick a response.
const reviewQueueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cycles/$cycleId/review',
  validateSearch: validateQueueSearch,
  beforeLoad: ({ context, location }) => requireSession(context, location, ['dga_admin', 'operator']),
  component: lazyRouteComponent(() => import('../pages/review/ReviewQueuePage'), 'ReviewQueuePage'),
});

const reviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cycles/$cycleId/review/$agencyCode',
  // The queue's filter comes along, for "N of M" and the previous and next agency of that list.
  validateSearch: validateQueueSearch,
  beforeLoad: ({ context, location }) => requireSession(context, location, ['dga_admin', 'operator']),
  component: lazyRouteComponent(() => import('../pages/review/ReviewPage'), 'ReviewPage'),
});

const resultsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/$cycleId',
  component: lazyRouteComponent(() => import('../pages/public/ResultsPage'), 'ResultsPage'),
});

const scorecardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/$cycleId/agencies/$agencyCode',
  component: lazyRouteComponent(() => import('../pages/public/AgencyScorecardPage'), 'AgencyScorecardPage'),
});

const methodologyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/results/$cycleId/methodology',
  component: lazyRouteComponent(() => import('../pages/public/MethodologyPage'), 'MethodologyPage'),
});

const awardsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/awards/$cycleId',
  component: lazyRouteComponent(() => import('../pages/public/AwardsPage'), 'AwardsPage'),
});

const certificateRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/certificates/$number',
  component: lazyRouteComponent(() => import('../pages/public/CertificatePage'), 'CertificatePage'),
});

export const routeTree = rootRoute.addChildren([
  landingRoute,
  loginRoute,
  forgotRoute,
  responseRoute,
  responseCheckRoute,
  responsePrintRoute,
  reviewQueueRoute,
  reviewRoute,
  resultsRoute,
  scorecardRoute,
  methodologyRoute,
  awardsRoute,
  certificateRoute,
]);

export function makeRouter(context: RouterContext) {
  return createRouter({
    routeTree,
    context,
    defaultPreload: 'intent',
    // The query cache decides freshness; the router only loads code and runs guards.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
