import { SignInPage } from '@/features/auth';
import { useSession } from '@/lib/session-store';
import { Shell } from '../shell';

/**
 * Signed out, every URL shows the sign-in form in place, so a deep link to a room opens that
 * room right after signing in.
 */
export function AppRoot() {
  const session = useSession();
  if (!session) return <SignInPage />;
  // Keyed by user: nothing of one session (socket, local echoes) survives into the next.
  return <Shell key={session.user.id} session={session} />;
}
