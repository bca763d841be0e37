/**
 * The staff portal: sign in (OIDC code + PKCE), ask the API who this is (GET /me), and show the
 * screens the policy lets them use. Every action is a request the API decides.
 */
import { type ComponentChildren, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createApi } from './api';
import { type Auth, createAuth } from './auth';
import { loadConfig } from './config';
import { AccessibilityStatement } from './pages/accessibility';
import { Approvals, Decide } from './pages/approvals';
import { AuditLog } from './pages/audit';
import { HoldPage, Holds, PlaceHold } from './pages/holds';
import { RecordingPage } from './pages/recording';
import { Recordings } from './pages/recordings';
import { Extensions, Registers, ServiceAreas, StaffNotices } from './pages/registers';
import { ReleaseLog } from './pages/release-log';
import { MyReleases, ReleasePage, RequestRelease } from './pages/releases';
import { ComplianceReportPage, DeletionsReportPage, Reports, RetentionReportPage } from './pages/reports';
import { VerifyPackage } from './pages/verify-package';
import { match, useLocation } from './router';
import {
  type Me,
  navigation,
  type Session,
  SessionContext,
  useSession,
  VERIFY_PACKAGE_LINK,
} from './session';
import { Heading, ProblemBox, problemOf } from './ui';

const Layout = ({ children, session }: { children: ComponentChildren; session?: Session }) => {
  const { path } = useLocation();
  const links = session ? navigation(session.me) : [];
  return (
    <>
      <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
        Skip to main content
      </a>
      <header class="govuk-header portal-header">
        <div class="govuk-header__container govuk-width-container">
          <div class="govuk-header__logo">
            <a href="#/" class="govuk-header__homepage-link">
              <span class="govuk-header__product-name">Council staff</span>
            </a>
          </div>
        </div>
      </header>
      <section
        aria-label="Service information"
        class="govuk-service-navigation"
        data-module="govuk-service-navigation"
      >
        <div class="govuk-width-container">
          <div class="govuk-service-navigation__container">
            <span class="govuk-service-navigation__service-name">
              <a href="#/" class="govuk-service-navigation__link">
                Call recordings
              </a>
            </span>
            {links.length ? (
              <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                <ul class="govuk-service-navigation__list" id="navigation">
                  {links.map((l) => {
                    const active = path.startsWith(l.href.slice(1));
                    return (
                      <li
                        class={`govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}`}
                        key={l.href}
                      >
                        <a
                          class="govuk-service-navigation__link"
                          href={l.href}
                          aria-current={active ? 'page' : undefined}
                        >
                          {l.text}
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </nav>
            ) : null}
          </div>
        </div>
      </section>
      <div class="govuk-width-container">
        {session ? (
          <p class="govuk-body-s portal-signed-in">
            Signed in as <strong data-testid="signed-in-as">{session.name}</strong> ({session.me.staffId}){' '}
            <button
              type="button"
              class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 portal-sign-out"
              onClick={session.signOut}
            >
              Sign out
            </button>
          </p>
        ) : null}
        <main class="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer class="govuk-footer">
        <div class="govuk-width-container">
          <div class="govuk-footer__meta">
            <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <h2 class="govuk-visually-hidden">Support links</h2>
              <ul class="govuk-footer__inline-list">
                <li class="govuk-footer__inline-list-item">
                  <a class="govuk-footer__link" href="#/accessibility">
                    Accessibility statement
                  </a>
                </li>
              </ul>
              <span class="govuk-footer__licence-description">
                Recordings are used only as the council's Call Recording Policy allows. Every access is
                logged.
              </span>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
};

const Home = () => {
  const { me, name } = useSession();
  const links = navigation(me);
  return (
    <>
      <Heading>Call recordings</Heading>
      <p class="govuk-body-l">Welcome, {name}.</p>
      {links.some((l) => l.href !== VERIFY_PACKAGE_LINK) ? (
        <>
          <p class="govuk-body">You can:</p>
          <ul class="govuk-list govuk-list--bullet">
            {links.map((l) => (
              <li key={l.href}>
                <a class="govuk-link" href={l.href}>
                  {l.text}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p class="govuk-body">You have no access to call recordings. Ask your manager if you need it.</p>
          <p class="govuk-body">
            <a class="govuk-link" href={VERIFY_PACKAGE_LINK}>
              Verify a disclosure package
            </a>{' '}
            you were given.
          </p>
        </>
      )}
    </>
  );
};

const NotFound = () => (
  <>
    <Heading>Page not found</Heading>
    <p class="govuk-body">
      <a class="govuk-link" href="#/">
        Go to the start
      </a>
    </p>
  </>
);

/** Releases, approvals and the Release of Recording Log (policy s.6). */
const releaseScreens = (path: string, query: URLSearchParams) => {
  if (path === '/releases')
    return query.has('recordingId') ? (
      <RequestRelease recordingId={query.get('recordingId') ?? ''} />
    ) : (
      <MyReleases />
    );
  if (path === '/releases/new') return <RequestRelease recordingId="" />;
  const release = match('/releases/:id', path);
  if (release)
    return <ReleasePage key={release.id} id={release.id as string} requested={query.has('requested')} />;
  if (path === '/approvals') return <Approvals />;
  const decide = match('/approvals/:id', path);
  if (decide) return <Decide key={decide.id} id={decide.id as string} />;
  if (path === '/release-log') return <ReleaseLog />;
  if (path === '/verify-package') return <VerifyPackage />;
  return undefined;
};

const Screen = () => {
  const { path, query } = useLocation();
  if (path === '/' || path === '') return <Home />;
  if (path === '/accessibility') return <AccessibilityStatement />;
  if (path === '/recordings') return <Recordings />;
  const recording = match('/recordings/:id', path);
  if (recording) return <RecordingPage key={recording.id} id={recording.id as string} />;
  // IG officer, registrar and managers (portal-b)
  if (path === '/holds') return <Holds />;
  if (path === '/holds/new') return <PlaceHold />;
  const hold = match('/holds/:id', path);
  if (hold) return <HoldPage key={hold.id} id={hold.id as string} />;
  if (path === '/audit') return <AuditLog />;
  if (path === '/reports') return <Reports />;
  if (path === '/reports/compliance') return <ComplianceReportPage />;
  if (path === '/reports/retention') return <RetentionReportPage />;
  if (path === '/reports/deletions') return <DeletionsReportPage />;
  if (path === '/registers') return <Registers />;
  if (path === '/registers/service-areas') return <ServiceAreas />;
  if (path === '/registers/extensions') return <Extensions />;
  if (path === '/registers/staff-notices') return <StaffNotices />;
  // Releases, approvals and the Release of Recording Log (portal-a)
  const releaseScreen = releaseScreens(path, query);
  if (releaseScreen) return releaseScreen;
  return <NotFound />;
};

const SignIn = ({ auth, signedOut }: { auth: Auth; signedOut: boolean }) => {
  const { path } = useLocation();
  if (path === '/accessibility') return <AccessibilityStatement />;
  return (
    <>
      <Heading>{signedOut ? 'You have signed out' : 'Call recordings'}</Heading>
      <p class="govuk-body">
        Council staff use this service to hear call recordings for an agreed purpose, request and approve
        their release, and keep them as the Call Recording Policy says.
      </p>
      <button
        type="button"
        class="govuk-button govuk-button--start"
        onClick={() => auth.signIn(window.location.hash || '#/')}
      >
        Sign in
      </button>
    </>
  );
};

const App = ({ auth, apiUrl }: { auth: Auth; apiUrl: string }) => {
  const [state, setState] = useState<
    | { kind: 'loading' }
    | { kind: 'anonymous'; signedOut: boolean }
    | { kind: 'in'; session: Session }
    | { kind: 'error'; error: unknown }
  >({ kind: 'loading' });

  useEffect(() => {
    (async () => {
      const back = await auth.completeSignIn();
      if (back) window.location.hash = back;
      const user = await auth.user();
      if (!user) return setState({ kind: 'anonymous', signedOut: window.location.hash === '#/signed-out' });
      const api = createApi(apiUrl, async () => (await auth.user())?.access_token);
      const me = await api.get<Me>('/me');
      const signOut = () => {
        auth.signOut().then(() => {
          window.location.hash = '#/signed-out';
          setState({ kind: 'anonymous', signedOut: true });
        });
      };
      const name = typeof user.profile.name === 'string' ? user.profile.name : me.staffId;
      setState({ kind: 'in', session: { api, me, name, signOut } });
    })().catch((error: unknown) => setState({ kind: 'error', error }));
  }, [auth, apiUrl]);

  if (state.kind === 'loading')
    return (
      <Layout>
        <p class="govuk-body">Loading…</p>
      </Layout>
    );
  if (state.kind === 'error')
    return (
      <Layout>
        <Heading>Sorry, there is a problem with the service</Heading>
        <ProblemBox problem={problemOf(state.error)} />
      </Layout>
    );
  if (state.kind === 'anonymous')
    return (
      <Layout>
        <SignIn auth={auth} signedOut={state.signedOut} />
      </Layout>
    );
  return (
    <SessionContext.Provider value={state.session}>
      <Layout session={state.session}>
        <Screen />
      </Layout>
    </SessionContext.Provider>
  );
};

const start = async () => {
  document.body.classList.add('js-enabled', 'govuk-frontend-supported');
  const root = document.getElementById('app') as HTMLElement;
  try {
    const config = await loadConfig();
    render(<App auth={createAuth(config)} apiUrl={config.apiUrl} />, root);
  } catch (error) {
    render(
      <Layout>
        <Heading>Sorry, the service is unavailable</Heading>
        <ProblemBox problem={problemOf(error)} />
      </Layout>,
      root,
    );
  }
};

void start();
