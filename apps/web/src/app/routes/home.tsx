import { useLocation } from 'react-router';

const REMOVAL_TEXT: Record<string, string> = {
  kicked: 'You were removed from that room.',
  banned: 'You were banned from that room.',
  deleted: 'That room was deleted.',
  left: 'You left that room.',
};

function removedReason(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || !('removedReason' in state)) return undefined;
  const { removedReason: reason } = state;
  return typeof reason === 'string' ? REMOVAL_TEXT[reason] : undefined;
}

export function HomeRoute() {
  const notice = removedReason(useLocation().state);
  return (
    <div className="empty-state">
      {notice && <p role="status">{notice}</p>}
      <h2>Welcome to Parley</h2>
      <p>Create a room, join one by its id or link, or pick a room from the list.</p>
    </div>
  );
}
