import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from '../../functions/registers/me';
import type { Api } from './api';

export type { Me };

export interface Session {
  readonly api: Api;
  readonly me: Me;
  readonly name: string;
  readonly signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('no session');
  return session;
};

/** The in-browser package check: open to anyone signed in (it reads only the public key). */
export const VERIFY_PACKAGE_LINK = '#/verify-package';

/** The screens a person may open, from GET /me: navigation shows only these; the API decides anyway. */
export const navigation = (me: Me): { href: string; text: string }[] => {
  const a = me.actions;
  return [
    // (more screens are added as their journeys land)
    ...(a.play.length ? [{ href: '#/recordings', text: 'Recordings' }] : []),
    ...(a.manageHolds ? [{ href: '#/holds', text: 'Holds' }] : []),
    ...(a.readAudit ? [{ href: '#/audit', text: 'Audit log' }] : []),
    ...(a.readRetentionReports || a.readComplianceReport === 'all' || a.readComplianceReport.length
      ? [{ href: '#/reports', text: 'Reports' }]
      : []),
    ...(a.readRegisters === 'all' || a.readRegisters.length || a.readDueList === 'all' || a.readDueList.length
      ? [{ href: '#/registers', text: 'Registers' }]
      : []),
    ...(a.requestRelease ? [{ href: '#/releases', text: 'Releases' }] : []),
    ...(a.approveReleases.external || a.approveReleases.areas.length
      ? [{ href: '#/approvals', text: 'Approvals' }]
      : []),
    ...(a.readReleaseLog ? [{ href: '#/release-log', text: 'Release log' }] : []),
    // Anyone signed in may check a package they hold (nothing is read but the public key).
    { href: VERIFY_PACKAGE_LINK, text: 'Verify a package' },
  ];
};
