import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { jumpTargetIn } from '../lib/jump-state';

/**
 * A room opened from a search result shows that message: once its history is in (`ready`), the
 * message is jumped to (messages' shared `jumpTo`), and the target is taken out of the history
 * entry so a reload or "back" does not jump again. Says whether the message could not be shown.
 */
export function useSearchJump(
  roomId: string,
  ready: boolean,
  jumpTo: (seq: number) => Promise<boolean>,
): { failed: boolean } {
  const location = useLocation();
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  const target = jumpTargetIn(location.state, roomId);

  useEffect(() => {
    if (target === undefined || !ready) return;
    void navigate(
      { pathname: location.pathname, search: location.search, hash: location.hash },
      { replace: true, state: null },
    );
    jumpTo(target).then(
      (shown) => setFailed(!shown),
      () => setFailed(true),
    );
  }, [target, ready, jumpTo, navigate, location.pathname, location.search, location.hash]);

  return { failed };
}
